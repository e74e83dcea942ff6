package sharedict

import (
	"errors"
	"strings"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The binding on a plain go-lua state: one test per method and error. The expected outputs are
// what nginx + lua-nginx-module printed for the same calls (testdata/lua.cases records the
// same behaviours through resty), with the chunk named "t".

// newLuaDict returns a state with PushLua(d) as the global d and show(...), which appends its
// arguments (nil included) to the returned builder, one line per call.
func newLuaDict(t *testing.T, d Store) (*glua.State, *strings.Builder) {
	t.Helper()
	l := glua.NewState()
	glua.OpenLibraries(l)
	PushLua(l, d)
	l.SetGlobal("d")
	out := &strings.Builder{}
	l.PushGoFunction(func(l *glua.State) int {
		parts := make([]string, l.Top())
		for i := range parts {
			switch l.TypeOf(i + 1) {
			case glua.TypeNumber:
				n, _ := l.ToNumber(i + 1)
				parts[i] = Number(n).String()
			case glua.TypeTable:
				parts[i] = "table"
			default:
				parts[i], _ = glua.ToStringMeta(l, i+1)
				l.Pop(1)
			}
		}
		out.WriteString(strings.Join(parts, " ") + "\n")
		return 0
	})
	l.SetGlobal("show")
	return l, out
}

func newLuaTestDict(t *testing.T, capacity int64) *Dict {
	t.Helper()
	d, err := New("dogs", capacity)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	return d
}

func runLua(t *testing.T, l *glua.State, src string) {
	t.Helper()
	require.NoError(t, glua.LoadBuffer(l, src, "=t", "text"))
	require.NoError(t, l.ProtectedCall(0, 0, 0))
}

func TestLuaMethods(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"shape", `show(type(d), type(d[1]), getmetatable(d).__index == getmetatable(d))`,
			"table userdata true\n"},
		{"get missing", `show(select("#", d:get("nope")), d:get("nope"))`, "1 nil\n"},
		{"set and get", `show(d:set("k", "v")) show(d:get("k"))`, "true nil false\nv\n"},
		{"get flags", `d:set("a", 1, 0, 7) d:set("b", 2) show(d:get("a")) show(select("#", d:get("b")))`,
			"1 7\n1\n"},
		{"get list", `d:lpush("l", 1) show(d:get("l"))`, "nil value is a list\n"},
		{"get_stale fresh", `d:set("k", 1) show(d:get_stale("k"))`, "1 nil false\n"},
		{"get_stale flags", `d:set("k", 1, 0, 3) show(d:get_stale("k"))`, "1 3 false\n"},
		{"get_stale missing", `show(select("#", d:get_stale("k")))`, "1\n"},
		{"set nil deletes", `d:set("k", 1) show(d:set("k", nil)) show(d:get("k"))`, "true nil false\nnil\n"},
		{"safe_set", `show(d:safe_set("k", true)) show(d:get("k"))`, "true nil false\ntrue\n"},
		{"add exists", `d:add("k", 1) show(d:add("k", 2))`, "false exists false\n"},
		{"safe_add exists", `d:add("k", 1) show(d:safe_add("k", 2))`, "false exists false\n"},
		{"replace missing", `show(d:replace("k", 1))`, "false not found false\n"},
		{"replace nil", `d:set("k", 1) show(d:replace("k", nil))`,
			"false attempt to add or replace nil values false\n"},
		{"delete", `d:set("k", 1) show(d:delete("k")) show(d:get("k"))`, "true nil false\nnil\n"},
		{"bad value type", `show(d:set("k", {})) show(d:set("k", print))`,
			"nil bad value type\nnil bad value type\n"},
		{"incr missing", `show(d:incr("k", 1))`, "nil not found\n"},
		{"incr init", `show(d:incr("k", 1, 10)) show(d:incr("k", 2))`, "11 nil false\n13\n"},
		{"incr strings", `show(d:incr("k", "2", "0x10")) show(d:incr("k", " 1e1 "))`, "18 nil false\n28\n"},
		{"incr not a number", `d:set("k", "5") show(d:incr("k", 1))`, "nil not a number\n"},
		{"incr init false", `show(d:incr("k", 1, false))`, "nil not found\n"},
		{"lpush rpush", `show(d:lpush("l", 1)) show(d:rpush("l", "two")) show(d:llen("l"))`, "1\n2\n2\n"},
		{"lpop rpop", `d:rpush("l", 1) d:rpush("l", "b") show(d:rpop("l")) show(d:lpop("l")) show(d:lpop("l"))`,
			"b\n1\nnil\n"},
		{"llen missing", `show(d:llen("l"))`, "0\n"},
		{"push bad value", `show(d:lpush("l", true)) show(d:rpush("l", nil))`,
			"nil bad value type\nnil bad value type\n"},
		{"push not a list", `d:set("s", 1) show(d:lpush("s", 1)) show(d:lpop("s")) show(d:llen("s"))`,
			"nil value not a list\nnil value not a list\nnil value not a list\n"},
		{"list number key", `show(d:rpush(1.5, "x")) show(d:llen("1.5"))`, "1\n1\n"},
		{"ttl", `show(d:ttl("k")) d:set("k", 1, 1.5) show(d:ttl("k")) d:set("j", 1) show(d:ttl("j"))`,
			"nil not found\n1.5\n0\n"},
		{"expire", `show(d:expire("k", 1)) d:set("k", 1) show(d:expire("k", "2.5")) show(d:ttl("k"))`,
			"nil not found\ntrue\n2.5\n"},
		{"expire negative", `d:set("k", 1, 5) show(d:expire("k", -1)) show(d:ttl("k"))`, "true\n0\n"},
		// flush_all frees three entries (the least recently used) at once.
		{"flush_all", `for i = 1, 4 do d:set("k" .. i, i) end show(select("#", d:flush_all()))
			show(d:get_stale("k3")) show(d:get_stale("k4")) show(d:get("k4"))`, "0\nnil\n4 nil true\nnil\n"},
		{"flush_expired", `for i = 1, 5 do d:set("k" .. i, i) end d:flush_all() show(d:flush_expired(1))
			show(d:flush_expired()) show(d:flush_expired())`, "1\n1\n0\n"},
		{"get_keys", `for i = 1, 3 do d:set("k" .. i, i) end d:get("k1")
			show(table.concat(d:get_keys(), ","), table.concat(d:get_keys(1), ","), #d:get_keys("0"))`,
			"k2,k3,k1 k2 3\n"},
		{"capacity free_space", `show(d:capacity(), d:free_space())`, "1048576 1032192\n"},
		{"flags conversion", `for _, f in ipairs({2^31, -1, 1.9, 2^32 + 3, 0/0, -2.5, true}) do
			d:set("k", 1, 0, f) show(d:get("k")) end`,
			"1 -2147483648\n1 -1\n1 1\n1 -2147483648\n1 -2147483648\n1 -2\n1 1\n"},
		{"exptime resolution", `d:set("a", 1, 0.0005) d:set("b", 1, 1.0009) show(d:ttl("a"), d:ttl("b"))`, "0 1\n"},
		{"exptime false", `show(d:set("k", 1, false, false)) show(d:ttl("k"))`, "true nil false\n0\n"},
		{"key conversion", `d:set(1e20, "a") d:set(true, "b") d:set(0/0, "c") d:set(-0.0, "d")
			show(d:get("1e+20"), d:get("true"), d:get("nan"), d:get("-0"))`, "a b c d\n"},
		{"key tostring", `local k = setmetatable({}, {__tostring = function() return "tk" end})
			d:set(k, 1) show(d:get("tk"))`, "1\n"},
		{"nil key", `show(d:get(nil)) show(d:set()) show(d:incr(nil, 1)) show(d:lpush(nil, 1)) show(d:ttl())`,
			"nil nil key\nnil nil key\nnil nil key\nnil nil key\nnil nil key\n"},
		{"empty key", `show(d:get("")) show(d:set("", 1)) show(d:rpop("")) show(d:expire("", 1))`,
			"nil empty key\nnil empty key\nnil empty key\nnil empty key\n"},
		{"key too long", `local k = string.rep("x", 65536) show(d:get(k)) show(d:add(k, 1)) show(d:llen(k))
			show(d:set(string.rep("x", 65535), 1))`,
			"nil key too long\nnil key too long\nnil key too long\ntrue nil false\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, out := newLuaDict(t, newLuaTestDict(t, 1<<20))
			// The clock stands still, so that ttl reads what set gave whatever the timing.
			now := time.Now()
			SetLuaClock(l, func(*glua.State) (time.Time, bool) { return now, true })
			runLua(t, l, tt.src)
			assert.Equal(t, tt.want, out.String())
		})
	}
}

