-- parsing HTTP-style headers line by line
local raw = "Host: example.com\r\nContent-Length:  42\r\nX-Empty:\r\nBad line\r\nAccept: a/b, c/d\r\n"
for line in raw:gmatch("(.-)\r\n") do
  local k, v = line:match("^([%w%-]+):%s*(.-)%s*$")
  if k then print(k:lower(), "[" .. v .. "]") else print("invalid", line) end
end
