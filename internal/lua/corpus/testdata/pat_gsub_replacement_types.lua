-- replacement values that are numbers, and % in replacement strings
print(("a b"):gsub("%a", 1))
print(("a b"):gsub("%a", 2.5))
print(("abc"):gsub("b", "%%1"))
print(("abc"):gsub("(b)", "%%%1%%"))
print(("abc"):gsub("b", "%0%0%0"))
print(("x"):gsub("(x)", {x = 10}))
print(("x"):gsub("x", function() return 10 end))
