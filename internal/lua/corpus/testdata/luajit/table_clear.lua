-- table.clear empties a table in place, keeping its identity
local clear = require "table.clear"
local t = {1, 2, 3, a = "a", b = "b"}
local same = t
clear(t)
print(next(t), #t, same == t)
t[1] = "again"
print(#t, t[1])
local nested = {inner = {1}}
local inner = nested.inner
clear(nested)
print(nested.inner, #inner)
