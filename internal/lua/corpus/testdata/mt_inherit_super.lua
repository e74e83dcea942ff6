-- single inheritance with super calls and method overriding
local Shape = {}
Shape.__index = Shape
function Shape.new(name) return setmetatable({name = name}, Shape) end
function Shape:area() return 0 end
function Shape:describe() return self.name .. " with area " .. self:area() end
local Rect = setmetatable({}, {__index = Shape})
Rect.__index = Rect
function Rect.new(w, h) local r = Shape.new("rect") r.w, r.h = w, h return setmetatable(r, Rect) end
function Rect:area() return self.w * self.h end
local Square = setmetatable({}, {__index = Rect})
Square.__index = Square
function Square.new(s) local q = Rect.new(s, s) q.name = "square" return setmetatable(q, Square) end
function Square:describe() return "[" .. Rect.describe(self) .. "]" end
for _, s in ipairs({Shape.new("blob"), Rect.new(2, 3), Square.new(4)}) do print(s:describe()) end
