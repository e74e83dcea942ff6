-- __call with arguments and multiple results
local callable = setmetatable({prefix = ">"}, {__call = function(self, a, b) return self.prefix .. a, b and b * 2 end})
print(callable("x", 21))
print(callable("y"))
print(pcall(callable, "z", 1))
local memo = setmetatable({}, {__call = function(self, n)
  if n < 2 then return n end
  if not rawget(self, n) then rawset(self, n, self(n - 1) + self(n - 2)) end
  return self[n]
end})
print(memo(50))
print(select("#", callable("a", 1)))
