-- memoization with closures and higher-order functions
local function memoize(f)
  local cache, hits = {}, 0
  return function(x)
    if cache[x] ~= nil then hits = hits + 1 return cache[x] end
    local v = f(x)
    cache[x] = v
    return v
  end, function() return hits end
end
local slow_calls = 0
local sq, hits = memoize(function(x) slow_calls = slow_calls + 1 return x * x end)
for _, v in ipairs({2, 3, 2, 2, 4, 3}) do sq(v) end
print(slow_calls, hits())
local function compose(...)
  local fns = {...}
  return function(x) for i = #fns, 1, -1 do x = fns[i](x) end return x end
end
print(compose(function(x) return x + 1 end, function(x) return x * 2 end)(5))
local function map(t, f) local r = {} for i, v in ipairs(t) do r[i] = f(v) end return r end
print(table.concat(map({1, 2, 3}, function(v) return v * v end), ","))
