-- the go-lua concat defect pattern, under LuaJIT semantics
local t = setmetatable({}, {__index = function(_, k) return "K" .. k end})
local function f(...) return table.concat({...}, "|") end
local x = "x"
print(f("A" .. x, "B", "C", t.k))
local y = "A" .. x
print(6, f(y, "B", "C", t.k))
