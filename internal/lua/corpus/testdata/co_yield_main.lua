-- yield outside any coroutine is an error
print(pcall(coroutine.yield, 1))
local ok, err = pcall(function() coroutine.yield() end)
print(ok, err)
