-- two closures sharing the same upvalue see each other's writes
local function pair()
  local shared = 0
  local function set(v) shared = v end
  local function get() return shared end
  return set, get
end
local set, get = pair()
set(10)
print(get())
local set2, get2 = pair()
print(get2(), get())
local x = 1
local function f() x = x + 1 return x end
local function g() return x * 10 end
f()
print(x, g())
