package nginxconf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fuzzSeeds are small inputs around each syntax feature; the golden test
// files are added too.
var fuzzSeeds = []string{
	"a;", "a b c;", "a {}", "a { b { c; } }", `a "b c" 'd e';`, `a "\"\'\\\t\r\n\d";`,
	`a b\ c\;d;`, `a "b"c;`, `a "b"#c;`, "# c\na;", `if ($a = "b") { return 1; }`,
	"a ${b}c$d;", "a $b{;", "}", "{", ";", "a", `a "b`, "a { b;",
	"content_by_lua_block { local t = { '}', \"{\" } }",
	"set_by_lua_block $x { return [==[ } ]==] }",
	"init_by_lua_block { --[[ } ]] -- }\n }",
	"init_by_lua_block { s = \"abc }\n",
	"init_by_lua_block { [=[ }", "content_by_lua_block;", "location /;",
	"upstream u { server a; }", "include a b;", "include a {}", "\xff\x00 \"\xfe\";",
}

// FuzzParse checks that Parse never panics, that its errors are *Error values,
// and that the canonical form of any configuration it accepts parses back to
// the same tree and formats to the same text.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	files, err := filepath.Glob("testdata/*.conf")
	require.NoError(f, err)
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(string(data))
	}
	f.Fuzz(func(t *testing.T, src string) {
		ds, err := Parse(strings.NewReader(src), "fuzz.conf")
		if err != nil {
			var perr *Error
			require.True(t, errors.As(err, &perr), "error %v is an *Error", err)
			return
		}
		var b strings.Builder
		require.NoError(t, Format(&b, ds))
		again, err := Parse(strings.NewReader(b.String()), "fuzz.conf")
		if err != nil && strings.HasPrefix(err.(*Error).Msg, "too long parameter") {
			// A value near nginx's 4095-byte limit may need a longer spelling.
			return
		}
		require.NoError(t, err, "canonical form:\n%s", b.String())
		require.Equal(t, shape(ds), shape(again), "canonical form:\n%s", b.String())
		var b2 strings.Builder
		require.NoError(t, Format(&b2, again))
		require.Equal(t, b.String(), b2.String())
	})
}
