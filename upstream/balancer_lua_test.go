package upstream

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/internal/luatest"
)

// runLua runs src as one request with the balancer modules and returns what print printed,
// one line per call, and the error.
func runLua(t *testing.T, src string) (string, error) {
	t.Helper()
	out, err := luatest.Run(t, lua.Config{Modules: LuaModules()}, time.Unix(1700000000, 0), src)
	return strings.Join(out, "\n"), err
}

// sortedLines sorts the lines of out: for outputs the original prints in pairs order, which
// is LuaJIT's table order.
func sortedLines(out string) []string {
	lines := strings.Split(out, "\n")
	slices.Sort(lines)
	return lines
}

// TestLuaReferenceCHash replays the cases of lua-resty-balancer's t/chash.t, with ngx.say as
// print; the expected outputs are that file's response bodies, produced by the original.
func TestLuaReferenceCHash(t *testing.T) {
	t.Run("TEST 1: find", func(t *testing.T) {
		out, err := runLua(t, `
			local resty_chash = require "resty.chash"
			local servers = {
				["server1"] = 10,
				["server2"] = 2,
				["server3"] = 1,
			}
			local chash = resty_chash:new(servers)
			local res = {}
			for i = 1, 100 * 1000 do
				local id = chash:find(i)
				if res[id] then
					res[id] = res[id] + 1
				else
					res[id] = 1
				end
			end
			for id, num in pairs(res) do
				print(id .. ": " .. num)
			end
			print("points number: " .. chash.npoints)`)
		require.NoError(t, err)
		// t/chash.t TEST 1 (its first lines come in LuaJIT's pairs order, compared sorted here).
		want := "server2: 14743\nserver1: 77075\nserver3: 8182\npoints number: 2080"
		assert.ElementsMatch(t, sortedLines(want), sortedLines(out))
		assert.True(t, strings.HasSuffix(out, "points number: 2080"))
	})
	t.Run("TEST 3: next", func(t *testing.T) {
		out, err := runLua(t, `
			local resty_chash = require "resty.chash"
			local servers = {
				["server1"] = 2,
				["server2"] = 2,
				["server3"] = 1,
			}
			local chash = resty_chash:new(servers)
			local id, idx = chash:find("foo")
			print(id .. ", " .. idx)
			for i = 1, 100 do
				id, idx = chash:next(idx)
			end
			print(id .. ", " .. idx)`)
		require.NoError(t, err)
		assert.Equal(t, "server1, 434\nserver2, 534", out) // t/chash.t TEST 3
	})
	t.Run("TEST 4: up, decr", func(t *testing.T) {
		out, err := runLua(t, `
			local resty_chash = require "resty.chash"
			local servers = {
				["server1"] = 7,
				["server2"] = 2,
				["server3"] = 1,
			}
			local chash = resty_chash:new(servers)
			local num = 100 * 1000
			local res1 = {}
			for i = 1, num do
				res1[i] = chash:find(i)
			end
			chash:incr("server1")
			local res2 = {}
			for i = 1, num do
				res2[i] = chash:find(i)
			end
			local same, diff = 0, 0
			for i = 1, num do
				if res1[i] == res2[i] then same = same + 1 else diff = diff + 1 end
			end
			print("same: " .. same)
			print("diff: " .. diff)
			chash:decr("server3")
			local res3 = {}
			for i = 1, num do
				res3[i] = chash:find(i)
			end
			local same, diff = 0, 0
			for i = 1, num do
				if res3[i] == res2[i] then same = same + 1 else diff = diff + 1 end
			end
			print("same: " .. same)
			print("diff: " .. diff)`)
		require.NoError(t, err)
		// t/chash.t TEST 4
		assert.Equal(t, "same: 97606\ndiff: 2394\nsame: 90255\ndiff: 9745", out)
	})
}

