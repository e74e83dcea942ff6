-- Lua 5.1's module and package.seeall, which LuaJIT keeps, and the other 5.1 names.
print(_VERSION, type(package.cpath), type(package.seeall), type(module))
package.cpath = "/opt/?.so;" .. package.cpath
print(package.cpath:sub(1, 10))
package.preload["util.strings"] = loadstring([[
module(..., package.seeall)
local count = 0
function shout(s) count = count + 1 return string.upper(s) .. "!" end
function calls() return count end
]])
local u = require "util.strings"
print(u.shout("hi"), u.calls(), u._NAME, u._PACKAGE, u._M == u)
print(util.strings == u, package.loaded["util.strings"] == u, rawget(u, "string"))
package.preload.plain = loadstring([[
module("plain")
x = 1
function get() return x end
]])
local p = require "plain"
print(p.x, p.get(), p._PACKAGE == "", getmetatable(p))
-- Calling module again for the same name keeps the table and its _NAME.
package.preload.again = loadstring([[ module("plain") y = 2 ]])
require "again"
print(p.y, p.x)
local function try(f)
	local ok, err = pcall(f)
	print(ok, err)
end
try(function() local r = module() return r end)
try(function() local r = pcall(module, "from_go") return r end)
_G.conflict = 5
try(function() module("conflict.sub") end)
local M = setmetatable({}, {__mode = "k"})
package.seeall(M)
print(getmetatable(M).__mode, getmetatable(M).__index == _G)
try(function() package.seeall(1) end)
try(function() local r = table.foreach(1) return r end)
try(function() local r = table.foreach({}, 1) return r end)
try(function() local r = table.foreachi({}, nil) return r end)
try(function() local r = table.foreachi("x", print) return r end)
print(table.foreachi({1, 2, nil, 4}, function(i, v) print(i, v) end))
print(table.foreachi({"a", "b", "c"}, function(i, v) if v == "b" then return i, v end end))
print(table.foreach({a = 1}, function(k, v) return k .. v end))
local t = setmetatable({}, {__index = function(_, i) return i * 10 end})
print(#t, table.foreachi(t, print))
-- require: the loader gets only the name; a loop, or a module that failed before, is an error.
package.preload.args = function(...) return {n = select("#", ...), name = ...} end
local a = require "args"
print(a.n, a.name)
package.preload.selfish = function() return require "selfish" end
try(function() local r = require "selfish" return r end)
package.preload.broken = function() error("broken at load") end
try(function() local r = require "broken" return r end)
try(function() local r = require "broken" return r end)
package.preload.nothing = function() end
print(require "nothing", package.loaded.nothing)
package.preload.sets = function(name) package.loaded[name] = "set by itself" end
print(require "sets")
try(function() local r = require(nil) return r end)
