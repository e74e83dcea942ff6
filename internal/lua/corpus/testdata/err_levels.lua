-- error levels: 1 is the caller of error, 2 its caller, 0 no position
local function lvl1() error("at level 1") end
local function lvl2() error("at level 2", 2) end
local function lvl0() error("no position", 0) end
local function caller() lvl2() end
print(pcall(lvl1))
print(pcall(caller))
print(pcall(lvl0))
local function deep(n) if n == 0 then error("deep", 3) end deep(n - 1) end
print(pcall(deep, 5))
print(pcall(function() error("x", 1) end))
print(pcall(function() error(42, 2) end))
print(select("#", pcall(function() error({}, 2) end)), type(select(2, pcall(function() error({}, 2) end))))