// TestLuaReferenceRoundRobin replays the cases of lua-resty-balancer's t/roundrobin.t, with
// ngx.say as print; the expected outputs are that file's response bodies.
func TestLuaReferenceRoundRobin(t *testing.T) {
	t.Run("TEST 1: sanity", func(t *testing.T) {
		out, err := runLua(t, `
			math.randomseed(75098)
			local roundrobin = require "resty.roundrobin"
			local servers = {
				["server1"] = 8,
				["server2"] = 4,
				["server3"] = 2,
			}
			local rr = roundrobin:new(servers)
			print("gcd: " .. rr.gcd)
			for i = 1, 14 do
				local id = rr:find()
				if type(id) ~= "string" or not servers[id] then
					return print("fail")
				end
			end
			print("success")`)
		require.NoError(t, err)
		assert.Equal(t, "gcd: 2\nsuccess", out) // t/roundrobin.t TEST 1
	})
	t.Run("TEST 2: find count", func(t *testing.T) {
		out, err := runLua(t, `
			math.randomseed(75098)
			local roundrobin = require "resty.roundrobin"
			local servers = {
				["server1"] = 6,
				["server2"] = 3,
				["server3"] = 1,
			}
			local rr = roundrobin:new(servers)
			local res = {}
			for i = 1, 100 * 1000 do
				local id = rr:find()
				if res[id] then res[id] = res[id] + 1 else res[id] = 1 end
			end
			local keys = {}
			for id, num in pairs(res) do
				keys[#keys + 1] = id
			end
			if #keys ~= 3 then
				return print("exit 400")
			end
			print("server1: " .. res['server1'])
			print("server2: " .. res['server2'])
			print("server3: " .. res['server3'])`)
		require.NoError(t, err)
		// t/roundrobin.t TEST 2
		assert.Equal(t, "server1: 60000\nserver2: 30000\nserver3: 10000", out)
	})
	t.Run("TEST 3: random start", func(t *testing.T) {
		out, err := runLua(t, `
			math.randomseed(9975098)
			local roundrobin = require "resty.roundrobin"
			local servers = {
				["server1"] = 1,
				["server2"] = 1,
				["server3"] = 1,
				["server4"] = 1,
			}
			local rr = roundrobin:new(servers, true)
			local id = rr:find()
			local rr2 = roundrobin:new(servers, true)
			local id2 = rr2:find()
			print(tostring(id == id2))`)
		require.NoError(t, err)
		assert.Equal(t, "false", out) // t/roundrobin.t TEST 3
	})
	t.Run(`TEST 4: weight is "0"`, func(t *testing.T) {
		out, err := runLua(t, `
			math.randomseed(9975098)
			local roundrobin = require "resty.roundrobin"
			local servers = {
				["server1"] = "0",
				["server2"] = "1",
				["server3"] = "0",
				["server4"] = "0",
			}
			local rr = roundrobin:new(servers, true)
			local id = rr:find()
			print("id: " .. id)`)
		require.NoError(t, err)
		assert.Equal(t, "id: server2", out) // t/roundrobin.t TEST 4
	})
}

