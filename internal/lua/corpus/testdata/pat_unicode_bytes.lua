-- patterns work on bytes: UTF-8 sequences and high bytes
local s = "héllo wörld"
print(#s)
print(s:find("é", 1, true))
print(s:match("h(.-)llo"))
local n = 0
for c in s:gmatch("[\128-\255]") do n = n + 1 end
print("high bytes", n)
print((s:gsub("[\192-\255][\128-\191]*", "?")))
print(("\255\254"):byte(1, -1))
print(("abc\200def"):find("[\200]"))
