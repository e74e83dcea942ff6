-- many values and nils through resume/yield
local co = coroutine.create(function(...)
  print(select("#", ...), ...)
  local r = table.pack(coroutine.yield(nil, nil, 3))
  print(r.n, r[1], r[2], r[3])
  return ...
end)
print(coroutine.resume(co, 1, nil, 3, nil))
print(coroutine.resume(co, nil, nil))
print(select("#", coroutine.resume(coroutine.create(function() end))))
print(select("#", coroutine.resume(coroutine.create(function() coroutine.yield() end))))
