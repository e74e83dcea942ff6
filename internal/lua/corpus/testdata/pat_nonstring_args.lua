-- numbers are accepted as subjects and patterns; other types raise errors
print(string.find(12345, 3))
print(string.match(3.5, "%d"))
print(string.gsub(1000, "0", "1"))
print(string.rep(7, 3))
print(pcall(string.find, nil, "a"))
print(pcall(string.match, "a", nil))
print(pcall(string.gsub, {}, "a", "b"))
print(pcall(string.gmatch, "a"))
