package lua

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGlobalsDoNotLeakBetweenExecs(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1})
	out, err := runLua(t, e, p, "t.lua", `x = "one" _G.f = function() return x end print(x)`)
	require.NoError(t, err)
	assert.Equal(t, "one\n", out)
	out, err = runLua(t, e, p, "t.lua", `print(x) x = "two" print(f(), x)`)
	require.NoError(t, err)
	assert.Equal(t, "nil\none\ttwo\n", out, "a closure keeps the environment of the run that made it")
	out, err = runLua(t, e, p, "t.lua", `print(getmetatable(_ENV), pcall(setmetatable, _ENV, {}))`)
	require.NoError(t, err)
	assert.Equal(t, "false\tfalse\tcannot change a protected metatable\n", out)
}

func TestExecResults(t *testing.T) {
	e, _ := newTestEngine(t, Config{MaxStates: 1})
	c, err := Compile("t.lua", `return 1, "two", ...`)
	require.NoError(t, err)
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	defer e.Release(s)
	s.L.PushString("below")
	require.NoError(t, s.Exec(context.Background(), c, glua.MultipleReturns))
	require.Equal(t, 3, s.L.Top())
	below, _ := s.L.ToString(1)
	one, _ := s.L.ToNumber(2)
	two, _ := s.L.ToString(3)
	assert.Equal(t, []any{"below", 1.0, "two"}, []any{below, one, two})
	s.L.SetTop(0)
	require.NoError(t, s.Exec(context.Background(), c, 1))
	assert.Equal(t, 1, s.L.Top())
}

func TestPoolBoundsStates(t *testing.T) {
	e, _ := newTestEngine(t, Config{MaxStates: 2})
	a, err := e.Acquire(context.Background())
	require.NoError(t, err)
	b, err := e.Acquire(context.Background())
	require.NoError(t, err)
	assert.NotSame(t, a, b)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = e.Acquire(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded, "a third state waits")
	got := make(chan *State)
	go func() {
		s, _ := e.Acquire(context.Background())
		got <- s
	}()
	e.Release(a)
	assert.Same(t, a, <-got, "the released state is handed to the waiter")
	e.Release(b)
	e.Release(a)
}

func TestClose(t *testing.T) {
	e, _ := newTestEngine(t, Config{MaxStates: 1})
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	e.Close()
	_, err = e.Acquire(context.Background())
	require.ErrorIs(t, err, ErrClosed)
	e.Release(s)
	e.Close()
}

func TestSetupError(t *testing.T) {
	_, err := NewEngine(Config{Setup: func(*State) error { return errors.New("no config") }})
	require.ErrorContains(t, err, "no config")
}

func TestSetupFunctionsAreProtected(t *testing.T) {
	setup := func(s *State) error {
		s.L.Register("boom", func(l *glua.State) int { panic(fmt.Sprintf("bad %d", 1)) })
		return nil
	}
	e, p := newTestEngine(t, Config{MaxStates: 1, Setup: setup})
	out, err := runLua(t, e, p, "t.lua", `print(pcall(boom))`)
	require.NoError(t, err)
	assert.Equal(t, "false\tbad 1\n", out)
}

func TestInternalErrorDiscardsState(t *testing.T) {
	setup := func(s *State) error {
		// A Go function made at run time escapes the engine's wrapping of library functions.
		s.L.Register("mk", func(l *glua.State) int {
			l.PushGoFunction(func(l *glua.State) int {
				var m map[int]int
				m[1] = 1
				return 0
			})
			return 1
		})
		return nil
	}
	e, p := newTestEngine(t, Config{MaxStates: 1, Setup: setup})
	c, err := Compile("t.lua", `print(pcall(mk()))`)
	require.NoError(t, err)
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	err = s.Exec(context.Background(), c, 0)
	require.ErrorIs(t, err, errInternal)
	assert.Empty(t, p.take(), "pcall did not catch it")
	require.ErrorIs(t, s.Exec(context.Background(), c, 0), errBrokenState)
	e.Release(s)
	s2, err := e.Acquire(context.Background())
	require.NoError(t, err)
	defer e.Release(s2)
	assert.NotSame(t, s, s2, "the broken state was replaced")
}

