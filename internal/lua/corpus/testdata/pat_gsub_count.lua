-- counting with gsub and reading its second result
local text = "the quick brown fox jumps over the lazy dog the end"
print(select(2, text:gsub("the", "")))
print(select(2, text:gsub("%f[%a]the%f[%A]", "")))
print(select(2, text:gsub("%s", "")))
print(select(2, text:gsub("o", "o")))
print(select(2, (""):gsub("x", "y")))
print(select(2, (""):gsub("", "y")))
