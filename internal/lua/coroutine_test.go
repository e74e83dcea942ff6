package lua

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestCoroutinesMatchLua52(t *testing.T) {
	src := readTestdata(t, "coroutines.lua")
	assert.Equal(t, reference(t, "lua5.2", src), run(t, src))
}

func TestCurrentInsideCoroutine(t *testing.T) {
	setup := func(s *State) error {
		s.L.Register("data", func(l *glua.State) int {
			l.PushString(Current(l).Data.(string))
			return 1
		})
		return nil
	}
	e, _ := newTestEngine(t, Config{MaxStates: 1, Setup: setup})
	c, err := Compile("t.lua", `return coroutine.wrap(function() coroutine.yield(data()) end)()`)
	require.NoError(t, err)
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	defer e.Release(s)
	s.Data = "request 1"
	require.NoError(t, s.Exec(context.Background(), c, 1))
	got, _ := s.L.ToString(-1)
	assert.Equal(t, "request 1", got)
}

func TestRequireInsideCoroutineSharesLoaded(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "counter.lua"),
		[]byte(`local n = 0 return {next = function() n = n + 1 return "n" .. n end}`), 0o644))
	src := `package.path = "` + dir + `/?.lua"
local a = require("counter")
local b = coroutine.wrap(function() return require("counter") end)()
print(a == b, package.loaded.counter == b, a.next(), b.next())
print(coroutine.wrap(function() return require("table.new") == table.new end)())`
	assert.Equal(t, "true\ttrue\tn1\tn2\ntrue\n", run(t, src))
}

func TestAbandonedCoroutinesEndAtRelease(t *testing.T) {
	before := goleak.IgnoreCurrent()
	e, p := newTestEngine(t, Config{MaxStates: 1})
	out, err := runLua(t, e, p, "t.lua", `
_G.KEEP = {}
for i = 1, 20 do
  local co = coroutine.create(function() local ok = pcall(coroutine.yield, i) print("never") end)
  coroutine.resume(co)
  KEEP[i] = co
end
print(coroutine.status(KEEP[1]))`)
	require.NoError(t, err)
	assert.Equal(t, "suspended\n", out)
	out, err = runLua(t, e, p, "t.lua", `print(coroutine.status(KEEP[1]), coroutine.resume(KEEP[1]))`)
	require.NoError(t, err)
	assert.Equal(t, "dead\tfalse\tcannot resume dead coroutine\n", out, "a coroutine of an earlier user reads as dead")
	e.Close()
	goleak.VerifyNone(t, before)
}

func TestUnreachableCoroutinesAreReaped(t *testing.T) {
	setup := func(s *State) error {
		s.L.Register("gc", func(l *glua.State) int {
			runtime.GC()
			runtime.GC()
			time.Sleep(time.Millisecond)
			return 0
		})
		s.L.Register("goroutines", func(l *glua.State) int {
			l.PushInteger(runtime.NumGoroutine())
			return 1
		})
		return nil
	}
	e, p := newTestEngine(t, Config{MaxStates: 1, Setup: setup})
	out, err := runLua(t, e, p, "t.lua", `
local start = goroutines()
for round = 1, 5 do
  for i = 1, 200 do
    local gen = coroutine.wrap(function() for j = 1, 10 do coroutine.yield(j) end end)
    gen()
  end
  gc()
end
coroutine.wrap(function() end)()
print(goroutines() - start < 250)`)
	require.NoError(t, err)
	assert.Equal(t, "true\n", out)
}

func TestManyShortCoroutines(t *testing.T) {
	out := run(t, `
local sum = 0
for i = 1, 5000 do
  local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return a + b end)
  sum = sum + co(i) + co(1)
end
print(sum)`)
	assert.Equal(t, "25015000\n", out)
}

func TestCoroutineErrorsPropagateFromGo(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1, Setup: goFuncs})
	out, err := runLua(t, e, p, "t.lua", `
print(coroutine.resume(coroutine.create(gopanic)))
print(coroutine.resume(coroutine.create(function() gopanic() end)))`)
	require.NoError(t, err)
	assert.Equal(t, "false\twent wrong\nfalse\tt.lua:3: went wrong\n", out)
}

func TestTracebackOfSuspendedCoroutine(t *testing.T) {
	out := run(t, `
local co = coroutine.create(function() local function inner() coroutine.yield() end inner() end)
coroutine.resume(co)
local tb = debug.traceback(co)
print(tb:match("^stack traceback:") ~= nil, tb:find("t.lua:2:", 1, true) ~= nil)
print(debug.traceback(coroutine.create(print), "msg"))`)
	assert.Equal(t, "true\ttrue\nmsg\nstack traceback:\n", out)
}

func TestCoroutineNestingLimit(t *testing.T) {
	out := run(t, `
local depth, msg = 0
local function nest()
  depth = depth + 1
  local ok, err = coroutine.resume(coroutine.create(nest))
  if not ok and not msg then msg = err end
end
nest()
print(depth, msg)`)
	assert.Equal(t, "201\tC stack overflow\n", out)
}

// Config.WrapError sees a failed wrapped coroutine's error value and its traceback, taken where
// the error was raised; when it returns, the error propagates as in Lua.
func TestWrapErrorHook(t *testing.T) {
	var value, tb string
	e, p := newTestEngine(t, Config{MaxStates: 1, WrapError: func(l *glua.State, coTraceback string) {
		value, _ = l.ToString(-1)
		tb = coTraceback
	}})
	out, err := runLua(t, e, p, "t.lua", `local f = coroutine.wrap(function()
  local function inner() error("boom") end
  inner()
end)
print(pcall(f))`)
	require.NoError(t, err)
	assert.Equal(t, "false\tt.lua:2: boom\n", out) // pcall calls f: no position added
	assert.Equal(t, "t.lua:2: boom", value)
	assert.Equal(t, "stack traceback:\n\t[C]: in function 'error'\n\tt.lua:2: in function 'inner'\n\tt.lua:3: in function <t.lua:1>", tb)
}
