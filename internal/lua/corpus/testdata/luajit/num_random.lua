-- math.random ranges (goresty draws LuaJIT's numbers; this program prints only ranges)
math.randomseed(42)
local ok = true
for i = 1, 1000 do
  local a = math.random()
  local b = math.random(10)
  local c = math.random(-5, 5)
  if a < 0 or a >= 1 or b < 1 or b > 10 or b % 1 ~= 0 or c < -5 or c > 5 or c % 1 ~= 0 then ok = false end
end
print(ok)
print(pcall(math.random, 0))
print(pcall(math.random, 5, 5))
print(pcall(math.random, 1, 1, 3))
print(math.random(3, 3))
