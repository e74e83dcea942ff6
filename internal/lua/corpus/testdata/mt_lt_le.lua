-- __lt and __le, and __le falling back to not __lt in 5.2
local V = {}
V.__lt = function(a, b) return a.n < b.n end
local function v(n) return setmetatable({n = n}, V) end
print(v(1) < v(2), v(2) < v(1), v(1) > v(2), v(2) > v(1))
print(v(1) <= v(1), v(2) <= v(1), v(1) >= v(2))
V.__le = function(a, b) return a.n <= b.n end
print(v(1) <= v(1), v(2) <= v(1), v(2) >= v(1))
local list = {v(3), v(1), v(2)}
table.sort(list)
print(list[1].n, list[2].n, list[3].n)
table.sort(list, function(a, b) return a > b end)
print(list[1].n, list[2].n, list[3].n)
print(pcall(function() return v(1) < 1 end))