func TestLuaErrors(t *testing.T) {
	tests := []struct{ name, call, want string }{
		{"zone get", `d.get("k")`, `t:1: bad "zone" argument`},
		{"zone set", `d.set("k", 1)`, `t:1: bad "zone" argument`},
		{"zone incr", `d.incr("k", 1)`, `t:1: bad "zone" argument`},
		{"zone flush_all", `d.flush_all()`, `t:1: bad "zone" argument`},
		{"zone capacity", `d.capacity()`, `t:1: bad "zone" argument`},
		{"zone userdata", `d.get({1}, "k")`, `t:1: bad "zone" argument`},
		{"zone lpush", `d.lpush({}, "k", 1)`, `t:1: bad "zone" argument`},
		{"lpush args", `d:lpush("k")`, `t:1: expecting 3 arguments, but only seen 2`},
		{"lpop args", `d:lpop("k", 1)`, `t:1: expecting 2 arguments, but only seen 3`},
		{"llen args", `d:llen()`, `t:1: expecting 2 arguments, but only seen 1`},
		// Bad arguments of the C methods are go-lua's ArgumentError: on a plain go-lua state the
		// function has no name and self counts; the engine renames them as LuaJIT does
		// ("bad argument #1 to 'lpush'"), which testdata/lua.cases checks through resty.
		{"list key type", `d:lpush(true, 1)`, `t:1: bad argument #2 to '?' (string expected, got boolean)`},
		{"list key table", `d:llen({})`, `t:1: bad argument #2 to '?' (string expected, got table)`},
		{"exptime negative", `d:set("k", 1, -1)`, `t:1: bad "exptime" argument`},
		{"exptime string", `d:set("k", 1, "5")`, `attempt to compare string with number`},
		{"exptime true", `d:add("k", 1, true)`, `attempt to compare boolean with number`},
		{"flags string", `d:set("k", 1, 0, "5")`,
			`bad argument #10 to 'ngx_lua_ffi_shdict_store' (cannot convert 'string' to 'int')`},
		{"incr nil", `d:incr("k")`, `cannot convert 'nil' to 'double'`},
		{"incr not numeric", `d:incr("k", "abc")`, `cannot convert 'nil' to 'double'`},
		{"incr init", `d:incr("k", 1, "x")`, `t:1: bad init arg: number expected, got string`},
		{"incr init_ttl type", `d:incr("k", 1, 0, false)`, `t:1: bad init_ttl arg: number expected, got boolean`},
		{"incr init_ttl negative", `d:incr("k", 1, 0, -1)`, `t:1: bad "init_ttl" argument`},
		{"incr init_ttl without init", `d:incr("k", 1, nil, 1)`,
			`t:1: must provide "init" when providing "init_ttl"`},
		{"expire nil", `d:expire("k")`, `t:1: bad "exptime" argument`},
		{"expire string", `d:expire("k", "x")`,
			`attempt to perform arithmetic on local 'exptime' (a string value)`},
		{"get_keys max", `d:get_keys("x")`, `t:1: bad argument #2 to '?' (number expected, got string)`},
		{"get_keys args", `d:get_keys(1, 2)`, `t:1: expecting 1 or 2 argument(s), but saw 3`},
		{"get_keys self", `d.get_keys("a")`, `t:1: bad argument #1 to '?' (table expected, got string)`},
		{"get_keys zone", `d.get_keys({})`, `t:1: bad user data for the ngx_shm_zone_t pointer`},
		{"flush_expired max", `d:flush_expired({})`,
			`t:1: bad argument #2 to '?' (number expected, got table)`},
		{"pcall unnamed", `error(select(2, pcall(d.get_keys, d, "x")), 0)`,
			`bad argument #2 to '?' (number expected, got string)`},
		{"pcall no position", `error(select(2, pcall(d.get, "k")), 0)`, `bad "zone" argument`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := newLuaDict(t, newLuaTestDict(t, 1<<20))
			require.NoError(t, glua.LoadBuffer(l, "local r = "+tt.call+" return r", "=t", "text"))
			err := l.ProtectedCall(0, 0, 0)
			require.Error(t, err)
			msg, _ := l.ToString(-1)
			assert.Equal(t, tt.want, msg)
		})
	}
}

