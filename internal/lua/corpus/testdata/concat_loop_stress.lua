-- the concat/metamethod pattern repeated in loops and nested calls
local t = setmetatable({}, {__index = function(_, k) return "[" .. k .. "]" end})
local function f(...) return table.concat({...}, ",") end
local acc = {}
for i = 1, 5 do acc[#acc + 1] = f("A" .. i, "B", "C", t["k" .. i]) end
print(table.concat(acc, " / "))
print(f(f("A" .. 1, t.a), f("B" .. 2, t.b), "C" .. 3, t.c))
local s = 0
for i = 1, 100 do
  local r = f("x" .. i, "y", "z", t.w)
  if r == "x" .. i .. ",y,z,[w]" then s = s + 1 end
end
print(s)
