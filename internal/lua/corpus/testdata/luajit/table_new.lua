-- table.new pre-sizes a table that starts empty
local new_tab = require "table.new"
local t = new_tab(10, 5)
print(type(t), #t, next(t))
for i = 1, 10 do t[i] = i * i end
t.x = "x"
print(#t, t[10], t.x)
local u = new_tab(0, 0)
u[1] = "a"
print(#u, u[1])
print(table.new == nil or type(table.new) == "function")
