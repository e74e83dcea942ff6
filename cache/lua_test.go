package cache

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/internal/luatest"
)

// runLua runs src as one request with the cache modules, on a request whose ngx.now stands
// still until the Lua global advance(ms) moves it. It returns what print printed, one line per
// call, and the error.
func runLua(t *testing.T, src string) (string, error) {
	t.Helper()
	out, err := luatest.Run(t, lua.Config{Modules: LuaModules()}, time.Unix(1700000000, 0), src)
	return strings.Join(out, "\n"), err
}

func TestLuaMethods(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"new", `local lrucache = require "resty.lrucache"
			print(lrucache._VERSION, lrucache.new(0))
			local c = lrucache.new(2)
			print(type(c), c:count(), c:capacity(), getmetatable(c).__index == lrucache)`,
			"0.11\tnil\tsize too small\ntable\t0\t2\ttrue"},
		{"get and set", `local c = require("resty.lrucache").new(2)
			print(c:set("a", 1), select("#", c:set("a", 1)))
			print(c:get("a"))
			print(c:get("missing"), select("#", c:get("missing")))
			local t = {}
			c:set(t, "table key", nil, 5)
			print(c:get(t))
			print(c:get({}))`,
			"nil\t0\n1\tnil\t0\nnil\t1\ntable key\tnil\t5\nnil"},
		{"eviction follows use", `local c = require("resty.lrucache").new(3)
			for i = 1, 3 do c:set(i, i) end
			c:get(1)
			c:set(4, 4)
			print(table.concat(c:get_keys(), ","), c:get(2), c:count())`,
			"4,1,3\tnil\t3"},
		{"numbers are table keys", `local c = require("resty.lrucache").new(3)
			c:set(1, "int") c:set(1.0, "float") c:set("1", "string")
			print(c:count(), c:get(1), c:get("1"))`,
			"2\tfloat\tstring\tnil\t0"},
		{"nil values", `local c = require("resty.lrucache").new(3)
			c:set("a", 1) c:set("n", nil)
			print(select("#", c:get("n")), c:count(), table.concat(c:get_keys(), ","))`,
			"1\t2\tn,a"},
		{"delete", `local c = require("resty.lrucache").new(2)
			c:set("a", 1)
			print(c:delete("a"), c:delete("a"), c:count(), c:get("a"))`,
			"true\tfalse\t0\tnil"},
		{"get_keys", `local c = require("resty.lrucache").new(5)
			for i = 1, 5 do c:set(i, i) end
			print(table.concat(c:get_keys(2), ","), table.concat(c:get_keys(0), ","))
			local res = {"x", "y", "z", "w"}
			print(c:get_keys(2, res) == res, res[1], res[2], res[3], res[4])`,
			"5,4\t5,4,3,2,1\ntrue\t5\t4\tnil\tw"},
		{"flush_all", `local c = require("resty.lrucache").new(2)
			c:set("a", 1) c:set("b", 2)
			c:flush_all()
			print(c:count(), #c:get_keys(), c:get("a"))
			c:set("c", 3)
			print(c:count(), c:get("c"))`,
			"0\t0\tnil\n1\t3\tnil\t0"},
		{"ttl and stale values", `local c = require("resty.lrucache").new(4)
			c:set("a", "A", 1) c:set("b", "B", 0) c:set("c", "C", nil, 3) c:set("d", "D", "0.5")
			print(c:get("a")) print(c:get("b"))
			advance(1)
			print(c:get("b"))
			advance(499)
			print(c:get("d"))
			advance(500)
			print(c:get("a")) print(c:get("d")) print(c:get("c"))`,
			"A\tnil\t0\nB\tnil\t0\nnil\tB\t0\nD\tnil\t0\nA\tnil\t0\nnil\tD\t0\nC\tnil\t3"},
		{"flags", `local c = require("resty.lrucache").new(5)
			c:set("a", 1, nil, 1.9) c:set("b", 1, nil, -1) c:set("c", 1, nil, 2^32 + 5) c:set("d", 1, nil, "7")
			print(select(3, c:get("a")), select(3, c:get("b")), select(3, c:get("c")), select(3, c:get("d")))`,
			"1\t0\t5\t0"},
		{"pureffi keys are strings", `local lrucache = require "resty.lrucache.pureffi"
			local c = lrucache.new(3, 0.5)
			c:set(1, "one") c:set(nil, "nil")
			print(c:get("1"), c:get(nil), c:count())
			c:set("n", nil)
			print(select("#", c:get("n")), table.concat(c:get_keys(), ","))`,
			"one\tnil\t2\n3\tn,nil,1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := runLua(t, c.src)
			require.NoError(t, err)
			assert.Equal(t, c.want, out)
		})
	}
}

func TestLuaErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`require("resty.lrucache").new()`, "attempt to compare nil with number"},
		{`require("resty.lrucache").new("3")`, "attempt to compare string with number"},
		{`require("resty.lrucache").new(2^26)`, "bad argument #1 to 'ffi_new' (size of C type is unknown or too large)"},
		{`require("resty.lrucache.pureffi").new(3, "x")`, "attempt to compare number with string"},
		{`require("resty.lrucache").new(2):set(nil, 1)`, "table index is nil"},
		{`require("resty.lrucache").new(2):set(0/0, 1)`, "table index is NaN"},
		{`require("resty.lrucache").new(2):delete(nil)`, "table index is nil"},
		{`require("resty.lrucache").new(2):set("k", 1, "soon")`, "attempt to perform arithmetic on local 'ttl' (a string value)"},
		{`local c = require("resty.lrucache").new(2) c:set(1, 1) c:get_keys("1", {})`, "attempt to compare string with number"},
		{`require("resty.lrucache").new(2):get_keys("x")`, "attempt to perform arithmetic on local 'max_count' (a string value)"},
		{`require("resty.lrucache").new(2):get_keys(1, "res")`, "attempt to index local 'res' (a string value)"},
		{`local c = require("resty.lrucache").new(2) c.get("key")`, "attempt to index local 'hasht' (a nil value)"},
		{`local c = require("resty.lrucache").new(2) c.get()`, "attempt to index local 'self' (a nil value)"},
		{`local c = require("resty.lrucache").new(2) c.delete({})`, "attempt to index field 'hasht' (a nil value)"},
		{`local c = require("resty.lrucache").new(2) c.flush_all({})`, "bad argument #1 to 'tb_clear' (table expected, got nil)"},
	} {
		_, err := runLua(t, c.src)
		var le *lua.Error
		if assert.ErrorAs(t, err, &le, c.src) {
			assert.Equal(t, c.want, le.Message, c.src)
		}
	}
}

// A set whose ttl is not a number raises after storing the value, as the original does: the
// key keeps the node's old expiry (here none yet, so it reads as stale).
func TestLuaSetWithBadTTLStoresTheValue(t *testing.T) {
	out, err := runLua(t, `local c = require("resty.lrucache").new(2)
		print(pcall(c.set, c, "k", "V", {}))
		print(c:count(), c:get("k"))`)
	require.NoError(t, err)
	assert.Equal(t, "false\tattempt to perform arithmetic on local 'ttl' (a table value)\n1\tnil\tV\t0", out)
}

// A cache made by init_by_lua is copied into each VM, keys and values too, as each nginx worker
// gets its own copy: what one VM does to it, another never sees.
func TestLuaCacheFromInitIsPerVM(t *testing.T) {
	init, err := lua.Compile("=init", `
		K = {}
		C = require("resty.lrucache").new(3)
		C:set(K, {n = 1}, nil, 4)
		C:set("s", "S")`)
	require.NoError(t, err)
	var out []string
	engine, err := lua.NewEngine(lua.Config{
		Workers: 2, MaxStates: 2, Init: []*lua.Chunk{init}, Modules: LuaModules(),
		Print: func(line string) { out = append(out, line) },
	})
	require.NoError(t, err)
	t.Cleanup(engine.Close)
	run := func(s *lua.State, src string) {
		t.Helper()
		c, err := lua.Compile("=test", src)
		require.NoError(t, err)
		require.NoError(t, s.Exec(context.Background(), c, 0))
	}
	var states []*lua.State
	for range 2 {
		s, err := engine.Acquire(context.Background())
		require.NoError(t, err)
		t.Cleanup(func() { engine.Release(s) })
		states = append(states, s)
	}
	a, _ := states[0].Worker()
	b, _ := states[1].Worker()
	require.NotEqual(t, a, b, "one state per VM")

	run(states[0], `local v, _, flags = C:get(K) v.n = v.n + 1 C:set("new", 1)
		print(v.n, flags, C:count(), C:get("s"))`)
	run(states[1], `local v = C:get(K) print(v.n, C:get("new"), C:count(), C:get_keys()[1] == K)`)
	run(states[0], `print(C:get(K).n, C:get("new"), C:count())`)
	assert.Equal(t, []string{"2\t4\t3\tS\tnil\t0", "1\tnil\t2\ttrue", "2\t1\t3"}, out)
}
