-- tonumber with strings of many shapes
local inputs = {"10", "  10  ", "10.5", "-7", "+7", "0x10", "0X1F", "-0x10", "1e2", "1E-2", ".5", "5.",
  "0x1p4", "0x.8", "", " ", "abc", "10abc", "1 2", "inf", "nan", "-inf", "0x", "1e", "1e+", "  0x10  ", "\t12\n"}
for _, s in ipairs(inputs) do print(string.format("%q", s), tonumber(s)) end
print(tonumber(42), tonumber(nil), tonumber(true), tonumber({}))
