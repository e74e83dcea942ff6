package limit

import (
	"strings"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/internal/luatest"
	"github.com/goresty/goresty/sharedict"
)

// runLua runs src as one request on the Lua engine with the limit modules, dicts "store",
// "req", "conn" and "count" (or those given), and a request clock standing at t0 that the Lua
// global advance(ms) moves. It returns the printed lines and the error.
func runLua(t *testing.T, src string, dicts map[string]sharedict.Store) ([]string, error) {
	t.Helper()
	if dicts == nil {
		dicts = map[string]sharedict.Store{"store": newDict(t), "req": newDict(t), "conn": newDict(t), "count": newDict(t)}
	}
	return luatest.Run(t, lua.Config{Modules: LuaModules(func(name string) (sharedict.Store, bool) {
		d, ok := dicts[name]
		return d, ok
	})}, t0, src)
}

func lines(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") }

// The cases of lua-resty-limit-traffic's t/req.t, t/conn.t, t/count.t and t/traffic.t, as Lua
// code and the output the original tests expect.
var luaCases = []struct {
	name, src, want string
}{
	{
		name: "req: multiple keys",
		src: `local limit_req = require "resty.limit.req"
local lim = limit_req.new("store", 2, 10)
local delay1, excess1 = lim:incoming("foo", true)
local delay2, excess2 = lim:incoming("foo", true)
local delay3 = lim:incoming("bar", true)
local delay4 = lim:incoming("bar", true)
print("delay1: " .. delay1) print("excess1: " .. excess1)
print("delay2: " .. delay2) print("excess2: " .. excess2)
print("delay3: " .. delay3) print("delay4: " .. delay4)`,
		want: "delay1: 0\nexcess1: 0\ndelay2: 0.5\nexcess2: 1\ndelay3: 0\ndelay4: 0.5",
	},
	{
		name: "req: burst",
		src: `local limit_req = require "resty.limit.req"
local lim = limit_req.new("store", 2, 0)
for burst = 0, 2 do
  if burst > 0 then lim:set_burst(burst) end
  for i = 1, 10 do
    local delay, err = lim:incoming("foo" .. burst, true)
    if not delay then print(i .. ": error: " .. err) break end
  end
end`,
		want: "2: error: rejected\n3: error: rejected\n4: error: rejected",
	},
	{
		name: "req: no commit from the third",
		src: `local lim = require("resty.limit.req").new("store", 2, 10)
for i = 1, 4 do
  local delay, err = lim:incoming("bar", i < 3 and true or false)
  print("delay: " .. delay)
end`,
		want: "delay: 0\ndelay: 0.5\ndelay: 1\ndelay: 1",
	},
	{
		name: "req: bad values in the dict",
		src: `local lim = require("resty.limit.req").new("store", 2, 10)
print(lim:incoming("number", true))
print(lim:incoming("string", true))`,
		want: "nil\tshdict abused by other users\nnil\tshdict abused by other users",
	},
	{
		name: "req: commit and uncommit",
		src: `local lim = require("resty.limit.req").new("store", 40, 40)
for i = 1, 5 do
  local delay, err = lim:incoming("/t", true)
  print(i .. ": delay: " .. delay)
  local ok, err = lim:uncommit("/t")
  if not ok then print("failed to uncommit: " .. err) end
end
print(lim:uncommit("nobody"))`,
		want: "1: delay: 0\n2: delay: 0.025\n3: delay: 0.025\n4: delay: 0.025\n5: delay: 0.025\nnil\tnot found",
	},
	{
		name: "req: rate and burst 0.1, and set_rate",
		src: `local lim = require("resty.limit.req").new("store", 0.1, 0.1)
for i = 1, 2 do print(lim:incoming("k", true)) end
lim:set_rate(2)
advance(500)
print(lim:incoming("k", true))`,
		want: "0\t0\nnil\trejected\n0\t0", // at 0.1 r/s the excess would still be 950
	},
	{
		name: "req: the excess drains with ngx.now",
		src: `local lim = require("resty.limit.req").new("store", 2, 10)
lim:incoming("k", true) lim:incoming("k", true)
advance(250)
print(lim:incoming("k", true))
advance(2000)
print(lim:incoming("k", false))`,
		want: "0.75\t1.5\n0\t0",
	},
	{
		name: "conn: always commit",
		src: `local lim = require("resty.limit.conn").new("store", 2, 8, 1)
for i = 1, 12 do
  local delay, err = lim:incoming("foo", true)
  if not delay then print("failed to limit conn: " .. err)
  else print(i .. ": " .. delay .. ", conn: " .. err .. " " .. tostring(lim:is_committed())) end
end`,
		want: "1: 0, conn: 1 true\n2: 0, conn: 2 true\n3: 1, conn: 3 true\n4: 1, conn: 4 true\n5: 2, conn: 5 true\n" +
			"6: 2, conn: 6 true\n7: 3, conn: 7 true\n8: 3, conn: 8 true\n9: 4, conn: 9 true\n10: 4, conn: 10 true\n" +
			"failed to limit conn: rejected\nfailed to limit conn: rejected",
	},
	{
		name: "conn: leaving, latencies, uncommit, set_conn",
		src: `local lim = require("resty.limit.conn").new("store", 1, 3, 1)
print(lim:incoming("foo", false), lim:is_committed()) -- incoming truncated to one value
print(lim:incoming("foo", true)) print(lim:incoming("foo", true))
print(lim:leaving("foo", 3))
print(lim:incoming("foo", true))
print(lim:leaving("foo"))
print(lim:uncommit("foo"))
lim:set_conn(2) lim:set_burst(0)
print(lim:incoming("foo", true)) print(lim:incoming("foo", true)) print(lim:incoming("foo", true))
print(lim:leaving("nobody", 1))`,
		want: "0\tfalse\n0\t1\n1\t2\n1\n2\t2\n1\n0\n0\t1\n0\t2\nnil\trejected\nnil\tnot found",
	},
	{
		name: "count: limit 10",
		src: `local lim = require("resty.limit.count").new("store", 10, 100)
for i = 1, 12 do
  local delay, err = lim:incoming("/t", true)
  if not delay then print(err) else print("remaining: " .. err) end
end`,
		want: "remaining: 9\nremaining: 8\nremaining: 7\nremaining: 6\nremaining: 5\nremaining: 4\nremaining: 3\n" +
			"remaining: 2\nremaining: 1\nremaining: 0\nrejected\nrejected",
	},
	{
		name: "count: the window resets, dry runs, uncommit",
		src: `local lim = require("resty.limit.count").new("store", 1, 1)
for i = 1, 2 do
  print(lim:incoming("/t", true)) print(lim:incoming("/t", true))
  advance(1001)
end
print(lim:incoming("x", false))
print(lim:uncommit("x"))
print(lim:uncommit("/t"))`,
		want: "0\t0\nnil\trejected\n0\t0\nnil\trejected\n0\t0\n1\n1",
	},
	{
		name: "traffic: sanity (output states)",
		src: `local limit_conn = require "resty.limit.conn"
local limit_req = require "resty.limit.req"
local limit_count = require "resty.limit.count"
local limit_traffic = require "resty.limit.traffic"
local lim1 = limit_req.new("req", 3, 2)
local lim2 = limit_req.new("req", 2, 3)
local lim3 = limit_conn.new("conn", 4, 1, 2)
local lim4 = limit_count.new("count", 10, 100)
local limiters = {lim1, lim2, lim3, lim4}
local keys = {"foo", "bar", "foo", "bar"}
local states = {}
for i = 1, 6 do
  local delay, err = limit_traffic.combine(limiters, keys, states)
  if not delay then print("failed to limit traffic: " .. err)
  else print(i .. ": " .. delay .. ", conn committed: " .. tostring(lim3:is_committed()) ..
    ", states: " .. table.concat(states, ", ")) end
  if i == 4 then advance(1000) end
end`,
		want: "1: 0, conn committed: true, states: 0, 0, 1, 9\n2: 0.5, conn committed: true, states: 1, 1, 2, 8\n" +
			"3: 1, conn committed: true, states: 2, 2, 3, 7\nfailed to limit traffic: rejected\n" +
			"5: 0.5, conn committed: true, states: 0, 1, 4, 6\n6: 2, conn committed: true, states: 1, 2, 5, 5",
	},
	{
		name: "traffic: any objects with incoming and uncommit",
		src: `local limit_traffic = require "resty.limit.traffic"
local function fake(name, reject_at)
  local n = 0
  return {
    incoming = function(self, key, commit)
      n = n + 1
      print(name .. ".incoming(" .. key .. ", " .. tostring(commit) .. ")")
      if n == reject_at then return false, "no " .. name end
      return 0.25 * n, n
    end,
    uncommit = function(self, key) print(name .. ".uncommit(" .. key .. ")") end,
  }
end
print(limit_traffic.combine({fake("a"), fake("b", 2), fake("c")}, {"x", "y", "z"}))
print(limit_traffic.combine({}, {}))`,
		want: "a.incoming(x, false)\nb.incoming(y, false)\nc.incoming(z, true)\na.incoming(x, true)\n" +
			"b.incoming(y, true)\na.uncommit(x)\nc.uncommit(z)\nnil\tno b\n0",
	},
	{
		name: "new: unknown dicts",
		src: `print(require("resty.limit.req").new("nope", 1, 1))
print(require("resty.limit.conn").new(nil, 1, 1, 1))
print(require("resty.limit.count").new(42, 1, 1))`,
		want: "nil\tshared dict not found\nnil\tshared dict not found\nnil\tshared dict not found",
	},
	{
		name: "nil and number keys, as the dict converts them",
		src: `local req = require("resty.limit.req").new("store", 1, 0)
print(req:incoming(nil, true)) print(req:incoming(nil, true))
local conn = require("resty.limit.conn").new("conn", 1, 0, 1)
print(conn:incoming(nil, true)) print(conn:incoming(nil, false))
local count = require("resty.limit.count").new("count", 2, 10)
print(count:incoming(nil, true)) print(count:incoming(12, true)) print(count:incoming("12", true))`,
		want: "0\t0\n0\t0\nnil\tnil key\n0\t1\nnil\tnil key\n0\t1\n0\t0",
	},
}

func TestLuaModules(t *testing.T) {
	for _, tc := range luaCases {
		t.Run(tc.name, func(t *testing.T) {
			store := newDict(t)
			_, err := store.Set("number", sharedict.Number(32), 0, 0)
			require.NoError(t, err)
			_, err = store.Set("string", sharedict.String("a"), 0, 0)
			require.NoError(t, err)
			dicts := map[string]sharedict.Store{"store": store, "req": newDict(t), "conn": newDict(t), "count": newDict(t)}
			out, err := runLua(t, tc.src, dicts)
			require.NoError(t, err)
			assert.Equal(t, lines(tc.want), out)
		})
	}
}

func TestLuaErrors(t *testing.T) {
	tests := []struct{ name, src, wantErr string }{
		{"rate 0", `require("resty.limit.req").new("store", 0, 1)`, "assertion failed!"},
		{"negative burst", `require("resty.limit.req").new("store", 1, -1)`, "assertion failed!"},
		{"string rate", `require("resty.limit.req").new("store", "2", 1)`, "attempt to compare number with string"},
		{"rate 0 stops before a bad burst", `require("resty.limit.req").new("store", 0, nil)`, "assertion failed!"},
		{"conn delay", `require("resty.limit.conn").new("store", 1, 1, 0)`, "assertion failed!"},
		{"count window", `require("resty.limit.count").new("store", 1, 0)`, "assertion failed!"},
		{"a dot for a colon", `require("resty.limit.req").new("store", 1, 1).incoming("k", true)`,
			"attempt to index local 'self' (a string value)"},
		{"uncommit without a key", `require("resty.limit.req").new("store", 1, 1):uncommit()`, "assertion failed!"},
		{"leaving without a key", `require("resty.limit.conn").new("store", 1, 1, 1):leaving(nil, 1)`, "assertion failed!"},
		{"set_rate(nil)", `require("resty.limit.req").new("store", 1, 1):set_rate()`,
			"attempt to perform arithmetic on local 'rate' (a nil value)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runLua(t, tc.src, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// TestLuaOnRedis: a dict that is a RedisStore runs the same modules on Redis, with the server's
// time.
func TestLuaOnRedis(t *testing.T) {
	addr := startRedis(t)
	dicts := map[string]sharedict.Store{"store": newRedisStore(t, addr, "lua")}
	out, err := runLua(t, `local lim = require("resty.limit.count").new("store", 2, 60)
for i = 1, 3 do print(lim:incoming("k", true)) end
local req = require("resty.limit.req").new("store", 1, 0)
print(req:incoming("r", true)) print(req:incoming("r", true))`, dicts)
	require.NoError(t, err)
	assert.Equal(t, []string{"0\t1", "0\t0", "nil\trejected", "0\t0", "nil\trejected"}, out)
}

// TestLuaPlainState: the loaders work on a plain go-lua state too, reading the time of day.
func TestLuaPlainState(t *testing.T) {
	l := glua.NewState()
	glua.OpenLibraries(l)
	d := newDict(t)
	mods := LuaModules(func(string) (sharedict.Store, bool) { return d, true })
	glua.Require(l, "resty.limit.count", mods["resty.limit.count"], false)
	l.Pop(1)
	require.NoError(t, glua.DoString(l, `local lim = require("resty.limit.count").new("any", 5, 1)
local _, remaining = lim:incoming("k", true)
assert(remaining == 4)`))
}
