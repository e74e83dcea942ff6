-- clearing fields during pairs traversal is allowed
local t = {}
for i = 1, 20 do t["k" .. i] = i end
local sum = 0
for k, v in pairs(t) do sum = sum + v; t[k] = nil end
print(sum, next(t))
local arr = {1, 2, 3, 4, 5}
for i = #arr, 1, -1 do if arr[i] % 2 == 0 then table.remove(arr, i) end end
print(table.concat(arr, ","))
