-- go-lua #50: a CONCAT in an argument list followed by an __index function call
local t = setmetatable({}, {__index = function(_, k) return "K(" .. k .. ")" end})
local function f(...) return table.concat({...}, "|") end
local x = "x"
print(1, f("A" .. x, "B", "C", t.k))
print(2, f("A" .. x .. "y", "B", "C", "D", t.k, "E"))
print(3, f(x .. x, t.a, t.b, t.c))
