-- __index as a table, chained prototypes
local Base = {greet = function(self) return "hello from " .. self.name end, kind = "base"}
local Mid = setmetatable({kind = "mid"}, {__index = Base})
local obj = setmetatable({name = "obj"}, {__index = Mid})
print(obj:greet(), obj.kind, obj.missing)
Base.extra = "late"
print(obj.extra)
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound) return setmetatable({name = name, sound = sound}, Animal) end
function Animal:speak() return self.name .. " says " .. self.sound end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name, "woof") return setmetatable(d, Dog) end
function Dog:fetch() return self.name .. " fetches" end
local d = Dog.new("rex")
print(d:speak(), d:fetch(), getmetatable(d) == Dog)
