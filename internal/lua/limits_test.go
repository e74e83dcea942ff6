package lua

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeoutStopsRunawayScripts(t *testing.T) {
	tests := map[string]string{
		"loop":            `while true do end`,
		"pcall in a loop": `while true do pcall(function() while true do end end) end`,
		"xpcall handler":  `xpcall(error, function() while true do end end)`,
		"error in pcall":  `while true do pcall(error, "x") end`,
		"coroutine":       `coroutine.wrap(function() while true do end end)()`,
		"coroutine pcall": `local co = coroutine.create(function() while true do pcall(coroutine.yield) end end) while true do coroutine.resume(co) end`,
		"recursion":       `local function f() pcall(f) return f() end f()`,
		"metamethod":      `local t = setmetatable({}, {__index = function() while true do end end}) return t.x`,
		"string methods":  `local s = "x" while true do s = ("x"):rep(10):upper() end`,
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			e, p := newTestEngine(t, Config{MaxStates: 1, Timeout: 50 * time.Millisecond})
			start := time.Now()
			_, err := runLua(t, e, p, "t.lua", src)
			require.ErrorIs(t, err, ErrTimeout)
			assert.Less(t, time.Since(start), 2*time.Second)
			out, err := runLua(t, e, p, "t.lua", `print("next run")`)
			require.NoError(t, err, "state usable after the timeout")
			assert.Equal(t, "next run\n", out)
		})
	}
}

func TestContextCancelStopsScript(t *testing.T) {
	e, _ := newTestEngine(t, Config{MaxStates: 1})
	c, err := Compile("t.lua", `while true do pcall(function() end) end`)
	require.NoError(t, err)
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	defer e.Release(s)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err = s.Exec(ctx, c, 0)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, s.Exec(ctx, c, 0), context.Canceled)
}

func TestNoTimeoutWithoutLimits(t *testing.T) {
	out := run(t, `local n = 0 for i = 1, 100000 do n = n + i end print(n)`)
	assert.Equal(t, "5000050000\n", out)
}

func TestConcatMaxBytes(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1, MaxBytes: 1000})
	out, err := runLua(t, e, p, "t.lua", `
local s = "x"
local ok, err = pcall(function() for i = 1, 20 do s = s .. s end end)
print(ok, err, #s)
print(#(("y"):rep(10) .. ("z"):rep(10)))`)
	require.NoError(t, err)
	assert.Equal(t, "false\tt.lua:3: string length overflow\t512\n20\n", out)
}

func TestConcatMaxBytesUncaught(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1, MaxBytes: 100})
	_, err := runLua(t, e, p, "t.lua", "local s = ('x'):rep(60)\nreturn s .. s")
	var le *Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "t.lua:2: string length overflow", le.Message)
}

func TestNoConcatCapWhenNegative(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1, MaxBytes: -1})
	out, err := runLua(t, e, p, "t.lua", `local s = "x" for i = 1, 20 do s = s .. s end print(#s)`)
	require.NoError(t, err)
	assert.Equal(t, "1048576\n", out)
}

func TestDebugSethookDisabled(t *testing.T) {
	out := run(t, `
print(pcall(debug.sethook, function() end, "l"))
print(pcall(debug.sethook))
print(debug.gethook())`)
	assert.Equal(t, "false\tdebug.sethook is not supported\ntrue\n\n", out)
}

func TestDeadlineAppliesToNestedExec(t *testing.T) {
	// A Go function running another chunk on the same state keeps the outer deadline.
	var inner *Chunk
	setup := func(s *State) error {
		s.L.Register("runinner", func(l *glua.State) int {
			if err := Current(l).Exec(context.Background(), inner, 0); err != nil {
				Abort(l, err)
			}
			return 0
		})
		return nil
	}
	var err error
	inner, err = Compile("inner.lua", `while true do end`)
	require.NoError(t, err)
	e, p := newTestEngine(t, Config{MaxStates: 1, Timeout: 50 * time.Millisecond, Setup: setup})
	_, err = runLua(t, e, p, "t.lua", `pcall(runinner)`)
	require.ErrorIs(t, err, ErrTimeout)
	assert.True(t, strings.Contains(err.Error(), "inner.lua") || errors.Is(err, ErrTimeout))
}
