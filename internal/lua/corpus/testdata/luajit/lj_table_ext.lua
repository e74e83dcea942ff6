-- OpenResty's LuaJIT table extensions: table.isempty, table.isarray, table.clone, as fields of
-- the table library and through require.
local isarray = require "table.isarray"
local isempty = require "table.isempty"
local clone = require "table.clone"
print(isarray == table.isarray, isempty == table.isempty, clone == table.clone)
local cases = {{}, {1, 2, 3}, {1, nil, 3}, {[2] = 1}, {a = 1}, {[1.5] = 1}, {[0] = 1},
  {[-1] = 1}, {1, 2, a = 1}, {[1] = 1, [3] = 3}, {[true] = 1}}
for i, t in ipairs(cases) do
  print(i, isarray(t), isempty(t))
end
local t = {} t[1] = 1 t[2] = nil
print(isarray(t), isempty(t))
local u = {1} u[1] = nil
print(isempty(u), isarray(u))
local src = setmetatable({1, 2, x = {3}, [1.5] = "f", [true] = "b"}, {__index = function() return "meta" end})
local c = clone(src)
print(c[1], c[2], c.x == src.x, c[1.5], c[true], getmetatable(c), c == src, c.missing)
print(pcall(isarray, 1))
print(pcall(isempty, "x"))
print(pcall(isarray))
print(pcall(clone, nil))
