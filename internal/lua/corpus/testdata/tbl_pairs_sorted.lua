-- iterating hash keys in sorted order and counting entries with pairs
local t = {z = 1, a = 2, m = 3, [1] = "one", [2] = "two", [10] = "ten"}
local strs, nums = {}, {}
for k in pairs(t) do
  if type(k) == "string" then strs[#strs + 1] = k else nums[#nums + 1] = k end
end
table.sort(strs) table.sort(nums)
for _, k in ipairs(strs) do print(k, t[k]) end
for _, k in ipairs(nums) do print(k, t[k]) end
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n)
for i, v in ipairs(t) do print("ipairs", i, v) end
print(next({}), next(t) ~= nil)
