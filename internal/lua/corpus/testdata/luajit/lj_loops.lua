local n = 0
for i = 0, 1, 0.1 do n = n + 1 end
print(n)
local out = {}
for i = 1, 3 do out[#out + 1] = i end
for i = 3, 1, -1 do out[#out + 1] = i end
for i = 1, 0 do out[#out + 1] = "never" end
print(table.concat(out, ","))
print(pcall(function() for i = 1, 10, 0 do break end end))
for i = 1.5, 3 do out[#out+1] = i end
print(out[#out])
local t = {}
for i = 1, 2^53 + 2, 2^52 do t[#t + 1] = i end
print(#t, t[#t])
print(2^53, 2^53 + 1, -2^63, 2^63 == 2^63 + 1)
print(string.format("%.0f", 0.5), string.format("%.0f", 1.5), string.format("%.2f", 2.675))
print(math.floor(2^31 + 0.5), math.floor(-0.0), 1/math.floor(-0.0))
