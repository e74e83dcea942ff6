-- Metatables and class idioms as LuaJIT runs them. (Comparisons LuaJIT refuses, between
-- operands with different __lt/__le or of different types, call the metamethod on Lua 5.2's
-- VM; #t calls __len: Known differences.)
local A = {__lt = function() return true end, __le = function() return true end, __eq = function() return true end}
local B = {__lt = function() return false end, __le = function() return false end, __eq = function() return true end}
local a, b = setmetatable({}, A), setmetatable({}, B)
print(pcall(function() return a == b end))
local c = setmetatable({}, {__lt = A.__lt})
print(pcall(function() return a < c end))
local L = setmetatable({}, {__le = nil, __lt = function(x, y) return true end})
print(pcall(function() return L <= L end))
local obj = setmetatable({}, {__call = function(self, x) return "called " .. tostring(x) end})
print(obj(5), pcall(obj, 6))
local cls = {}
cls.__index = cls
function cls.new(v) return setmetatable({v = v}, cls) end
function cls:get() return self.v end
local base = {hello = function() return "base hello" end}
setmetatable(cls, {__index = base})
print(cls.new(3):get(), cls.new(1).hello())
local u = setmetatable({}, {__unm = function() return "neg" end, __add = function(x, y) return "add" end})
print(-u, u + 1, 1 + u, pcall(function() return u - 1 end))
local s = setmetatable({}, {__tostring = function() return "S!" end})
print(tostring(s), ("%s"):format(s))
local idx = setmetatable({}, {__index = function(t, k) return k .. "!" end, __newindex = function(t, k, v) rawset(t, k, v .. "?") end})
idx.x = "v"
print(idx.x, idx.y)
print(getmetatable("abc").__index == string, ("abc"):len())
