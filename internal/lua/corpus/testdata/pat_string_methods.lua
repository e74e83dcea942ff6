-- pattern functions called as methods through the string metatable
local s = "Lua patterns"
print(s:find("pat"))
print(s:match("%u%l+"))
print(s:gsub("%s", "_"))
local out = {}
for w in s:gmatch("%a+") do out[#out + 1] = w:len() end
print(table.concat(out, ","))
print(("%d"):rep(2), ("x"):rep(3, ","))
print(getmetatable("").__index == string)
