-- validating IPv4 addresses and simple e-mail addresses
local function ipv4(s)
  local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if not a then return false end
  for _, x in ipairs({a, b, c, d}) do if tonumber(x) > 255 then return false end end
  return true
end
for _, ip in ipairs({"192.168.1.1", "256.1.1.1", "1.2.3", "10.0.0.01", "a.b.c.d"}) do print(ip, ipv4(ip)) end
for _, e in ipairs({"a@b.co", "bad@", "x.y+z@mail.example.org", "@no"}) do
  print(e, e:match("^[%w%.%+%-_]+@[%w%-]+%.[%w%.%-]+$") ~= nil)
end
