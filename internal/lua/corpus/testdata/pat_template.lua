-- a template engine with gsub and nested balanced matches
local env = {user = {name = "ann", age = 30}, items = 3}
local function lookup(path)
  local v = env
  for part in path:gmatch("[^%.]+") do
    if type(v) ~= "table" then return nil end
    v = v[part]
  end
  return v
end
local tpl = "Hello {{user.name}} ({{user.age}}), you have {{items}} items{{missing}}. {{ user.name }}"
print((tpl:gsub("{{%s*([%w%.]+)%s*}}", function(p) local v = lookup(p) return v and tostring(v) or "" end)))
print((("f(g(x), h(y))"):gsub("%b()", function(s) return "[" .. #s .. "]" end)))
