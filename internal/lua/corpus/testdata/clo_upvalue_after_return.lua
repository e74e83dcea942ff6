-- closures keep locals alive after their scope ends, including block scopes
local getters = {}
do
  local hidden = "secret"
  getters.a = function() return hidden end
  getters.set = function(v) hidden = v end
end
print(getters.a())
getters.set("changed")
print(getters.a())
local fns = {}
for i = 1, 3 do
  local acc = i * 100
  fns[i] = function(d) acc = acc + d return acc end
end
print(fns[1](1), fns[2](2), fns[3](3), fns[1](1))
