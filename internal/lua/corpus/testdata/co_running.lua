-- coroutine.running in the main thread and inside a coroutine
local main, ismain = coroutine.running()
print(type(main), ismain)
local co
co = coroutine.create(function()
  local me, im = coroutine.running()
  print(me == co, im, type(me))
end)
coroutine.resume(co)
print(coroutine.running() == main)