// TestLuaClock checks that a *Dict runs at the binding's clock when it gives a time, and at its
// own otherwise.
func TestLuaClock(t *testing.T) {
	d := newLuaTestDict(t, 1<<20)
	l, out := newLuaDict(t, d) // the object exists before the clock is set
	now, given := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), true
	SetLuaClock(l, func(*glua.State) (time.Time, bool) { return now, given })
	runLua(t, l, `d:set("k", "v", 1) show(d:ttl("k"))`)
	now = now.Add(500 * time.Millisecond)
	runLua(t, l, `show(d:get("k"), d:ttl("k"))`)
	now = now.Add(time.Second)
	runLua(t, l, `show(d:get_stale("k"))`)
	given = false // the dict's own clock is 26 years on
	runLua(t, l, `show(d:get("k"), d:ttl("k"))`)
	assert.Equal(t, "1\nv 0.5\nv nil true\nnil nil not found\n", out.String())
}

// TestLuaClockAfterPush checks that objects pushed after SetLuaClock use it too.
func TestLuaClockAfterPush(t *testing.T) {
	l := glua.NewState()
	now := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	SetLuaClock(l, func(*glua.State) (time.Time, bool) { return now, true })
	d := newLuaTestDict(t, 1<<20)
	PushLua(l, d)
	l.SetGlobal("d")
	runLua(t, l, `d:set("k", "v", 10)`)
	ttl, err := d.TTLAt(now, "k")
	require.NoError(t, err)
	assert.Equal(t, 10*time.Second, ttl)
}

