-- numbers are accepted as subjects and patterns; other types raise errors
print(string.find(12345, 3))
print(string.match(3.5, "%d"))
print(string.gsub(1000, "0", "1"))
print(string.rep(7, 3))
print(pcall(function() local r = table.pack(string.find(nil, "a")) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.match("a", nil)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.gsub({}, "a", "b")) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.gmatch("a")) return table.unpack(r, 1, r.n) end))
