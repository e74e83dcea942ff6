-- __newindex as a function and as a table; only for absent keys
local log = {}
local t = setmetatable({existing = 1}, {__newindex = function(tbl, k, v)
  log[#log + 1] = k .. "=" .. tostring(v)
  rawset(tbl, k, v == nil and "nil" or v * 10)
end})
t.existing = 2
t.a = 1
t.a = 5
t.b = 3
print(t.existing, t.a, t.b, table.concat(log, " "))
local store = {}
local proxy = setmetatable({}, {__newindex = store, __index = store})
proxy.x = 42
print(rawget(proxy, "x"), store.x, proxy.x)
local ro = setmetatable({}, {__newindex = function(_, k) error("read-only: " .. k, 2) end})
print(pcall(function() ro.z = 1 end))
