local t = setmetatable({}, {__index = function(_, k) return "<" .. tostring(k) .. ">" end, __len = function() return 9 end})
local function f(...) local s = "" for i = 1, select('#', ...) do s = s .. tostring((select(i, ...))) .. "|" end return s end
local out = {}
for i = 1, 3 do out[#out + 1] = f("n" .. i, t[i], #t) end
for k, v in ipairs({"a", "b"}) do out[#out + 1] = f(k .. v, t[v]) end
local i = 0
while true do
  i = i + 1
  if i > 3 then break end
  if i == 2 then goto continue end
  out[#out + 1] = f("w" .. i, t.w)
  ::continue::
end
repeat
  i = i - 1
  local s = "r" .. i
  out[#out + 1] = f(s, -#t == -9 and t.r or "no")
until s == "r1"
local a, b = "A", nil
out[#out + 1] = f(a and a .. "1" or "none", b and b .. "2" or t.none, (a .. "x") == "Ax" and t.yes)
local function early(x)
  if x then return "e" .. x, t.e end
  return "late" .. tostring(x), #t
end
out[#out + 1] = f(early(1)) .. f(early(nil))
for n = 3, 1, -1 do
  local s = n .. "" .. n
  if n % 2 == 0 then out[#out + 1] = f(s, t[s]) else out[#out + 1] = f(s) end
end
print(table.concat(out, "\n"))
local line_check = ""
for j = 1, 2 do
  line_check = line_check .. j
end
local nothing = nil
print(pcall(function() return nothing.field end))
print(pcall(function() local q = "a" .. line_check; local r = nil; return q .. r.x end))
