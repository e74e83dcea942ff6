-- goto used as continue in loops
for i = 1, 10 do
  if i % 3 == 0 then goto continue end
  print(i)
  ::continue::
end
local i = 0
while i < 5 do
  i = i + 1
  if i == 2 then goto next end
  print("w", i)
  ::next::
end
