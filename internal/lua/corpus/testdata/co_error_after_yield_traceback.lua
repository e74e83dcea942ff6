-- error objects keep their identity through resume; tostring of errors with __tostring
local E = setmetatable({msg = "custom"}, {__tostring = function(e) return "E(" .. e.msg .. ")" end})
local co = coroutine.create(function() coroutine.yield(); error(E) end)
coroutine.resume(co)
local ok, e = coroutine.resume(co)
print(ok, e == E, tostring(e))
print(select("#", coroutine.resume(co)))
