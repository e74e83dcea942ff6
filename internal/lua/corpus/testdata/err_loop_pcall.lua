-- pcall in a loop, errors do not disturb the stack of the caller
local results = {}
for i = 1, 6 do
  local ok, v = pcall(function()
    if i % 2 == 0 then error("even " .. i, 0) end
    return i * 10
  end)
  results[#results + 1] = tostring(ok) .. ":" .. tostring(v)
end
print(table.concat(results, " "))
local a, b, c = 1, 2, 3
pcall(error, "x")
print(a, b, c)
