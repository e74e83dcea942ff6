-- numeric for loops with float steps, negative steps and edge cases
local out = {}
for i = 1, 2, 0.25 do out[#out + 1] = i end
print(table.concat(out, " "))
out = {}
for i = 10, 1, -3 do out[#out + 1] = i end
print(table.concat(out, " "))
out = {}
for i = 1, 0 do out[#out + 1] = i end
print(#out)
out = {}
for i = 0.1, 0.5, 0.1 do out[#out + 1] = i end
print(#out, out[#out])
print(pcall(function() for i = 1, 10, 0 do break end end))
print(pcall(function() for i = "a", 2 do end end))
local n = 0
for i = 1, 3 do local i = i * 2 n = n + i end
print(n)
