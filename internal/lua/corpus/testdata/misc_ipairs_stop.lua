-- ipairs stops at the first nil; numeric for over # sees the border
local t = {1, 2, nil, 4}
local n = 0
for _ in ipairs(t) do n = n + 1 end
print(n)
local u = {"a", "b", "c"}
u[5] = "e"
n = 0
for _ in ipairs(u) do n = n + 1 end
print(n)
