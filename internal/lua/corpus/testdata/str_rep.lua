-- string.rep with separators and edge counts
print(string.rep("ab", 3))
print(string.rep("ab", 3, ","))
print(string.rep("x", 0), string.rep("x", -1), string.rep("", 5), string.rep("x", 1, ","))
print(#string.rep("abc", 1000), #string.rep("a", 10, "--"))
print(string.rep("x", 2.0), string.rep(5, 2))
print(pcall(function() local r = table.pack(string.rep("x", "y")) return table.unpack(r, 1, r.n) end))
