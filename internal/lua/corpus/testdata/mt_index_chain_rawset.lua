-- default values, counting accesses, and a class with properties via __index/__newindex
local function withDefault(d) return setmetatable({}, {__index = function() return d end}) end
local t = withDefault(0)
t.a = t.a + 1
t.a = t.a + 1
print(t.a, t.b)
local props = {}
local obj = setmetatable({}, {
  __index = function(_, k) local g = props["get_" .. k] return g and g() end,
  __newindex = function(_, k, v) local s = props["set_" .. k] if s then s(v) else error("no property " .. k, 2) end end,
})
local value = 5
props.get_value = function() return value end
props.set_value = function(v) value = v * 2 end
obj.value = 21
print(obj.value, value)
print(pcall(function() obj.other = 1 end))
