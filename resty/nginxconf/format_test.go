package nginxconf

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"/a/b.conf", "/a/b.conf"},
		{"$host", "$host"},
		{"${host}x", "${host}x"},
		{"$${{a", "$${{a"},
		{"a}b", "a}b"},
		{"a#b", "a#b"},
		{"", `""`},
		{"a b", `"a b"`},
		{"a;b", `"a;b"`},
		{"a{b", `"a{b"`},
		{"$a{", `"$a{"`},
		{"{", `"{"`},
		{"}", `"}"`},
		{"#a", `"#a"`},
		{`a"b`, `a"b`},
		{`a'b`, `a'b`},
		{`"a`, `"\"a"`},
		{`'a`, `"'a"`},
		{`a\b`, `a\b`},
		{`\d+\.\w`, `\d+\.\w`},
		{`a\ b`, `a\ b`},
		{`a\;b`, `a\;b`},
		{`a\{b`, `a\{b`},
		{`\$x{`, `"\$x{"`},
		{`a\`, `"a\\"`},
		{`a\n`, `"a\\n"`},
		{`a\"`, `"a\\\""`},
		{"a\\\t", `"a\\\t"`},
		{`a\\b`, `"a\\\b"`},
		{"a b\\", `"a b\\"`},
		{"\t\r\n", `"\t\r\n"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Quote(tt.in)
			assert.Equal(t, tt.want, got)
			ds, err := parseString(t, "x "+got+";")
			require.NoError(t, err)
			assert.Equal(t, []string{tt.in}, ds[0].Args, "reads back as the input")
		})
	}
}

func TestFormat(t *testing.T) {
	src := `# comment
worker_processes 2 ;
http {
  server { listen 80; location / { return 200 "a b"; } }
  map $a $b {}
  init_by_lua_block {
    local t = { "}" }
  }
}
`
	want := `worker_processes 2;
http {
    server {
        listen 80;
        location / {
            return 200 "a b";
        }
    }
    map $a $b {}
    init_by_lua_block {
    local t = { "}" }
  }
}
`
	ds, err := parseString(t, src)
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, Format(&b, ds))
	assert.Equal(t, want, b.String())
}

func TestDirectiveString(t *testing.T) {
	ds, err := parseString(t, "location /a { root 'x y'; }")
	require.NoError(t, err)
	assert.Equal(t, "location /a {\n    root \"x y\";\n}\n", ds[0].String())
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("write failed") }

func TestFormatWriteError(t *testing.T) {
	ds := []*Directive{{Name: "a"}}
	assert.EqualError(t, Format(failWriter{}, ds), "write failed")
}
