-- % and ^ on numbers follow Lua 5.2 (a - floor(a/b)*b, C's pow); other operands go through
-- coercion and metamethods; errors name the operand
local vals = {7, -7, 3, -3, 5.5, -5.5, 2, -2, 0, -0.0, 1/0, -1/0, 0.3, 1e308, -1e-300, 2^53 + 1}
for _, a in ipairs(vals) do
  local row = {}
  for _, b in ipairs(vals) do row[#row + 1] = tostring(a % b) end
  print(a, table.concat(row, " "))
end
for _, a in ipairs({2, -2, 0.5, -8, 10, 0}) do
  print(a, a ^ 2, a ^ -1, a ^ 0.5, a ^ (1 / 3), a ^ 1e300)
end
local x = 17
for i = 1, 5 do x = (x * 31 + i) % 97 end
print(x, x % 5, 5 % x, x % -5, -x % 5, x ^ 2 % 11)
local s = "10"
print(s % 3, "-7" % "3", 2 ^ "3", s ^ 0.5)
local mt = {__mod = function(a, b) return "mod" end, __pow = function(a, b) return false end}
local t = setmetatable({}, mt)
print(t % 1, 1 % t, t ^ 2, 2 ^ t)
print(pcall(function() local u = {} return u % 2 end))
print(pcall(function() return 2 % nil end))
print(pcall(function() local q return 2 ^ q end))
print(pcall(function() return x % {} end))
local function outer()
  local m = 4
  return function(v) return v % m, v ^ m, function() return -v % m end end
end
local f1, f2, f3 = outer()(-9)
print(f1, f2, f3())
local a, b = 1, x % 7
print(a, b)
