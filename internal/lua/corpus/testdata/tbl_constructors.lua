-- table constructors: positional, keyed, mixed, trailing separators, nested
local t = {1, 2, 3, x = "x", ["y z"] = "yz", [10] = "ten", 4; 5,}
print(#t, t[4], t[5], t.x, t["y z"], t[10])
local n = {{1, 2}, {3, {4, 5}}}
print(n[2][2][2], #n, #n[2])
local k = {[1] = "a", [2] = "b", "override"}
print(k[1], k[2])
local f = {f = function(self) return self.v end, v = 7}
print(f:f())
local e = {}
print(next(e), #e)
