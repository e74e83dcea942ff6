-- os.date with invalid conversions
print(pcall(function() local r = table.pack(os.date("%Q", 0)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(os.date("%", 0)) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(os.date("%Ez", 0)) return table.unpack(r, 1, r.n) end))
print(os.date("!%Ey %Od", 0))
print(pcall(function() local r = table.pack(os.date("%Y", "notanumber")) return table.unpack(r, 1, r.n) end))
