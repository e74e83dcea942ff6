-- catching, wrapping and rethrowing errors
local function risky(n)
  if n > 2 then error({n = n, msg = "too big"}) end
  return n
end
local function wrapper(n)
  local ok, e = pcall(risky, n)
  if not ok then error("wrapped: " .. e.msg .. " " .. e.n, 0) end
  return e
end
for i = 1, 4 do print(i, pcall(wrapper, i)) end
local ok, e = pcall(function()
  local ok2, e2 = pcall(error, "inner", 0)
  error(e2 .. " rethrown", 0)
end)
print(ok, e)
