-- gmatch over words, pairs and empty matches
for w in ("one two  three"):gmatch("%a+") do print(w) end
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do print(k, v) end
local n = 0
for e in ("abc"):gmatch("") do n = n + 1 end
print("empty matches", n)
local parts = {}
for x in ("a,b,,c,"):gmatch("([^,]*)") do parts[#parts + 1] = "[" .. x .. "]" end
print(table.concat(parts))
for c in ("xyz"):gmatch(".") do print(c:byte()) end
