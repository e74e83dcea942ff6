-- gsub with a table replacement: missing keys and false keep the match
local vars = {name = "Lua", version = "5.2", off = false, num = 42}
print(("$name $version $missing $off $num"):gsub("%$(%w+)", vars))
print(("a b c"):gsub("%a", {a = "1", c = "3"}))
print(("hello"):gsub(".", {h = "H", o = 0}))
local t = setmetatable({}, {__index = function(_, k) return k:upper() end})
print(("abc def"):gsub("%a+", t))
print(("k1=v1"):gsub("(%w+)=(%w+)", {k1 = "first capture used"}))
