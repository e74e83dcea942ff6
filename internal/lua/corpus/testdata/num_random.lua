-- math.random ranges (values themselves differ between implementations)
math.randomseed(42)
local ok = true
for i = 1, 1000 do
  local a = math.random()
  local b = math.random(10)
  local c = math.random(-5, 5)
  if a < 0 or a >= 1 or b < 1 or b > 10 or b % 1 ~= 0 or c < -5 or c > 5 or c % 1 ~= 0 then ok = false end
end
print(ok)
print(pcall(function() local r = table.pack(math.random(0)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(math.random(5, 1)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(math.random(1, 2, 3)) return table.unpack(r, 1, r.n) end))
print(math.random(3, 3))
