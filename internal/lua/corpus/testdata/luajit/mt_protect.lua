-- __metatable protects the metatable
local t = setmetatable({}, {__metatable = "locked", __index = {a = 1}})
print(getmetatable(t), t.a)
print(pcall(setmetatable, t, {}))
print(getmetatable("abc").__index == string)
print(pcall(function() return setmetatable({}, 1) end))
print(select("#", setmetatable({}, nil)))
