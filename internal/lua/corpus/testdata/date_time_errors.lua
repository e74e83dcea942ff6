-- os.time with missing or bad fields
print(pcall(function() local r = table.pack(os.time({year = 2020, month = 1})) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(os.time({year = 2020, day = 1})) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(os.time({month = 1, day = 1})) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(os.time({year = "2020", month = "1", day = "1", hour = "0"})) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(os.time({year = 2020, month = 1, day = "x"})) return table.unpack(r, 1, r.n) end))
print(pcall(function() local r = table.pack(os.time(5)) return table.unpack(r, 1, r.n) end))
