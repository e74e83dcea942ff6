package stdlib

import (
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrint(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"tab-joined", `print(1, "a", nil, true, 2.5)`, "1\ta\tnil\ttrue\t2.5", ""},
		{"no arguments", `print() print("x")`, "\nx", ""},
		{"__tostring", `print(setmetatable({}, {__tostring = function() return "OBJ" end}))`, "OBJ", ""},
		{"uses the global tostring", `tostring = function() return "T" end print(1, 2)`, "T\tT", ""},
		{"tostring must return a string", `tostring = function() return {} end print(1)`, "", "'tostring' must return a string to 'print'"},
		{"error in __tostring", `print(setmetatable({}, {__tostring = function() error("boom") end}))`, "", "boom"},
	})
}

func TestPrintWithoutSink(t *testing.T) {
	l := glua.NewState()
	glua.OpenLibraries(l)
	Open(l, Options{})
	require.NoError(t, glua.DoString(l, `print("discarded")`))
}

func TestCollectgarbage(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"collect and default", `print(collectgarbage(), collectgarbage("collect"))`, "0\t0", ""},
		{"step finishes a cycle", `print(collectgarbage("step"), collectgarbage("step", 100))`, "true\ttrue", ""},
		{"stop and restart", `print(collectgarbage("isrunning"), collectgarbage("stop"), collectgarbage("isrunning"), collectgarbage("restart"), collectgarbage("isrunning"))`,
			"true\t0\tfalse\t0\ttrue", ""},
		{"setpause and setstepmul return the previous value", `print(collectgarbage("setpause", 150), collectgarbage("setpause"), collectgarbage("setstepmul", 300), collectgarbage("setstepmul", 200))`,
			"200\t150\t200\t300", ""},
		{"modes", `print(collectgarbage("generational"), collectgarbage("incremental"))`, "0\t0", ""},
		{"count returns KB and bytes", `local k, b = collectgarbage("count") print(type(k), k > 16, b >= 0 and b < 1024, k * 1024 % 1024 == b)`,
			"number\ttrue\ttrue\ttrue", ""},
		{"invalid option", `collectgarbage("bogus")`, "", "bad argument #1 to '?' (invalid option 'bogus')"},
		{"second argument must be a number", `collectgarbage("step", "x")`, "", "bad argument #2 to '?' (number expected, got string)"},
	})
}

func TestCollectgarbageCountGrows(t *testing.T) {
	var out []string
	l := newState(t, Options{}, &out)
	require.NoError(t, doString(l, `
		local before = collectgarbage("count")
		keep = {}
		for i = 1, 10000 do keep[i] = {name = "item" .. i} end
		local cache = {}
		function get() return cache end
		for i = 1, 1000 do cache[i] = string.rep("x", 100) end
		print(before, collectgarbage("count"))`))
	require.Len(t, out, 1)
	var before, after float64
	_, err := fmtSscan(out[0], &before, &after)
	require.NoError(t, err)
	assert.Greater(t, after-before, 1000.0, "10,000 tables and 100 KB of strings held through an upvalue")
	assert.Less(t, after, 100000.0)
}

func TestMathRandomMatchesLuaJIT(t *testing.T) {
	// Expected values printed by luajit (luajit2 on Debian, as OpenResty's).
	runCases(t, Options{}, []luaCase{
		{"seed 42", `math.randomseed(42) print(math.random(), math.random(100), math.random(5, 10), math.random(-3, 3), math.random(1e9))`,
			"0.95607928791821\t1\t8\t0\t719725111", ""},
		{"negative seed", `math.randomseed(-1) print(math.random(), math.random(100))`, "0.30439379925102\t65", ""},
		{"no interval check", `print(math.random(0), math.random(3, 2))`, "1\t3", ""},
		{"seed needs a number", `math.randomseed()`, "", "bad argument #1 to '?' (number expected, got no value)"},
	})
}

func TestMathRandomIsPerState(t *testing.T) {
	var out1, out2 []string
	l1 := newState(t, Options{}, &out1)
	l2 := newState(t, Options{}, &out2)
	require.NoError(t, doString(l1, `math.randomseed(7) print(math.random(1e9))`))
	require.NoError(t, doString(l2, `math.randomseed(7) math.random() math.random() print(math.random(1e9))`))
	require.NoError(t, doString(l1, `print(math.random(1e9))`))
	var out3 []string
	l3 := newState(t, Options{}, &out3)
	require.NoError(t, doString(l3, `math.randomseed(7) print(math.random(1e9)) print(math.random(1e9))`))
	assert.Equal(t, out3, out1, "another state's draws must not advance this state's sequence")
}

func TestMathRandomUnseededStatesDiffer(t *testing.T) {
	var out1, out2 []string
	require.NoError(t, doString(newState(t, Options{}, &out1), `print(math.random(1e9), math.random(1e9))`))
	require.NoError(t, doString(newState(t, Options{}, &out2), `print(math.random(1e9), math.random(1e9))`))
	assert.NotEqual(t, out1, out2)
}
