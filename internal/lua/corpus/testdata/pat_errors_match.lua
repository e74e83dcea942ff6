-- the same errors through match, gmatch and gsub
print(pcall(string.match, "abc", "(a"))
print(pcall(string.match, "abc", "a)"))
print(pcall(function() for x in ("abc"):gmatch("%") do end end))
print(pcall(string.gsub, "abc", "[b", "x"))
print(pcall(string.match, "abc", "%0"))
print(pcall(string.find, "abc", "(a)%0"))
