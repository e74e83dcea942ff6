-- sorting records by several keys with a comparator
local people = {
  {name = "ann", age = 30}, {name = "bob", age = 25}, {name = "cid", age = 30},
  {name = "dee", age = 22}, {name = "eve", age = 25}, {name = "fay", age = 41},
}
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.name < b.name
end)
for _, p in ipairs(people) do print(p.name, p.age) end
local big = {}
for i = 1, 1000 do big[i] = (i * 7919) % 1009 end
table.sort(big)
local ok = true
for i = 2, #big do if big[i - 1] > big[i] then ok = false end end
print(ok, big[1], big[1000])
