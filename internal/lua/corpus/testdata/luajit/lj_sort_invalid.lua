for _, n in ipairs({4, 5, 10, 33}) do
	local t = {}
	for i = 1, n do t[i] = (i * 37) % 11 end
	local calls = 0
	local ok, err = pcall(table.sort, t, function(a, b) calls = calls + 1 return true end)
	print(n, ok, err, calls, table.concat(t, ","))
	local u = {}
	for i = 1, n do u[i] = (i * 37) % 11 end
	calls = 0
	ok, err = pcall(table.sort, u, function(a, b) calls = calls + 1 return a <= b end)
	print(n, ok, err, calls, table.concat(u, ","))
end
local t = {3, 1, "x"}
print(pcall(table.sort, t))
local m = setmetatable({}, {__lt = function(a, b) return a.v < b.v end})
local objs = {}
for i = 1, 6 do objs[i] = setmetatable({v = (i * 5) % 7}, getmetatable(m)) end
table.sort(objs)
local o = {}
for i, v in ipairs(objs) do o[i] = v.v end
