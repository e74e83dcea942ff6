-- gsub replacement errors
print(pcall(function() local r = table.pack(string.gsub("abc", "a", "%2")) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.gsub("abc", "(a)", "%2")) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.gsub("abc", "a", "%x")) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.gsub("abc", "a", {a = {}})) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.gsub("abc", "a", function() return {} end)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.gsub("abc", "a", true)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(string.gsub("abc", "a")) return table.unpack(r, 1, r.n) end))
