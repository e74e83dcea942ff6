local p = setmetatable({}, {__index = function(t, i) if i < 3 then return i * 10 end end})
local n = 0
for i, v in ipairs(p) do n = n + 1 end
print("ipairs __index", n)
local q = setmetatable({1, 2}, {__ipairs = function(t) return function(_, i) if i < 5 then return i + 1, "x" end end, t, 0 end})
n = 0
for i, v in ipairs(q) do n = n + 1 end
print("ipairs __ipairs", n)
local r = setmetatable({}, {__pairs = function(t) return function(_, k) if not k then return 1, "a" end end, t, nil end})
n = 0
for k, v in pairs(r) do n = n + 1 end
print("pairs __pairs", n)
print(select(-1, "a", "b"), pcall(select, 0, "a"))
print(rawequal("a", "a"), rawequal({}, {}))
local mt = {__metatable = "locked"}
local obj = setmetatable({}, mt)
print(getmetatable(obj), pcall(setmetatable, obj, {}))
print(pcall(assert, false), pcall(assert, nil, "msg"), pcall(assert, 1, 2, 3))
print(tostring(nil), tostring(true), type(print), type(nil))
print(string.len("abc"), ("x"):len(), #"\0\0")
print(math.max(1, 5, 3), math.min(2, -1), math.huge, -math.huge)
print(next({}), type(next), select("#", next({})))
print(tonumber("  10  "), tonumber("10", 2), tonumber("z", 36), tonumber(""), tonumber("1e"), tonumber("0x1p4"))
local s = setmetatable({}, {__concat = function(a, b) return "cat" end, __eq = function() return true end})
print(s .. "x", "x" .. s, s == setmetatable({}, getmetatable(s)))
local cmp = setmetatable({}, {__lt = function() return true end, __le = function() return false end})
print(pcall(function() return cmp < cmp, cmp <= cmp, cmp > cmp end))
print(pcall(function() return {} < {} end))
print(math.fmod(-7, 3), -7 % 3, 7 % -3, math.fmod(7, -3), 2^0.5)
