-- _ENV as a local: changing the environment of a block (Lua 5.2)
local print, tostring = print, tostring
local function sandboxed()
  local _ENV = {x = 1}
  y = 2
  return x, y, _ENV
end
local x, y, env = sandboxed()
print(x, y, env.y, env.x)
do
  local _ENV = setmetatable({}, {__index = {answer = 42}})
  print(answer, undefined)
end
local f = load("return a + b", "=env", "t", {a = 1, b = 2})
print(f())
local g = load("c = 5 return c", "=env2", "t", {})
print(g())
