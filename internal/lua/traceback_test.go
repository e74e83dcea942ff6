package lua

import (
	"context"
	"strconv"
	"strings"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The wanted tracebacks below are what OpenResty's LuaJIT prints for the same programs (the
// oracle cases err_traceback_names and err_debug_traceback check them against nginx).

func TestTracebackNamesFunctionsAsLuaJIT(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1})
	_, err := runLua(t, e, p, "t.lua", `local obj = {}
function obj:meth() error("boom") end
local function loc() obj:meth() end
local function tl() return loc() end
local t = setmetatable({}, {__index = function() return tl() end})
function outer() local _ = t.x return 1 end
outer()`)
	var le *Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, `stack traceback:
	[C]: in function 'error'
	t.lua:2: in function 'meth'
	t.lua:3: in function '__index'
	t.lua:6: in function 'outer'
	t.lua:7: in main chunk`, le.Traceback, "loc, reached by two tail calls, is named as __index was called")
}

func TestDebugTracebackAsLuaJIT(t *testing.T) {
	// As printed by luajit (luajit2) for the same file, without its own C main frame. There are
	// no tail calls of Go functions here: go-lua keeps the caller's frame for those.
	out := run(t, `local function f() local ok = pcall(function() print(debug.traceback("m")) end) return ok end
f()
print(select(2, xpcall(function() error("x") end, debug.traceback)))
print(select(2, xpcall(function() error("y") end, function(e) local tb = debug.traceback(e, 1) return tb end)))`)
	assert.Equal(t, `m
stack traceback:
	t.lua:1: in function <t.lua:1>
	[C]: in function 'pcall'
	t.lua:1: in function 'f'
	t.lua:2: in main chunk
t.lua:3: x
stack traceback:
	[C]: in function 'error'
	t.lua:3: in function <t.lua:3>
	[C]: in function 'xpcall'
	t.lua:3: in main chunk
t.lua:4: y
stack traceback:
	t.lua:4: in function <t.lua:4>
	[C]: in function 'error'
	t.lua:4: in function <t.lua:4>
	[C]: in function 'xpcall'
	t.lua:4: in main chunk
`, out)
}

func TestLongTracebackKeepsHeadAndTail(t *testing.T) {
	for _, tt := range []struct {
		depth      int
		head, tail int // frame lines before and after "...", or head alone when none
	}{
		{depth: 20, head: 22},
		{depth: 21, head: 11, tail: 10},
		{depth: 22, head: 11, tail: 10},
		{depth: 40, head: 11, tail: 10},
	} {
		out := run(t, `local function deep(n) if n == 0 then print(debug.traceback("d")) return end deep(n - 1) end
deep(`+strconv.Itoa(tt.depth)+`)`)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")[2:]
		head, tail, dots := 0, 0, false
		for _, l := range lines {
			switch {
			case l == "\t...":
				dots = true
			case dots:
				tail++
			default:
				head++
			}
		}
		assert.Equal(t, tt.head, head, "depth %d", tt.depth)
		assert.Equal(t, tt.tail, tail, "depth %d", tt.depth)
		assert.Equal(t, "\tt.lua:2: in main chunk", lines[len(lines)-1])
	}
}

func TestNestedExecTracebackStopsAtItsChunk(t *testing.T) {
	inner, err := Compile("inner.lua", "local function f() error('in') end\nf()")
	require.NoError(t, err)
	var tb string
	e, p := newTestEngine(t, Config{MaxStates: 1, Setup: func(s *State) error {
		s.L.Register("nested", func(l *glua.State) int {
			var le *Error
			if err := Current(l).Exec(context.Background(), inner, 0); assert.ErrorAs(t, err, &le) {
				tb = le.Traceback
			}
			return 0
		})
		return nil
	}})
	_, err = runLua(t, e, p, "outer.lua", "local function g() nested() end\ng()")
	require.NoError(t, err)
	assert.Equal(t, `stack traceback:
	[C]: in function 'error'
	inner.lua:1: in function 'f'
	inner.lua:2: in main chunk`, tb)
}

func TestFuncName(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1, Setup: func(s *State) error {
		s.L.Register("caller", func(l *glua.State) int {
			kind, name := FuncName(l, 1)
			l.PushString(kind + " " + name)
			return 1
		})
		return nil
	}})
	out, err := runLua(t, e, p, "t.lua", `local function loc() print(caller()) end
function glob() print(caller()) end
local o = {} function o:m() print(caller()) end function o.f() print(caller()) end
local function up() print(caller()) end
local function viaup() up() end
loc() glob() o:m() o.f() viaup()
pcall(loc)
for _ in function() print(caller()) end do end
local mt = setmetatable({}, {__index = function() print(caller()) end}) local _ = mt.x`)
	require.NoError(t, err)
	assert.Equal(t, "local loc\nglobal glob\nmethod m\nfield f\nupvalue up\n \nfor iterator for iterator\nmetamethod __index\n", out)
}

// TestFuncNameDecodesAFunctionOnce runs a chunk whose closures are new in every Exec: the
// prototype cache keeps one decoded function, not one per closure.
func TestFuncNameDecodesAFunctionOnce(t *testing.T) {
	e, p := newTestEngine(t, Config{Workers: 1, MaxStates: 1, Setup: func(s *State) error {
		s.L.Register("caller", func(l *glua.State) int {
			_, name := FuncName(l, 1)
			l.PushString(name)
			return 1
		})
		return nil
	}})
	c, err := Compile("t.lua", "local function outer() local function f() print(caller()) end f() end outer()")
	require.NoError(t, err)
	for range 3 {
		s, err := e.Acquire(context.Background())
		require.NoError(t, err)
		require.NoError(t, s.Exec(context.Background(), c, 0))
		e.Release(s)
	}
	assert.Equal(t, "f\nf\nf\n", p.take())
	assert.Len(t, e.vms[0].protos, 1, "outer's prototype, decoded once")
}
