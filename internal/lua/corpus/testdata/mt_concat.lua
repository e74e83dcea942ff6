-- __concat on either side and in chains
local mt = {__concat = function(a, b)
  local sa = type(a) == "table" and "[" .. a.v .. "]" or tostring(a)
  local sb = type(b) == "table" and "[" .. b.v .. "]" or tostring(b)
  return sa .. sb
end}
local x = setmetatable({v = "x"}, mt)
local y = setmetatable({v = "y"}, mt)
print(x .. "s")
print("s" .. x)
print(x .. y)
print(1 .. x)
print("a" .. "b" .. x .. "c" .. "d")
print(x .. y .. x)