// hiddenDict is a Store that is not a *Dict: the binding uses its plain methods.
type hiddenDict struct{ Store }

func TestLuaOtherStore(t *testing.T) {
	d := newLuaTestDict(t, 1<<20)
	l, out := newLuaDict(t, hiddenDict{d})
	SetLuaClock(l, func(*glua.State) (time.Time, bool) { return time.Unix(0, 0), true })
	runLua(t, l, `
		show(d:set("k", "v", 10, 2)) show(d:get("k")) show(d:get_stale("k")) show(d:ttl("k") > 9)
		show(d:add("k", 1)) show(d:safe_add("a", 1)) show(d:replace("a", 2)) show(d:safe_set("s", 1))
		show(d:incr("a", 1)) show(d:incr("c", 1, 5, 1)) show(d:expire("a", 3)) show(d:ttl("a") > 2)
		show(d:rpush("l", 1)) show(d:lpush("l", 0)) show(d:llen("l")) show(d:lpop("l")) show(d:rpop("l"))
		show(d:delete("a")) show(#d:get_keys()) d:flush_all() show(d:flush_expired(0))`)
	assert.Equal(t, "true nil false\nv 2\nv 2 false\ntrue\nfalse exists false\ntrue nil false\n"+
		"true nil false\ntrue nil false\n3\n6 nil false\ntrue\ntrue\n1\n2\n2\n0\n1\ntrue nil false\n3\n0\n",
		out.String())
}