func TestLuaCHashMethods(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"module", `local chash = require "resty.chash"
			print(type(chash.new), type(chash.next))
			local c = chash:new({a = 1})
			print(type(c), getmetatable(c).__index == chash, c.npoints, c.size)`,
			"function\tfunction\ntable\ttrue\t160\t160"},
		{"find and next", `local c = require("resty.chash"):new({server1 = 2, server2 = 2, server3 = 1})
			print(c:find("foo"))
			print(c:next(434))
			print(c:next(799))
			print(c:next(-1))`,
			"server1\t434\nserver1\t435\nserver3\t0\nserver3\t0"},
		{"keys and ids go through tostring", `local c = require("resty.chash"):new({[7] = 1, [true] = 1})
			local id = c:find(1)
			print(type(id), c:find(1) == c:find("1"), c:find(nil) == c:find("nil"))`,
			"number\ttrue\ttrue"},
		{"string weights", `local c = require("resty.chash"):new({a = "2", b = 1})
			print(c.npoints)`,
			"480"},
		{"no points", `local chash = require "resty.chash"
			local c = chash:new({})
			print(c:find("x"), c.npoints, c:next(1))
			c = chash:new({a = 0})
			print(c:find("x"))
			c:set("a", 1)
			print(c:find("x"))`,
			"nil\t0\tnil\nnil\na\t102"},
		{"set", `local c = require("resty.chash"):new({a = 1, b = 1})
			print(c:set("a", 1), c:set("zz", 0), c:set("zz"))
			print(select("#", c:set("a", 3)), c.npoints, c.size)
			print(select("#", c:set("a", "1")), c.npoints, c.size)
			c:set("b", 0)
			print(c.npoints, c:find("anything"))`,
			"true\ttrue\ttrue\n0\t640\t640\n0\t320\t640\n160\ta\t14"},
		{"incr, decr, delete", `local c = require("resty.chash"):new({a = 1})
			c:incr("a") print(c.npoints)
			c:incr("b", 2) print(c.npoints)
			c:incr("b", "x") print(c.npoints)
			c:decr("b") print(c.npoints)
			c:decr("b", 10) print(c.npoints)
			c:decr("zz") c:delete("zz") print(c.npoints)
			c:delete("a") print(c.npoints, c:find(1))`,
			"320\n640\n800\n640\n320\n320\n0\tnil"},
		{"ids that cannot be servers are missing", `local c = require("resty.chash"):new({a = 1})
			c:delete(nil) c:decr(0/0) c:delete({})
			print(c:set(nil, 0), c.npoints)
			local rr = require("resty.roundrobin"):new({a = 1})
			rr:decr(nil) rr:delete({})
			print(select("#", rr:set(nil)), rr:find())`,
			"true\t160\n0\ta"},
		{"reinit", `local c = require("resty.chash"):new({a = 1})
			c:reinit({b = 2})
			print(c:find("k"), c.npoints, c.size)`,
			"b\t320\t320"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := runLua(t, c.src)
			require.NoError(t, err)
			assert.Equal(t, c.want, out)
		})
	}
}

func TestLuaRoundRobinMethods(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"module and fields", `local roundrobin = require "resty.roundrobin"
			print(roundrobin.next == roundrobin.find)
			local rr = roundrobin:new({a = 6, b = 3, c = 0})
			print(rr.gcd, rr.max_weight, rr.cw, rr.only_key, rr.last_id ~= nil)
			local one = roundrobin:new({only = 5})
			print(one.only_key, one:find(), one:next())`,
			"true\n3\t6\t6\tnil\ttrue\nonly\tonly\tonly"},
		{"counts", `local rr = require("resty.roundrobin"):new({a = 6, b = 3, c = 1})
			local res = {}
			for i = 1, 1000 do local id = rr:find() res[id] = (res[id] or 0) + 1 end
			print(res.a, res.b, res.c, rr.last_id ~= nil)`,
			"600\t300\t100\ttrue"},
		{"random start follows math.randomseed", `local roundrobin = require "resty.roundrobin"
			local servers = {s1 = 1, s2 = 1, s3 = 1, s4 = 1, s5 = 1}
			local function firsts()
				math.randomseed(42)
				local out = {}
				for i = 1, 8 do out[i] = roundrobin:new(servers):find() end
				return table.concat(out, ",")
			end
			print(firsts() == firsts())`,
			"true"},
		{"ids keep their type", `local rr = require("resty.roundrobin"):new({[10] = 1})
			print(type(rr:find()), rr:find())`,
			"number\t10"},
		{"non-numeric weights are dropped", `local rr = require("resty.roundrobin"):new({a = "x", b = "2"})
			print(rr.only_key, rr.max_weight)`,
			"b\t2"},
		{"changes", `local rr = require("resty.roundrobin"):new({a = 4, b = 2})
			rr:incr("c", 2) print(rr.gcd, rr.max_weight)
			rr:decr("a", 3) print(rr.gcd, rr.max_weight, rr.cw <= 2)
			print(select("#", rr:set("a", 1)), select("#", rr:set("b", 6)), rr.max_weight)
			rr:delete("b") rr:delete("c")
			print(rr.only_key, rr:find())
			rr:reinit({x = 3, y = 3})
			print(rr.gcd, rr.max_weight, rr.cw, rr.only_key)`,
			"2\t4\n1\t2\ttrue\n0\t0\t6\na\ta\n3\t3\t3\tnil"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := runLua(t, c.src)
			require.NoError(t, err)
			assert.Equal(t, c.want, out)
		})
	}
}

