-- the ... expression in table constructors, in the middle of calls, and in nested functions
local function f(...)
  local t = {...}
  local u = {..., "end"}
  local v = {"start", ...}
  return #t, #u, #v, u[2], v[2]
end
print(f("a", "b", "c"))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...) or 0) end
  return s
end
print(sum(1, 2, nil, 4))
print(sum())
local function outer(...)
  local n = select("#", ...)
  return function() return n end
end
print(outer(1, 2, 3)())
