-- in gmatch a leading ^ is not an anchor: it matches a literal ^ (Lua 5.2)
local out = {}
for m in ("^a^b"):gmatch("%^(%a)") do out[#out + 1] = m end
print(table.concat(out, ","))
local c = 0
for m in ("hello"):gmatch("^h") do c = c + 1 end
print(c)
c = 0
for m in ("^h^h"):gmatch("^h") do c = c + 1 end
print(c)
