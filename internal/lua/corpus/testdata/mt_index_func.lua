-- __index as a function, called only for absent keys
local calls = {}
local t = setmetatable({present = 1}, {__index = function(tbl, k)
  calls[#calls + 1] = tostring(k)
  return type(k) == "string" and k:upper() or nil
end})
print(t.present, t.abc, t[1], t.xyz)
print(table.concat(calls, ","))
print(rawget(t, "abc"))
t.abc = "set"
print(t.abc, #calls)
