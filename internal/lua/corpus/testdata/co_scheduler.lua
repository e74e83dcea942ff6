-- a round-robin scheduler over several tasks
local tasks = {}
local log = {}
local function spawn(name, n)
  tasks[#tasks + 1] = {name = name, co = coroutine.create(function()
    for i = 1, n do log[#log + 1] = name .. i; coroutine.yield() end
  end)}
end
spawn("a", 3) spawn("b", 1) spawn("c", 2)
while #tasks > 0 do
  local t = table.remove(tasks, 1)
  coroutine.resume(t.co)
  if coroutine.status(t.co) ~= "dead" then tasks[#tasks + 1] = t end
end
print(table.concat(log, " "))
