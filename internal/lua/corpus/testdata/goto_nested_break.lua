-- goto to break out of nested loops, and backwards gotos forming a loop
for i = 1, 3 do
  for j = 1, 3 do
    if i * j == 4 then goto done end
    print(i, j)
  end
end
::done::
print("after")
local n = 0
::top::
n = n + 1
if n < 5 then goto top end
print("n", n)
