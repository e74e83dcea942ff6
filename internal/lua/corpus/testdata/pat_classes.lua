-- character classes %a %d %l %s %u %w %x %p %c %g and their complements
local all = {}
for i = 0, 127 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
for _, c in ipairs({"a", "d", "l", "s", "u", "w", "x", "p", "c", "g"}) do
  local n1 = select(2, s:gsub("%" .. c, ""))
  local n2 = select(2, s:gsub("%" .. c:upper(), ""))
  print(c, n1, n2)
end
print(("Hello, World! 42"):gsub("%p", "_"))
print(("tab\there"):gsub("%s", "."))
print(("0xFFg"):match("%x+", 3))
