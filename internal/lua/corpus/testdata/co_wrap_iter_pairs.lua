-- a wrapped coroutine iterating sorted keys of a table
local function sortedpairs(t)
  return coroutine.wrap(function()
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do coroutine.yield(k, t[k]) end
  end)
end
for k, v in sortedpairs({zeta = 1, alpha = 2, mid = 3}) do print(k, v) end
