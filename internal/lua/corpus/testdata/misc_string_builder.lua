-- building strings in buffers, with __concat and __tostring on a builder object
local Builder = {}
Builder.__index = Builder
Builder.__tostring = function(b) return table.concat(b.parts) end
Builder.__concat = function(a, b)
  if getmetatable(a) == Builder then a:add(tostring(b)) return a end
  b:add(tostring(a)) return b
end
function Builder.new() return setmetatable({parts = {}}, Builder) end
function Builder:add(...) for i = 1, select("#", ...) do self.parts[#self.parts + 1] = tostring(select(i, ...)) end return self end
local b = Builder.new()
b:add("a", 1, true):add(nil)
b = b .. "x" .. "y"
print(tostring(b), #b.parts)
local n = Builder.new()
for i = 1, 1000 do n:add(i % 10) end
print(#tostring(n), tostring(n):sub(1, 12))
