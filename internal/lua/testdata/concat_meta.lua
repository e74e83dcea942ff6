local mt = {
  __index = function(_, k) return "<" .. tostring(k) .. ">" end,
  __newindex = function(t, k, v) rawset(t, k, "[" .. tostring(v) .. "]") end,
  __len = function() return 42 end,
  __unm = function() return "neg" end,
  __add = function() return "add" end,
  __sub = function() return "sub" end,
  __mul = function() return "mul" end,
  __div = function() return "div" end,
  __mod = function() return "mod" end,
  __pow = function() return "pow" end,
  __eq = function() return true end,
  __lt = function() return true end,
  __le = function() return false end,
  __concat = function(a, b) return "cat" end,
  __call = function(self, ...) return "called" .. select('#', ...) end,
}
local t = setmetatable({}, mt)
local u = setmetatable({}, mt)
local x = "x"
local function f(...)
  local s = ""
  for i = 1, select('#', ...) do s = s .. tostring((select(i, ...))) .. "|" end
  return s
end
print(1, f("a" .. x, "b", #t, "c"))
print(2, f("a" .. x, "b", -t, "c"))
print(3, f("a" .. x, "b", t + 1, t - 1, t * 2, t / 2, t % 2, t ^ 2, "c"))
local y = "a" .. x
t.k = "v" .. y
print(4, f(y, rawget(t, "k"), "c"))
print(5, f("a" .. x, t == u, "c"))
print(6, f("a" .. x, t < u, t <= u, "c"))
print(7, f("a" .. x, t .. "z", "z" .. t, "c"))
print(8, f("a" .. x, t(1, 2), "c"))
local z = "p" .. x
local w = {z, t.q, #t, -t, t * 2}
print(9, table.concat(w, ","))
for i = 1, 3 do
  local s = "i" .. i
  print(10, f(s, t[s], #t))
end
print(11, ("a" .. x):upper(), ("b" .. x):rep(2))
local n = 0
while n < 3 do
  n = n + 1
  local s = "w" .. n
  if s == "w2" then print(12, f(s, t.w)) else print(12, f(s, -t)) end
end
local function g(a, b) return a .. b, t.g, #t end
print(13, g("1", "2"))
print(14, select('#', g("1", "2")))
local r = {}
r[#r + 1] = "a" .. x
r[#r + 1] = t.r
r["k" .. x] = t.s
print(15, r[1], r[2], r.kx)
local function h(...) return ... end
print(16, h("a" .. x, t.h, "b" .. x, #t, -t))
print(17, pcall(function() return "e" .. x, t.e end))
print(18, string.format("%s|%s|%s", "f" .. x, t.f, #t))
local up = "u"
local function nested()
  return function(q) return q .. up, t[q .. up], #t end
end
print(19, nested()("n"))
goto done
print("skipped")
::done::
print(20, #("a" .. x .. "b" .. x), t["c" .. x])
