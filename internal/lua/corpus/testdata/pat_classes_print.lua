-- which printable characters each class matches
local printable = {}
for i = 32, 126 do printable[#printable + 1] = string.char(i) end
local s = table.concat(printable)
for _, c in ipairs({"%a", "%d", "%l", "%u", "%w", "%x", "%p", "%s", "%g"}) do
  local out = {}
  for ch in s:gmatch(c) do out[#out + 1] = ch end
  print(c, table.concat(out))
end
