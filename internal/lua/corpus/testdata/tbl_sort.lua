-- table.sort on numbers and strings, with and without comparators
local nums = {5, 2, 8, 1, 9, 3, 7, 4, 6, 10}
table.sort(nums)
print(table.concat(nums, " "))
table.sort(nums, function(a, b) return a > b end)
print(table.concat(nums, " "))
local words = {"pear", "Apple", "banana", "apple", "Cherry", "10", "9"}
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end)
print(table.concat(words, " "))
local one, empty = {1}, {}
table.sort(one) table.sort(empty)
print(#one, #empty)
local okc, errc = pcall(function() local r = table.pack(table.sort({1, "a", 2})) return table.unpack(r, 1, r.n) end)
print(okc, errc:match("attempt to compare %a+ with %a+") ~= nil)
print(pcall(function() local r = table.pack(table.sort({3, 2, 1}, 42)) return table.unpack(r, 1, r.n) end))