func TestLuaBalancerErrors(t *testing.T) {
	for _, c := range []struct{ name, src, err string }{
		{"chash new with a dot", `require("resty.chash").new({a = 1})`, "bad argument #1 to 'pairs' (table expected, got nil)"},
		{"chash bad weight", `require("resty.chash"):new({a = {}})`, "attempt to perform arithmetic on local 'weight' (a table value)"},
		{"chash negative weight", `require("resty.chash"):new({a = -1})`, "invalid weight"},
		{"chash fractional weight", `require("resty.chash"):new({a = 1}):incr("a", 0.5)`, "invalid weight"},
		{"chash nil id", `require("resty.chash"):new({a = 1}):incr(nil)`, "table index is nil"},
		{"chash set a nil id", `require("resty.chash"):new({a = 1}):set(nil, 1)`, "table index is nil"},
		{"roundrobin delete a nil id", `require("resty.roundrobin"):new({a = 1}):delete(nil)`, "table index is nil"},
		{"roundrobin incr a NaN id", `require("resty.roundrobin"):new({a = 1}):incr(0/0)`, "table index is NaN"},
		{"chash table id", `require("resty.chash"):new({[{}] = 1})`, "server ids must be strings, numbers or booleans (got a table)"},
		{"chash next without index", `require("resty.chash"):new({a = 1}):next()`, "attempt to perform arithmetic on local 'index' (a nil value)"},
		{"chash method with a dot", `require("resty.chash").find("x")`, "attempt to index local 'self' (a string value)"},
		{"chash method on another table", `local m = require("resty.chash") m.find({})`, "attempt to call a method of a table that is not a balancer object"},
		{"roundrobin empty", `require("resty.roundrobin"):new({})`, "empty nodes"},
		{"roundrobin only bad weights", `require("resty.roundrobin"):new({a = "x"})`, "empty nodes"},
		{"roundrobin delete the last", `require("resty.roundrobin"):new({a = 1}):delete("a")`, "empty nodes"},
		{"roundrobin decr the last", `require("resty.roundrobin"):new({a = 1}):decr("a")`, "empty nodes"},
		{"roundrobin reinit empty", `require("resty.roundrobin"):new({a = 1}):reinit({})`, "empty nodes"},
		{"roundrobin negative weight", `require("resty.roundrobin"):new({a = 1}):set("a", -2)`, "invalid weight"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := runLua(t, c.src)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.err)
		})
	}
}

func TestLuaCopyForVM(t *testing.T) {
	c, err := NewCHash(map[string]int{"a": 1, "b": 1})
	require.NoError(t, err)
	o := &chashObject{c: c, ids: luaIDs{"a": "a", "b": "b"}}
	cp := o.CopyForVM().(*chashObject)
	cp.c.Delete("a")
	delete(cp.ids, "a")
	assert.Equal(t, 320, o.c.Points())
	assert.Contains(t, o.ids, "a")

	r, err := NewRoundRobinRand(map[string]int{"a": 1, "b": 1}, fixed(1))
	require.NoError(t, err)
	ro := &roundRobinObject{r: r, ids: luaIDs{"a": "a", "b": "b"}}
	rcp := ro.CopyForVM().(*roundRobinObject)
	assert.Equal(t, "b", finds(t, rcp.r, 1))
	assert.Equal(t, "b", finds(t, ro.r, 1), "the copy moves on its own")
	require.NoError(t, rcp.r.Delete("a"))
	_, ok := ro.r.Weight("a")
	assert.True(t, ok)
}
