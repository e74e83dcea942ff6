-- string.byte and string.char
print(string.byte("A"), string.byte("ABC", 2), string.byte("ABC", 1, 3), string.byte("ABC", -1))
print(string.byte("ABC", 10), string.byte(""), select("#", string.byte("ABC", 3, 1)))
print(string.byte("ABC", 0, 2))
print(string.char(72, 101, 108, 108, 111), string.char(), #string.char(0, 0))
print(pcall(function() local r = table.pack(string.char(256)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.char(-1)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.char("65")) return table.unpack(r, 1, r.n) end))
local all = {}
for i = 0, 255 do all[#all + 1] = i end
local s = string.char(table.unpack(all))
print(#s, s:byte(1), s:byte(256), s:byte(-1))
