-- __len and __unm
local t = setmetatable({1, 2, 3}, {__len = function(self) return 42 end, __unm = function(self) return "negated" end})
print(#t, rawlen(t), -t)
local s = setmetatable({}, {__len = function() return "not a number" end})
print(#s)
local vec = setmetatable({x = 1, y = -2}, {__unm = function(a) return setmetatable({x = -a.x, y = -a.y}, getmetatable(a)) end})
local n = -vec
print(n.x, n.y, (-n).x)
print(#"abc", rawlen({1, 2}), rawlen("four"))
