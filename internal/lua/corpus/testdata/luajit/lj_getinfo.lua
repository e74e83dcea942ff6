-- debug.getinfo as LuaJIT answers it: the fields of each option, levels, functions, threads.
local function show(label, t)
	if t == nil then
		print(label, "nil")
		return
	end
	local keys = {}
	for k in pairs(t) do keys[#keys + 1] = k end
	table.sort(keys)
	local out = {}
	for _, k in ipairs(keys) do
		local v = t[k]
		if type(v) == "function" or type(v) == "table" then v = type(v) end
		if k == "source" then v = v:sub(2) end
		out[#out + 1] = k .. "=" .. tostring(v)
	end
	print(label, table.concat(out, " "))
end
local up = 1
local function named(a, b, ...)
	local x = up
	show("default", debug.getinfo(1))
	show("caller Sl", debug.getinfo(2, "Sl"))
	show("n", debug.getinfo(1, "n"))
	show("self", debug.getinfo(0, "Sn"))
	return x
end
named()
show("function", debug.getinfo(named))
show("Go function", debug.getinfo(string.rep))
show("Go function L", debug.getinfo(print, "L"))
show("empty", debug.getinfo(1, ""))
show("deep", debug.getinfo(50))
print(debug.getinfo(1, "f").func ~= nil, debug.getinfo(named, "f").func == named)
print(debug.getinfo(1.5, "l").currentline, debug.getinfo("1", "l").currentline)
local function noreturn(n)
	local y = n + 1

	up = y
end
local lines = {}
for k, v in pairs(debug.getinfo(noreturn, "L").activelines) do lines[#lines + 1] = k .. "=" .. tostring(v) end
table.sort(lines)
print("activelines", table.concat(lines, " "))
local function try(fn)
	local ok, err = pcall(fn)
	print(ok, err)
end
try(function() local r = debug.getinfo(1, "X") return r end)
try(function() local r = debug.getinfo(1, ">S") return r end)
try(function() local r = debug.getinfo("x") return r end)
try(function() local r = debug.getinfo() return r end)
try(function() local r = debug.getinfo({}) return r end)
try(function() local r = debug.getinfo(-1) return r end)
-- Names as the calling code gives them.
local t = {}
function t.field() local r = debug.getinfo(1, "n") return r end
show("field", t.field())
function t:method() local r = debug.getinfo(1, "n") return r end
show("method", t:method())
function global_fn() local r = debug.getinfo(1, "n") return r end
show("global", global_fn())
local function upv() local r = debug.getinfo(1, "n") return r end
local function calls_upv() local r = upv() return r end
show("upvalue", calls_upv())
local function tail() return debug.getinfo(1, "n") end
show("tail", tail())
local function where() return debug.getinfo(2, "l").currentline end
local function uses_where()
	local line = where()
	return line
end
print("where", uses_where())
local function iter(_, c)
	if c then return nil end
	local r = debug.getinfo(1, "n")
	return r
end
for info in iter do show("for iterator", info) end
local mt = setmetatable({}, {__index = function(_, k) return debug.getinfo(1, "n") end})
show("metamethod", mt.foo)
-- Threads.
local co = coroutine.create(function(a) local x = coroutine.yield(a) return x end)
show("thread before", debug.getinfo(co, 0, "Sl"))
coroutine.resume(co, 1)
show("thread 0", debug.getinfo(co, 0, "Sln"))
show("thread 1", debug.getinfo(co, 1, "Sl"))
show("thread 2", debug.getinfo(co, 2, "Sl"))
show("thread function", debug.getinfo(co, print, "S"))
