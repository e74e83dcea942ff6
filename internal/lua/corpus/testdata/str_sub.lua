-- string.sub with positive, negative and out-of-range indices
local s = "Hello, World"
print(s:sub(1, 5), s:sub(8), s:sub(-5), s:sub(-5, -2), s:sub(0), s:sub(5, 1))
print(s:sub(100), s:sub(-100, 3), s:sub(3, 100), s:sub(0, 0), s:sub(-1, -1), s:sub(13, 13))
print(("abc"):sub(2, 2), ("abc"):sub(-2), ("abc"):sub(4), ("abc"):sub(-4, -3))
print(("abc"):sub(2.0, 3.0), pcall(function() local r = table.pack(string.sub("abc", "x")) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.sub("abc")) return table.unpack(r, 1, r.n) end))
print(("abc"):sub(2, nil))
