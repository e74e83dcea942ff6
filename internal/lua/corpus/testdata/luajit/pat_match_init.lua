-- string.match with init
local s = "one two three"
print(s:match("%a+", 1))
print(s:match("%a+", 4))
print(s:match("%a+", 5))
print(s:match("%a+", -5))
print(s:match("%a+", -100))
print(s:match("%a+", 100))
print(s:match("^%a+", 5))
print(s:match("^two", 5))
print(s:match("()", 14))
print(s:match("()", 15))
