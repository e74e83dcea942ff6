-- integer division with math.floor, float division and powers
local ps = {{7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {1, 3}, {-1, 3}, {6, 3}}
for _, p in ipairs(ps) do
  local a, b = p[1], p[2]
  print(a, b, a / b, math.floor(a / b), math.ceil(a / b))
end
print(2 ^ 10, 2 ^ 0.5, 2 ^ -1, -2 ^ 2, (-2) ^ 2)
print(1e308 + 1e308, -1e308 - 1e308)
print(load("return 7 // 2"))
