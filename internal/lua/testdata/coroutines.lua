local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i, i * i) end
    return "done"
  end)
end
local g = gen(3)
print(g()) print(g()) print(g()) print(g())
print(pcall(g))

local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c, d = coroutine.yield(a + b)
  print("got", c, d)
  local e = coroutine.yield()
  print("got", e)
  return "end", nil, 3
end)
print(coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, "x", "y"))
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co))

-- status from inside, running, normal
local outer
outer = coroutine.create(function()
  print("outer sees", coroutine.status(outer))
  local inner = coroutine.create(function()
    print("inner sees outer", coroutine.status(outer))
    local me, ismain = coroutine.running()
    print("running is thread", type(me), ismain)
    coroutine.yield()
  end)
  coroutine.resume(inner)
  print("inner", coroutine.status(inner))
end)
coroutine.resume(outer)
print("outer", coroutine.status(outer))
local main, ismain = coroutine.running()
print(type(main), ismain, coroutine.status(main))

-- errors
local bad = coroutine.create(function() local x = nil; return x.y end)
print(coroutine.resume(bad))
print(coroutine.status(bad))
local t = {}
local bad2 = coroutine.create(function() error(t) end)
local ok, e = coroutine.resume(bad2)
print(ok, e == t)
print(pcall(coroutine.wrap(function() error("wrapped") end)))
print(pcall(coroutine.wrap(function() error({}) end)) == false)
local w = coroutine.wrap(function() end)
w()
print(pcall(w))
print(select("#", coroutine.resume(coroutine.create(function() return end))))
print(coroutine.resume(coroutine.create(function(...) return select("#", ...), ... end), nil, nil))

-- yield across pcall and metamethods
local yp = coroutine.create(function()
  local ok, v = pcall(function()
    local r = coroutine.yield("in pcall")
    error("after " .. r)
  end)
  coroutine.yield(ok, v)
  local mt = setmetatable({}, {__index = function(_, k) return coroutine.yield("index " .. k) end})
  return mt.key
end)
print(coroutine.resume(yp))
print(coroutine.resume(yp, "resume"))
print(coroutine.resume(yp))
print(coroutine.resume(yp, "from index"))

-- passing many values and tables
local vals = {}
for i = 1, 100 do vals[i] = i end
local many = coroutine.wrap(function(...) return select("#", ...), coroutine.yield(...) end)
print(select("#", many(unpack and unpack(vals) or table.unpack(vals))))
print(many(1, 2, 3))

-- producer/consumer
local function producer()
  return coroutine.create(function()
    for _, w in ipairs({"a", "b", "c"}) do coroutine.yield(w) end
  end)
end
local p = producer()
local out = {}
while true do
  local ok, v = coroutine.resume(p)
  if not v then break end
  out[#out + 1] = v
end
print(table.concat(out, ","), coroutine.status(p))

-- resume non-suspended
local self
self = coroutine.create(function() return coroutine.resume(self) end)
print(coroutine.resume(self))
print(coroutine.resume(coroutine.running()))
print(pcall(coroutine.yield))

-- string metatable and globals inside coroutines
coroutine.wrap(function() print(("abc"):upper(), string.format("%d", 5), math.floor(2.5)) end)()
G_SET = nil
coroutine.wrap(function() G_SET = "set inside" end)()
print(G_SET)