func TestConcurrentExecsShareChunks(t *testing.T) {
	e, _ := newTestEngine(t, Config{MaxStates: 4, Print: func(string) {}})
	c, err := Compile("t.lua", issue50+`
local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
return co() + co() + co()`)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				s, err := e.Acquire(context.Background())
				if !assert.NoError(t, err) {
					return
				}
				err = s.Exec(context.Background(), c, 1)
				n, _ := s.L.ToNumber(-1)
				e.Release(s)
				if !assert.NoError(t, err) || !assert.Equal(t, 6.0, n) {
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestCurrentAndData(t *testing.T) {
	var seen []any
	setup := func(s *State) error {
		s.L.Register("note", func(l *glua.State) int {
			seen = append(seen, Current(l).Data)
			return 0
		})
		return nil
	}
	e, _ := newTestEngine(t, Config{MaxStates: 1, Setup: setup})
	c, err := Compile("t.lua", `note()`)
	require.NoError(t, err)
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	s.Data = 42
	require.NoError(t, s.Exec(context.Background(), c, 0))
	e.Release(s)
	assert.Nil(t, s.Data, "Release clears Data")
	assert.Equal(t, []any{42}, seen)
	assert.Nil(t, Current(glua.NewState()))
}

func TestSetupFunctionsProtectedDeepAndOnce(t *testing.T) {
	setup := func(s *State) error {
		l := s.L
		boom := func(l *glua.State) int { panic("deep boom") }
		l.NewTable()
		l.NewTable()
		l.PushGoFunction(boom)
		l.SetField(-2, "boom")
		l.Field(-1, "boom")
		l.SetField(-3, "alias")
		l.SetField(-2, "req")
		l.SetGlobal("ngx")
		l.Register("mk", func(l *glua.State) int {
			l.PushGoFunction(Protect(func(l *glua.State) int { panic("made later") }))
			return 1
		})
		return nil
	}
	e, p := newTestEngine(t, Config{MaxStates: 1, Setup: setup})
	out, err := runLua(t, e, p, "t.lua", `print(pcall(ngx.req.boom)) print(ngx.alias == ngx.req.boom) print(pcall(mk()))`)
	require.NoError(t, err)
	assert.Equal(t, "false\tdeep boom\ntrue\nfalse\tmade later\n", out)
}

func TestStackOverflowRetiresState(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1})
	c, err := Compile("t.lua", `local function f(n) return 1 + f(n + 1) end print(pcall(f, 1))`)
	require.NoError(t, err)
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	require.NoError(t, s.Exec(context.Background(), c, 0))
	assert.Contains(t, p.take(), "stack overflow")
	require.NoError(t, s.Exec(context.Background(), c, 0), "still usable until Release")
	e.Release(s)
	s2, err := e.Acquire(context.Background())
	require.NoError(t, err)
	defer e.Release(s2)
	assert.NotSame(t, s, s2, "replaced after Release")
}

func TestChunksThatOnlyReadGlobals(t *testing.T) {
	tests := []struct {
		src  string
		only bool
	}{
		{`ngx = print print("hi")`, false},
		{`print(x, string.rep("a", 2))`, true},
		{`local t = {} t.x = 1 return t.x`, true},
		{`x = 1`, false},
		{`local e = _ENV`, false},
		{`_ENV = {}`, false},
		{`local function f() return x end`, true},
		{`local function f() x = 1 end`, false},
		{`local function f() return function() y = 2 end end`, false},
		{`local function f() local e = _ENV end`, false},
		{`local function f(a) return a end return f(1)`, true},
		{`return loadstring("return 1")()`, false},
		{`local function f() return setfenv end`, false},
		{`local t = {load = 1} return t.load`, true},
	}
	for _, tt := range tests {
		c, err := Compile("t.lua", tt.src)
		require.NoError(t, err)
		assert.Equal(t, tt.only, !c.wrapped, tt.src)
	}
}

func TestLoadInAChunkThatOnlyReadsGlobals(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1})
	// A chunk that names loadstring gets its own environment, which its loaded chunks share.
	src := `loadstring("y = (y or 0) + 1")() print(y, rawget(_G, "y")) print(load("return y")())`
	c, err := Compile("t.lua", src)
	require.NoError(t, err)
	require.True(t, c.wrapped)
	for range 2 {
		out, err := runLua(t, e, p, "t.lua", src)
		require.NoError(t, err)
		assert.Equal(t, "1\tnil\n1\n", out, "a loaded chunk's globals are the Exec's own")
	}
	out, err := runLua(t, e, p, "t.lua", `_G.z = "set" local s = tostring(z) print(s)`)
	require.NoError(t, err)
	assert.Equal(t, "set\n", out)
	out, err = runLua(t, e, p, "t.lua", `print(z, y)`)
	require.NoError(t, err)
	assert.Equal(t, "set\tnil\n", out)

	// One that reaches loadstring by another name reads the globals itself; the chunks it
	// loads share an environment of the Exec's, which no other Exec sees.
	src = `local ls = _G.loadstring ls("w = (w or 0) + 1")() print(w, ls("return w")())`
	c, err = Compile("t.lua", src)
	require.NoError(t, err)
	require.False(t, c.wrapped)
	for range 2 {
		out, err := runLua(t, e, p, "t.lua", src)
		require.NoError(t, err)
		assert.Equal(t, "nil\t1\n", out)
	}
}
