-- extracting numbers in several notations
local s = "x=-12 y=3.5 z=1e3 w=0x1F v=.5"
for k, v in s:gmatch("(%a)=([%-%.%w]+)") do print(k, v, tonumber(v)) end
print(("v1.22.333"):match("^v(%d+)%.(%d+)%.(%d+)$"))
print(("  -42abc"):match("^%s*([%+%-]?%d+)"))
