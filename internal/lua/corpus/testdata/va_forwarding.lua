-- varargs forwarded through functions, truncated in the middle of lists, adjusted by parentheses
local function pass(...) return ... end
local function three() return 1, 2, 3 end
print(pass(1, 2, 3))
print(three(), three())
print((three()))
local tt = {three(), three()}
print(tt[5] == nil, #tt)
local a, b, c, d = three()
print(a, b, c, d)
local t = {three(), 10}
print(#t, t[1], t[2])
print(pass())
print(pass(nil))
local function wrap(...) local args = {...} return #args, ... end
print(wrap("x", "y"))
print(string.format("%s %s %s", three()))
