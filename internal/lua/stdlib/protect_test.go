package stdlib

import (
	"errors"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callProtected runs f, wrapped by protect, from Lua through pcall and returns pcall's results.
func callProtected(t *testing.T, f glua.Function) []string {
	t.Helper()
	var out []string
	l := newState(t, Options{}, &out)
	l.PushGoFunction(protect(f))
	l.SetGlobal("f")
	require.NoError(t, doString(l, `print(pcall(f))`))
	return out
}

func TestProtectTurnsGoPanicsIntoLuaErrors(t *testing.T) {
	cases := []struct {
		name  string
		panic func()
		want  string
	}{
		{"string", func() { panic("boom") }, "false\tinternal error: boom"},
		{"runtime error", func() { var m map[string]int; m["x"] = 1 }, "false\tinternal error: assignment to entry in nil map"},
		{"index out of range", func() { s := []int{}; _ = s[len(s)+1] }, "false\tinternal error: runtime error: index out of range [1] with length 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := callProtected(t, func(*glua.State) int { c.panic(); return 0 })
			assert.Equal(t, []string{c.want}, out)
		})
	}
}

func TestProtectPassesLuaErrorsThrough(t *testing.T) {
	out := callProtected(t, func(l *glua.State) int {
		l.PushString("a lua error")
		l.Error()
		return 0
	})
	assert.Equal(t, []string{"false\ta lua error"}, out)
}

// errAbort stands for an engine's abort: an error value that must unwind past pcall untouched.
var errAbort = errors.New("abort")

func TestProtectRepanicsOtherErrors(t *testing.T) {
	l := newState(t, Options{}, nil)
	l.PushGoFunction(protect(func(*glua.State) int { panic(errAbort) }))
	l.SetGlobal("f")
	got := func() (r any) {
		defer func() { r = recover() }()
		l.Global("f")
		l.Call(0, 0)
		return nil
	}()
	assert.Equal(t, errAbort, got)
}
