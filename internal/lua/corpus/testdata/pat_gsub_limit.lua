-- gsub with the max replacements argument
print(("aaaa"):gsub("a", "b", 2))
print(("aaaa"):gsub("a", "b", 0))
print(("aaaa"):gsub("a", "b", -1))
print(("aaaa"):gsub("a", "b", 10))
print(("a b c d"):gsub("%a", string.upper, 3))
print(("abc"):gsub("", "-", 2))
print(("aaaa"):gsub("a", "b", 2.0))
