-- modulo of negatives and floats follows a - floor(a/b)*b
local pairs_ = {{7, 3}, {-7, 3}, {7, -3}, {-7, -3}, {5.5, 2}, {-5.5, 2}, {5.5, -2}, {6, 3}, {-6, 3}, {0, 5}, {1, 0.3}}
for _, p in ipairs(pairs_) do
  local a, b = p[1], p[2]
  print(a, b, a % b, math.fmod(a, b))
end
print(-0.0 % 1, 6 % -3, -6 % 3)
