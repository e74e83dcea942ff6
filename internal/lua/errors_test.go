package lua

import (
	"errors"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorsMatchLua52(t *testing.T) {
	src := readTestdata(t, "errors.lua")
	assert.Equal(t, reference(t, "lua5.2", src), run(t, src))
}

func TestUncaughtErrorValue(t *testing.T) {
	tests := []struct {
		name, src, message string
		value              any
	}{
		{"string with position", `error("boom")`, "t.lua:1: boom", "t.lua:1: boom"},
		{"string level 0", `error("boom", 0)`, "boom", "boom"},
		{"number", `error(42, 0)`, "42", 42.0},
		{"boolean", `error(false)`, "false", false},
		{"nil", `error()`, "nil", nil},
		{"table", `error({code = 1})`, "(error object is a table value)", nil},
		{"runtime error", "local x\nx()", "t.lua:2: attempt to call local 'x' (a nil value)", "t.lua:2: attempt to call local 'x' (a nil value)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, p := newTestEngine(t, Config{MaxStates: 1})
			_, err := runLua(t, e, p, "t.lua", tt.src)
			var le *Error
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tt.message, le.Message)
			if tt.name != "table" {
				assert.Equal(t, tt.value, le.Value)
			}
		})
	}
}

func TestUncaughtErrorTableValueAndTraceback(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1})
	_, err := runLua(t, e, p, "t.lua", "local function f() error({code = 7}) end\nf()")
	var le *Error
	require.ErrorAs(t, err, &le)
	require.NotNil(t, le.Value, "table value kept")
	assert.Contains(t, le.Traceback, "stack traceback:")
	assert.Contains(t, le.Traceback, "\n\tt.lua:1: in function")
	assert.Contains(t, le.Traceback, "\n\tt.lua:2: in main chunk")
}

// goFuncs registers Go functions that misbehave, for the tests below.
func goFuncs(s *State) error {
	l := s.L
	l.Register("gopanic", func(l *glua.State) int { panic("went wrong") })
	l.Register("gonil", func(l *glua.State) int {
		var m map[string]int
		m["x"] = 1
		return 0
	})
	l.Register("goerr", func(l *glua.State) int { panic(errors.New("an error value")) })
	l.Register("abort", func(l *glua.State) int {
		Abort(l, errAborted)
		return 0
	})
	return nil
}

var errAborted = errors.New("request aborted")

func TestGoPanicBecomesLuaError(t *testing.T) {
	tests := []struct{ src, want string }{
		{`print(pcall(gopanic))`, "false\twent wrong\n"},
		{`print(select(2, pcall(gonil)):match("internal error: assignment to entry in nil map") ~= nil)`, "true\n"},
		{`print(pcall(goerr))`, "false\tan error value\n"},
		{`print(pcall(function() gopanic() end))`, "false\tt.lua:1: went wrong\n"},
	}
	for _, tt := range tests {
		e, p := newTestEngine(t, Config{MaxStates: 1, Setup: goFuncs})
		out, err := runLua(t, e, p, "t.lua", tt.src)
		require.NoError(t, err, tt.src)
		assert.Equal(t, tt.want, out, tt.src)
	}
}

func TestAbortIsNotCatchable(t *testing.T) {
	tests := []string{
		`abort()`,
		`print(pcall(abort))`,
		`for i = 1, 3 do pcall(abort) end print("not reached")`,
		`print(xpcall(abort, function(m) print("handler ran") return m end))`,
		`local co = coroutine.wrap(function() pcall(abort) end) print(pcall(co))`,
		`print(pcall(error, setmetatable({}, {__index = function() abort() end}).x))`,
	}
	for _, src := range tests {
		e, p := newTestEngine(t, Config{MaxStates: 1, Setup: goFuncs})
		out, err := runLua(t, e, p, "t.lua", src)
		assert.Same(t, errAborted, err, src)
		assert.Empty(t, out, src)
	}
}

func TestStateUsableAfterErrors(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1, Setup: goFuncs})
	for _, src := range []string{`error({})`, `abort()`, `gopanic()`, `local t = nil; t.x = 1`} {
		_, err := runLua(t, e, p, "t.lua", src)
		require.Error(t, err, src)
		out, err := runLua(t, e, p, "t.lua", `print(pcall(error, "fine"))`)
		require.NoError(t, err, "after %s", src)
		assert.Equal(t, "false\tfine\n", out, "after %s", src)
	}
}

func TestErrorThroughForeignProtectedCall(t *testing.T) {
	// A Go function that calls Lua with go-lua's own ProtectedCall (no handler) still gets the
	// error value unchanged.
	setup := func(s *State) error {
		s.L.Register("gocall", func(l *glua.State) int {
			l.PushValue(1)
			if err := l.ProtectedCall(0, 0, 0); err != nil {
				l.PushBoolean(false)
				l.Insert(-2)
				return 2
			}
			l.PushBoolean(true)
			return 1
		})
		return nil
	}
	e, p := newTestEngine(t, Config{MaxStates: 1, Setup: setup})
	out, err := runLua(t, e, p, "t.lua", `local t = {} local ok, v = gocall(function() error(t) end) print(ok, v == t)`)
	require.NoError(t, err)
	assert.Equal(t, "false\ttrue\n", out)
}
