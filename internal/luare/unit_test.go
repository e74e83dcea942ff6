package luare

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		opts string
		want Flags
		err  string
	}{
		{"", Flags{}, ""},
		{"ijo", Flags{Caseless: true, JIT: true, Once: true}, ""},
		{"U", Flags{UTF8: true, NoUTF8Chk: true}, ""},
		{"amsxuDJd", Flags{Anchored: true, Multiline: true, DotAll: true, Extended: true, UTF8: true,
			DupNames: true, JSCompat: true, DFA: true}, ""},
		{"iQ", Flags{}, `unknown flag "Q" (flags "iQ")`},
	}
	for _, tc := range tests {
		t.Run(tc.opts, func(t *testing.T) {
			got, err := ParseFlags(tc.opts)
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCompileTemplate(t *testing.T) {
	ovec := []int{1, 3, 1, 2, -1, -1} // subject "abcd": match "bc", group 1 "b", group 2 unset
	tests := []struct{ tpl, want string }{
		{"[$0]", "[bc]"},
		{"$1$2$3", "b"},
		{"${1}1", "b1"},
		{"$$1", "$1"},
		{"$10", ""},
		{"plain", "plain"},
	}
	for _, tc := range tests {
		t.Run(tc.tpl, func(t *testing.T) {
			tpl, err := CompileTemplate(tc.tpl)
			require.NoError(t, err)
			var b strings.Builder
			tpl.Expand(&b, "abcd", ovec)
			assert.Equal(t, tc.want, b.String())
		})
	}
	// The log lines are nginx's (the oracle case re_sub_bad_template checks them on nginx).
	for bad, log := range map[string]string{
		"$":      `lua script: invalid capturing variable name found in "$"`,
		"a$ 1":   `lua script: invalid capturing variable name found in "a$ 1"`,
		"${}":    `lua script: invalid capturing variable name found in "${}"`,
		"${":     `lua script: invalid capturing variable name found in "${"`,
		"${1":    `the closing bracket in "1" variable is missing`,
		"${12a}": `the closing bracket in "12" variable is missing`,
		"$a":     `attempt to use named capturing variable "a" (named captures not supported yet)`,
		"${x}":   `attempt to use named capturing variable "x" (named captures not supported yet)`,
		"$_y-":   `attempt to use named capturing variable "_y" (named captures not supported yet)`,
	} {
		_, err := CompileTemplate(bad)
		assert.ErrorIs(t, err, ErrTemplate, bad)
		assert.EqualError(t, err, "failed to compile the replacement template", bad)
		var te *TemplateError
		if assert.ErrorAs(t, err, &te, bad) {
			assert.Equal(t, log, te.Log, bad)
		}
	}
}

func TestExecOffsets(t *testing.T) {
	tests := []struct {
		pattern, opts, subject string
		pos                    int
		want                   []int
	}{
		{`(b)(x)?`, "", "abc", 0, []int{1, 2, 1, 2, -1, -1}},
		{`.`, "u", "é!", 0, []int{0, 2}},
		{`.`, "", "é!", 0, []int{0, 1}},
		{`!`, "u", "é!", 2, []int{2, 3}},
		{`a\Kb`, "", "xab", 0, []int{2, 3}},
		{`z`, "", "abc", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+"/"+tc.opts, func(t *testing.T) {
			re, err := Compile(tc.pattern, tc.opts)
			require.NoError(t, err)
			got, err := re.ExecString(tc.subject, tc.pos)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestExecErrors(t *testing.T) {
	re, err := Compile(".", "u")
	require.NoError(t, err)
	_, err = re.ExecString("\xff", 0)
	assert.EqualError(t, err, "pcre_exec() failed: -10")
	_, err = re.ExecString("é", 1)
	assert.EqualError(t, err, "pcre_exec() failed: -11")
	_, err = re.ExecString("abc", 4)
	assert.EqualError(t, err, "pcre_exec() failed: -24")
}

func TestGoAPI(t *testing.T) {
	caps, err := Match("key=val", `(?<k>\w+)=(\w+)(x)?`, "", 0)
	require.NoError(t, err)
	assert.Equal(t, []Capture{{"key=val", true}, {"key", true}, {"val", true}, {"", false}}, caps)
	from, to, err := Find("hello world", "o", "", 5)
	require.NoError(t, err)
	assert.Equal(t, []int{7, 8}, []int{from, to})
	s, n, err := Gsub("a.b.c", `\.`, "-", "")
	require.NoError(t, err)
	assert.Equal(t, "a-b-c", s)
	assert.Equal(t, 2, n)
	s, n, err = Sub("a.b.c", `\.`, "[$0]", "")
	require.NoError(t, err)
	assert.Equal(t, "a[.]b.c", s)
	assert.Equal(t, 1, n)
	_, _, err = Sub("x", "(", "", "")
	assert.EqualError(t, err, `pcre_compile() failed: missing ) in "("`)
}

func TestCacheIsBounded(t *testing.T) {
	c := newCache(3)
	for i := range 10 {
		c.put(&cacheEntry{key: fmt.Sprint(i)})
	}
	assert.Equal(t, 3, c.len())
	_, ok := c.get("9")
	assert.True(t, ok, "newest entry kept")
	_, ok = c.get("0")
	assert.False(t, ok, "oldest entry evicted")
}

func TestNames(t *testing.T) {
	re, err := Compile(`(?<b>x)(?<a>y)(?<b>z)`, "D")
	require.NoError(t, err)
	assert.Equal(t, []Name{{"a", 2}, {"b", 1}, {"b", 3}}, re.Names())
	assert.Equal(t, 3, re.NumCaptures())
}

func TestCompileIsCached(t *testing.T) {
	a, err := Compile(`cached\d+`, "i")
	require.NoError(t, err)
	b, err := Compile(`cached\d+`, "i")
	require.NoError(t, err)
	assert.Same(t, a, b)
}

func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				s := fmt.Sprintf("id=%d-%d", g, i)
				caps, err := Match(s, `id=(\d+)-(\d+)`, "jo", 0)
				if assert.NoError(t, err) && assert.Len(t, caps, 3) {
					assert.Equal(t, fmt.Sprint(i), caps[2].Text)
				}
			}
		}()
	}
	wg.Wait()
}

// Argument errors come from inside resty.core's regex.lua, whose bytecode carries no line
// information, so OpenResty raises them without a position.
func TestArgumentErrors(t *testing.T) {
	l := glua.NewState()
	glua.OpenLibraries(l)
	l.NewTable()
	Open(l)
	l.SetField(-2, "re")
	l.SetGlobal("ngx")
	for call, want := range map[string]string{
		`ngx.re.match('a', 'a', 'Q')`:      `unknown flag "Q" (flags "Q")`,
		`ngx.re.find('a', 1)`:              `attempt to get length of local 'regex' (a number value)`,
		`ngx.re.gmatch('a', nil)`:          `attempt to get length of local 'regex' (a nil value)`,
		`ngx.re.sub('a', 'a', 'b', 1)`:     `attempt to get length of local 'opts' (a number value)`,
		`ngx.re.gsub('a', 'a', 'b', true)`: `attempt to get length of local 'opts' (a boolean value)`,
		`ngx.re.match('a', 'a', {'i'})`:    `bad argument #1 to 'byte' (string expected, got table)`,
	} {
		require.NoError(t, glua.LoadString(l, "\nlocal m = "+call+"\nreturn m"), call)
		err := l.ProtectedCall(0, 0, 0)
		if assert.Error(t, err, call) {
			assert.Equal(t, "runtime error: "+want, err.Error(), call)
		}
	}
	for _, call := range []string{`ngx.re.match('a', 'a', false)`, `ngx.re.match('a', 'a', {})`} {
		require.NoError(t, glua.LoadString(l, "return "+call), call)
		require.NoError(t, l.ProtectedCall(0, 1, 0), call)
		assert.True(t, l.IsTable(-1), call)
		l.Pop(1)
	}
}
