-- each loop iteration creates a fresh local for closures to capture
local fs = {}
for i = 1, 3 do fs[#fs + 1] = function() return i end end
local ws = {}
local j = 0
while j < 3 do
  j = j + 1
  local k = j
  ws[#ws + 1] = function() return k, j end
end
for _, f in ipairs(fs) do print(f()) end
for _, f in ipairs(ws) do print(f()) end
local gs = {}
for _, v in ipairs({"a", "b"}) do gs[#gs + 1] = function() return v end end
print(gs[1](), gs[2]())
