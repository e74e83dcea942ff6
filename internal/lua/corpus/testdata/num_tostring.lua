-- tostring of integers and floats uses %.14g
local vals = {0, 1, -1, 3.0, 0.1, 1/3, 2/3, 100, 1e14, 1e15, 1e16, 123456789012, 2^53, 2^63, -2^63,
  1e-5, 0.0001, 1e100, 1e-300, 5e-324, 3.14159265358979, 12345.678, 1e308 * 10, -1e308 * 10, 255 / 5, 7 / 2}
for _, v in ipairs(vals) do print(tostring(v), v) end
print(1e15 + 0.5, 2^24, 2^31, 2^32, -2^31)
