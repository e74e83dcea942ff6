-- gmatch iterator used manually, and independence of iterators
local it = ("10 20 30"):gmatch("%d+")
print(it())
print(it())
print(it())
print(it())
local a = ("aaa"):gmatch("a")
local b = ("bbb"):gmatch("b")
print(a(), b(), a(), b())
local lines = {}
for line in ("l1\nl2\n\nl4"):gmatch("([^\n]*)\n?") do lines[#lines + 1] = "<" .. line .. ">" end
print(table.concat(lines, ","))