// failingStore fails as a RedisDict fails when Redis is away, or with a raised error.
type failingStore struct{ Store }

var errDown = errors.New("redis: connection refused")

func (failingStore) Get(string) (Value, uint32, error) { return Nil, 0, errDown }
func (failingStore) Set(string, Value, time.Duration, uint32) (bool, error) {
	return false, errDown
}
func (failingStore) SafeSet(string, Value, time.Duration, uint32) (bool, error) {
	return false, ErrBadExptime
}
func (failingStore) LPush(string, Value) (int, error) { return 0, errDown }
func (failingStore) GetKeys(int) ([]string, error)    { return nil, errDown }
func (failingStore) FreeSpace() (int64, error)        { return 0, errDown }

func TestLuaStoreErrors(t *testing.T) {
	l, out := newLuaDict(t, failingStore{newLuaTestDict(t, 1<<20)})
	runLua(t, l, `show(d:get("k")) show(d:set("k", 1)) show(d:lpush("k", 1)) show(d:get_keys())
		show(d:free_space()) show(pcall(function() local ok = d:safe_set("k", 1) return ok end))`)
	assert.Equal(t, "nil redis: connection refused\nfalse redis: connection refused false\n"+
		"nil redis: connection refused\nnil redis: connection refused\nnil redis: connection refused\n"+
		"false t:2: bad \"exptime\" argument\n", out.String())
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12", 12, true}, {" 1.5 ", 1.5, true}, {"-3", -3, true}, {"+3", 3, true}, {"1e2", 100, true},
		{".5", 0.5, true}, {"5.", 5, true}, {"0x10", 16, true}, {"-0X1f", -31, true}, {"0x1p4", 16, true},
		{"", 0, false}, {"x", 0, false}, {"1e", 0, false}, {"inf", 0, false}, {"nan", 0, false},
		{"0x", 0, false}, {"1_000", 0, false}, {"--1", 0, false}, {"1 2", 0, false}, {".", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseNumber(tt.in)
		assert.Equal(t, tt.ok, ok, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}

func TestMsDuration(t *testing.T) {
	assert.Equal(t, 1500*time.Millisecond, msDuration(1.5))
	assert.Equal(t, time.Duration(0), msDuration(0.0009))
	assert.Equal(t, -time.Millisecond, msDuration(-0.001))
	nan := 0.0
	assert.Equal(t, -time.Millisecond, msDuration(nan/nan))
	assert.Equal(t, -time.Millisecond, msDuration(1e300))
	assert.Equal(t, time.Duration(9223372036854)*time.Millisecond, msDuration(1e13))
}

// TestLuaRedis runs the binding on a RedisDict: the same results where Redis can give them.
func TestLuaRedis(t *testing.T) {
	l, out := newLuaDict(t, NewRedis(startRedis(t), "dogs", 1<<20))
	SetLuaClock(l, func(*glua.State) (time.Time, bool) { return time.Unix(0, 0), true }) // unused: not a *Dict
	runLua(t, l, `
		show(d:set("k", "v", 10, 7)) show(d:get("k")) show(d:ttl("k") > 9) show(d:add("k", 1))
		show(d:incr("n", 1)) show(d:incr("n", 2, 10)) show(d:incr("n", 1))
		show(d:rpush("l", 1)) show(d:lpush("l", "a")) show(d:llen("l")) show(d:get("l")) show(d:rpop("l"))
		show(d:expire("nope", 1)) show(d:delete("k")) show(d:get("k")) show(d:capacity())`)
	assert.Equal(t, "true nil false\nv 7\ntrue\nfalse exists false\n"+
		"nil not found\n12 nil false\n13\n"+
		"1\n2\n2\nnil value is a list\n1\n"+
		"nil not found\ntrue nil false\nnil\n1048576\n", out.String())
}
