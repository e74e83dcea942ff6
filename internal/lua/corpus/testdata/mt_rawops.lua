-- rawget, rawset, rawequal, rawlen bypass metamethods
local t = setmetatable({}, {
  __index = function() return "meta" end,
  __newindex = function() error("blocked") end,
  __len = function() return 99 end,
  __eq = function() return true end,
})
print(t.x, rawget(t, "x"))
rawset(t, "x", 1)
print(t.x, rawget(t, "x"))
print(#t, rawlen(t))
local u = setmetatable({}, getmetatable(t))
print(t == u, rawequal(t, u))
print(rawset(t, 1, "one") == t, t[1])
print(pcall(rawset, t, nil, 1))
print(pcall(function() return (rawget("str", 1)) end))
