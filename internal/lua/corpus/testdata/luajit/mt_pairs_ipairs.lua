-- __pairs and __ipairs metamethods: LuaJIT (without 5.2 compatibility) ignores both, and ipairs reads raw
local t = setmetatable({}, {__pairs = function(self)
  local keys = {"c", "a", "b"}
  local i = 0
  return function() i = i + 1 if keys[i] then return keys[i], i end end, self, nil
end})
for k, v in pairs(t) do print(k, v) end
local u = setmetatable({}, {__ipairs = function(self)
  return function(_, i) if i < 3 then return i + 1, (i + 1) * 10 end end, self, 0
end})
for i, v in ipairs(u) do print(i, v) end
local proxied = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 2 end end})
local n = 0
for i, v in ipairs(proxied) do n = n + v end
print(n)
