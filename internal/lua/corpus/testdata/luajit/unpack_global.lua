-- the global unpack (Lua 5.1 / LuaJIT)
print(unpack({1, 2, 3}))
print(unpack({1, 2, 3}, 2))
print(unpack({1, 2, 3}, 2, 3))
print(unpack({"a", nil, "c"}, 1, 3))
print(select("#", unpack({})))
local function f(...) return select("#", ...) end
print(f(unpack({1, 2, nil, 4}, 1, 4)))
