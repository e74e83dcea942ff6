package lua

import (
	"strings"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorNamesMatchLua52(t *testing.T) {
	src := readTestdata(t, "error_names.lua")
	assert.Equal(t, reference(t, "lua5.2", src), run(t, src))
}

// A call in a return statement is wrapped in parentheses, which keeps it from being a tail call:
// LuaJIT, whose errors goresty follows, words the errors of tail-called functions apart (corpus
// lj_tail_call_errors).
func TestErrorMessagesAsLua52(t *testing.T) {
	tests := []struct{ src, want string }{
		{`local t = {} return t.a.b`, "t.lua:1: attempt to index field 'a' (a nil value)"},
		{`return undefinedglobal.x`, "t.lua:1: attempt to index global 'undefinedglobal' (a nil value)"},
		{`undefinedfunc()`, "t.lua:1: attempt to call global 'undefinedfunc' (a nil value)"},
		{`return ("x"):nope()`, "t.lua:1: attempt to call method 'nope' (a nil value)"},
		{`local a, b = nil, nil return a + b`, "t.lua:1: attempt to perform arithmetic on local 'a' (a nil value)"},
		{`local t = setmetatable({}, {__index = 5}) return t.x`, "t.lua:1: attempt to index a number value"},
		{`return {} < {}`, "t.lua:1: attempt to compare two table values"},
		{`return 1 < "2"`, "t.lua:1: attempt to compare number with string"},
		{`local t = setmetatable({}, {}) getmetatable(t).__index = t return t.x`, "t.lua:1: loop in gettable"},
		{`local t = setmetatable({}, {}) getmetatable(t).__newindex = t t.x = 1`, "t.lua:1: loop in settable"},
		{`return (("x"):rep())`, "t.lua:1: bad argument #1 to 'rep' (number expected, got no value)"},
		{`return (("x").rep())`, "t.lua:1: bad argument #1 to 'rep' (string expected, got no value)"},
		{`local s = {} return (string.sub(s))`, "t.lua:1: bad argument #1 to 'sub' (string expected, got table)"},
		{`local o = {m = function() end} o:m(("x"):rep())`, "t.lua:1: bad argument #1 to 'rep' (number expected, got no value)"},
		{`local t = {} return (string.rep(t))`, "t.lua:1: bad argument #1 to 'rep' (string expected, got table)"},
	}
	e, p := newTestEngine(t, Config{MaxStates: 1})
	for _, tt := range tests {
		_, err := runLua(t, e, p, "t.lua", tt.src)
		var le *Error
		require.ErrorAs(t, err, &le, tt.src)
		assert.Equal(t, tt.want, le.Message, tt.src)
	}
}

// A Go function that another Go function called has no name in LuaJIT's argument errors
// ("to '?'"); errors that no Lua function raised otherwise keep go-lua's words.
func TestErrorMessagesWithoutLuaCaller(t *testing.T) {
	out := run(t, `print(pcall(string.rep)) print(pcall(error, "t.lua:1: attempt to index a nil value"))
print(pcall(table.sort, {1, "a"}))`)
	assert.Equal(t, "false\tbad argument #1 to '?' (string expected, got no value)\n"+
		"false\tt.lua:1: attempt to index a nil value\n"+
		"false\tattempt to compare string with number\n", out)
}

// The names depend on reading go-lua's private call records; this fails if a go-lua upgrade
// changes their layout (the messages would silently fall back to go-lua's).
func TestFrameViewReadsGoLua(t *testing.T) {
	var v frameView
	var ok bool
	var types []glua.Type
	setup := func(s *State) error {
		s.L.Register("probe", func(l *glua.State) int {
			f, _ := glua.Stack(l, 1)
			if v, ok = viewFrame(f); ok {
				for i := range 4 {
					typ, _ := v.reg(i)
					types = append(types, typ)
				}
			}
			return 0
		})
		return nil
	}
	e, p := newTestEngine(t, Config{MaxStates: 1, Setup: setup})
	_, err := runLua(t, e, p, "t.lua", `local a, b, c, d = 1, "s", {}, nil probe()`)
	require.NoError(t, err)
	require.True(t, ok, "go-lua's callInfo layout is readable")
	assert.Positive(t, v.savedPC)
	assert.Equal(t, []glua.Type{glua.TypeNumber, glua.TypeString, glua.TypeTable, glua.TypeNil}, types)
}

func TestSyntaxErrorsMatchLua52(t *testing.T) {
	src := readTestdata(t, "syntax_errors.lua")
	assert.Equal(t, reference(t, "lua5.2", src), run(t, src))
}

func TestStringChunkName(t *testing.T) {
	tests := map[string]string{
		"@file.lua":                   "@file.lua",
		"=literal":                    "=literal",
		"return 1":                    `=[string "return 1"]`,
		"line one\nline two":          `=[string "line one..."]`,
		strings.Repeat("x", 44):       `=[string "` + strings.Repeat("x", 44) + `"]`,
		strings.Repeat("x", 45):       `=[string "` + strings.Repeat("x", 45) + `..."]`,
		strings.Repeat("y", 80) + "z": `=[string "` + strings.Repeat("y", 45) + `..."]`,
	}
	for name, want := range tests {
		assert.Equal(t, want, stringChunkName(name), name)
	}
}
