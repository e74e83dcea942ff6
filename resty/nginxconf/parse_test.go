package nginxconf

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseString(t *testing.T, src string) ([]*Directive, error) {
	t.Helper()
	return Parse(strings.NewReader(src), "t.conf")
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // name and arguments of the only directive
	}{
		{"plain", "a b c;", []string{"a", "b", "c"}},
		{"spaces and tabs", "a\t b \r\n c ;", []string{"a", "b", "c"}},
		{"double quotes", `a "b c";`, []string{"a", "b c"}},
		{"single quotes", `a 'b c';`, []string{"a", "b c"}},
		{"escaped double quote", `a "b\"c";`, []string{"a", `b"c`}},
		{"escaped single quote", `a 'b\'c';`, []string{"a", "b'c"}},
		{"escaped backslash", `a "b\\c";`, []string{"a", `b\c`}},
		{"control escapes", `a "\t\r\n";`, []string{"a", "\t\r\n"}},
		{"other escape kept", `a "\d\.";`, []string{"a", `\d\.`}},
		{"escapes outside quotes", `a \t\"x;`, []string{"a", "\t\"x"}},
		{"escaped space outside quotes", `a b\ c;`, []string{"a", `b\ c`}},
		{"escaped semicolon outside quotes", `a b\;c;`, []string{"a", `b\;c`}},
		{"quote inside a word", `a b"c'd;`, []string{"a", `b"c'd`}},
		{"hash inside a word", "a b#c;", []string{"a", "b#c"}},
		{"close brace inside a word", "a b}c;", []string{"a", "b}c"}},
		{"empty quoted", `a "" '';`, []string{"a", "", ""}},
		{"quoted name", `"a b" c;`, []string{"a b", "c"}},
		{"quote then semicolon", `a "b";`, []string{"a", "b"}},
		{"variable", "a $b;", []string{"a", "$b"}},
		{"braced variable", "a ${b}c;", []string{"a", "${b}c"}},
		{"braced variable inside a word", "a x${b}c;", []string{"a", "x${b}c"}},
		{"paren after quote", `if ($a = "b") {}`, []string{"if", "($a", "=", "b", ")"}},
		{"newline in quotes", "a \"b\nc\";", []string{"a", "b\nc"}},
		{"comment between args", "a b # c;\n d;", []string{"a", "b", "d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := parseString(t, tt.src)
			require.NoError(t, err)
			require.Len(t, ds, 1)
			got := append([]string{ds[0].Name}, ds[0].Args...)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"word after quote", `a "b"c;`, `unexpected "c" in t.conf:1`},
		{"comment after quote", "a\n'b'#c;", `unexpected "#" in t.conf:2`},
		{"brace after quote", `a "b"};`, `unexpected "}" in t.conf:1`},
		{"stray close", "a;\n}", `unexpected "}" in t.conf:2`},
		{"close with args", "b {\n a }\n}", `unexpected "}" in t.conf:2`},
		{"lone semicolon", "\n;", `unexpected ";" in t.conf:2`},
		{"lone open brace", "{}", `unexpected "{" in t.conf:1`},
		{"eof in block", "a {\n b;\n", `unexpected end of file, expecting "}" in t.conf:3`},
		{"eof in directive", "a b", `unexpected end of file, expecting ";" or "}" in t.conf:1`},
		{"eof after name", "a\n\n", `unexpected end of file, expecting ";" or "}" in t.conf:3`},
		{"eof in quotes", `a "b`, `unexpected end of file, expecting ";" or "}" in t.conf:1`},
		{"eof after backslash", `a \`, `unexpected end of file, expecting ";" or "}" in t.conf:1`},
		{"location without block", "location /\n;", `directive "location" has no opening "{" in t.conf:2`},
		{"http without block", "http;", `directive "http" has no opening "{" in t.conf:1`},
		{"lua block without block", "content_by_lua_block;", `directive "content_by_lua_block" has no opening "{" in t.conf:1`},
		{"server outside upstream", "http { server; }", `directive "server" has no opening "{" in t.conf:1`},
		{"include with block", "include a {}", `directive "include" is not terminated by ";" in t.conf:1`},
		{"include without args", "include;", `invalid number of arguments in "include" directive in t.conf:1`},
		{"include with two args", "include a b;", `invalid number of arguments in "include" directive in t.conf:1`},
		{"too long word", "a " + strings.Repeat("x", 4096) + ";", `too long parameter "xxxxxxxxxx..." started in t.conf:1`},
		{"too long quoted", "a\n'" + strings.Repeat("x", 5000), `too long parameter, probably missing terminating "'" character in t.conf:2`},
		{"too deep", strings.Repeat("a {", maxDepth+1), `blocks nested deeper than 200 levels in t.conf:1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseString(t, tt.src)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			var perr *Error
			assert.True(t, errors.As(err, &perr), "error is an *Error")
		})
	}
}

func TestParseLongestWord(t *testing.T) {
	word := strings.Repeat("x", maxToken-1)
	ds, err := parseString(t, "a "+word+";")
	require.NoError(t, err)
	assert.Equal(t, word, ds[0].Args[0])
}

func TestParseUnexpectedByteIsRaw(t *testing.T) {
	_, err := parseString(t, "a \"b\"\xff;")
	require.Error(t, err)
	assert.Equal(t, "unexpected \"\xff\" in t.conf:1", err.Error())
}

func TestParseServerInsideUpstream(t *testing.T) {
	ds, err := parseString(t, "upstream u { server 127.0.0.1:80; }")
	require.NoError(t, err)
	require.Len(t, ds[0].Block, 1)
	assert.False(t, ds[0].Block[0].HasBlock)
}

func TestParsePositions(t *testing.T) {
	src := "a;\nb {\n  c\n  d;\n}\n\"e\" {}\n"
	ds, err := parseString(t, src)
	require.NoError(t, err)
	require.Len(t, ds, 3)
	assert.Equal(t, "t.conf:1", ds[0].Pos())
	assert.Equal(t, "t.conf:2", ds[1].Pos())
	assert.Equal(t, "t.conf:3", ds[1].Block[0].Pos(), "a directive is at its name's line")
	assert.Equal(t, "t.conf:6", ds[2].Pos())
}

func TestParseBlocks(t *testing.T) {
	ds, err := parseString(t, "a {} b { c; } d;")
	require.NoError(t, err)
	require.Len(t, ds, 3)
	assert.True(t, ds[0].HasBlock)
	assert.Empty(t, ds[0].Block)
	assert.Len(t, ds[1].Block, 1)
	assert.False(t, ds[2].HasBlock)
	assert.Nil(t, ds[2].Args)
}

func TestParseKeepsInclude(t *testing.T) {
	ds, err := parseString(t, "http { include conf.d/*.conf; }")
	require.NoError(t, err)
	inc := ds[0].Block[0]
	assert.Equal(t, "include", inc.Name)
	assert.Equal(t, []string{"conf.d/*.conf"}, inc.Args)
}

func TestParseReadError(t *testing.T) {
	_, err := Parse(iotest.ErrReader(errors.New("disk on fire")), "t.conf")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "t.conf")
	assert.Contains(t, err.Error(), "disk on fire")
}

func TestUnescape(t *testing.T) {
	tests := []struct{ raw, want string }{
		{`plain`, "plain"},
		{`\"\'\\`, `"'\`},
		{`\t\r\n`, "\t\r\n"},
		{`\x`, `\x`},
		{`a\`, `a\`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, unescape([]byte(tt.raw)), tt.raw)
	}
}
