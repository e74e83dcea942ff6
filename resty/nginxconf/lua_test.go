package nginxconf

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLuaBlockSource(t *testing.T) {
	tests := []struct {
		name string
		body string // what goes between the braces
	}{
		{"empty", ""},
		{"nested tables", ` local t = { a = { b = { } }, { } } `},
		{"brace in double quotes", ` s = "}" `},
		{"brace in single quotes", ` s = '}' `},
		{"escaped quote", ` s = "\"}" .. '\'{' `},
		{"escaped backslash before quote", ` s = "\\" t = { } `},
		{"long string", " s = [[ } ]] "},
		{"long string with level", " s = [==[ ]] } ]=] ]==] "},
		{"long string over lines", " s = [[\n}\n{\n]] "},
		{"line comment", " -- } {\n "},
		{"line comment at end", " x = 1 -- }\n"},
		{"long comment", " --[[ } \n { ]] "},
		{"long comment with level", " --[=[ ]] } ]=] "},
		{"not a long comment", " -- [[ }\n "},
		{"index with long string", " t[ [[k]] ] = 1 "},
		{"bracket that is not long", " t[1] = t[ 2 ] "},
		{"quote with no close on its line", " s = \"abc\n x = 1 "},
		{"unclosed quote is plain", " s = 'a \n"},
		{"backslash newline ends string", " s = \"a\\\n x = 1 "},
		{"carriage return inside string", " s = \"a\r}\" "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "content_by_lua_block {" + tt.body + "}\nnext;"
			ds, err := parseString(t, src)
			require.NoError(t, err)
			require.Len(t, ds, 2, "the block ends at the right brace")
			require.NotNil(t, ds[0].Lua)
			assert.Equal(t, tt.body, ds[0].Lua.Source)
			assert.Equal(t, "next", ds[1].Name)
		})
	}
}

func TestLuaBlockQuoteWithoutCloseEndsEarly(t *testing.T) {
	// lua-nginx-module ignores a quote that does not close on its line, so
	// the brace after it closes the block (nginx accepts this file).
	ds, err := parseString(t, "init_by_lua_block { s = \"a }\n")
	require.NoError(t, err)
	assert.Equal(t, ` s = "a `, ds[0].Lua.Source)
}

func TestLuaBlockLines(t *testing.T) {
	src := "http {\n  init_by_lua_block\n\n  {  print(1)\n    print(2) }\n  x;\n}\n"
	ds, err := parseString(t, src)
	require.NoError(t, err)
	lua := ds[0].Block[0]
	assert.Equal(t, 2, lua.Line, "the directive is at its name")
	assert.Equal(t, 4, lua.Lua.Line, "the source starts on the line of {")
	assert.Equal(t, 5, lua.Lua.ConfigLine(2))
	assert.Equal(t, 6, ds[0].Block[1].Line, "lines go on after the block")
}

func TestLuaBlockArgs(t *testing.T) {
	ds, err := parseString(t, "set_by_lua_block $sum { return 1 + 2 }")
	require.NoError(t, err)
	assert.Equal(t, []string{"$sum"}, ds[0].Args)
	assert.True(t, ds[0].HasBlock)
	assert.Nil(t, ds[0].Block)
	assert.Equal(t, " return 1 + 2 ", ds[0].Lua.Source)
}

func TestLuaStringFormsAreOrdinary(t *testing.T) {
	ds, err := parseString(t, `content_by_lua 'ngx.say("{")'; access_by_lua_file a.lua;`)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	assert.Nil(t, ds[0].Lua)
	assert.Equal(t, []string{`ngx.say("{")`}, ds[0].Args)
	assert.Nil(t, ds[1].Lua)
}

func TestLuaBlockErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"eof", "init_by_lua_block {\n x = 1\n",
			"unexpected end of file, expecting terminating characters for lua code block in t.conf:1"},
		{"eof reported at last open brace", "init_by_lua_block {\n t = {\n }\n u = {\n",
			"unexpected end of file, expecting terminating characters for lua code block in t.conf:4"},
		{"unclosed long string", "init_by_lua_block {\n\n s = [==[ ]=] }\n}",
			`Lua code block missing the closing long bracket "]==]", the inlined Lua code may be too long in t.conf:3`},
		{"unclosed long comment", "init_by_lua_block { --[[ }",
			`Lua code block missing the closing long bracket "]]", the inlined Lua code may be too long in t.conf:1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseString(t, tt.src)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestLuaManyUnclosedQuotesIsLinear(t *testing.T) {
	// Each quote's scan would run to the line's end; the scanner remembers
	// that and stays linear.
	body := strings.Repeat(`\"`, 200000)
	ds, err := parseString(t, "init_by_lua_block {"+body+"}")
	require.NoError(t, err)
	assert.Equal(t, body, ds[0].Lua.Source)
}

func TestLongBracket(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"[[", 2}, {"[=[", 3}, {"[==[x", 4}, {"[", 0}, {"[=", 0}, {"[=x[", 0}, {"x[[", 0}, {"", 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, longBracket([]byte(tt.in)), tt.in)
	}
}

// TestGoldenLuaCompiles checks that every Lua block of the golden cases is
// valid Lua for LuaJIT, which it is only if the block was cut at the right
// brace. Files marked "# luajit: skip" hold invalid Lua on purpose.
func TestGoldenLuaCompiles(t *testing.T) {
	luajit, err := exec.LookPath("luajit")
	if err != nil {
		t.Skip("luajit not found: apt-get install luajit2 (not Debian's luajit, which removes nginx's lua module)")
	}
	for _, conf := range goldenCases(t) {
		data, err := os.ReadFile(conf)
		require.NoError(t, err)
		if strings.Contains(string(data), "# luajit: skip") {
			continue
		}
		ds, err := ParseFile(conf)
		if err != nil {
			continue
		}
		Walk(ds, func(d *Directive, _ []*Directive) bool {
			if d.Lua == nil {
				return true
			}
			cmd := exec.Command(luajit, "-e", "assert(loadstring(io.read('*a')))")
			cmd.Stdin = strings.NewReader(d.Lua.Source)
			out, err := cmd.CombinedOutput()
			assert.NoError(t, err, "%s %s: %s", d.Pos(), d.Name, out)
			return true
		})
	}
}
