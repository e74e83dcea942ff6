package lua

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLuajitEscapes(t *testing.T) {
	tests := []struct{ src, want string }{
		{`return "\u{48}i"`, `return "\x48i"`},
		{`return '\u{20AC}'`, `return '\xe2\x82\xac'`},
		{`return "\\u{41}"`, `return "\\u{41}"`},                         // an escaped backslash, then text
		{`return "\"\u{41}"`, `return "\"\x41"`},                         // an escaped quote does not end the string
		{`-- "\u{41}"` + "\n" + `x = 1`, `-- "\u{41}"` + "\n" + `x = 1`}, // comments are left alone
		{`--[[ "\u{41}" ]] x = [==[\u{41}]==]`, `--[[ "\u{41}" ]] x = [==[\u{41}]==]`},
		{`return "\u{D800}", "\u{110000}", "\u{}", "\u{12"`, `return "\u{D800}", "\u{110000}", "\u{}", "\u{12"`},
		{"return \"\\u{41}\",\n'\\u{42}'", "return \"\\x41\",\n'\\x42'"},
		{`return "no escapes"`, `return "no escapes"`},
	}
	for _, tt := range tests {
		got := luajitEscapes(tt.src)
		assert.Equal(t, tt.want, got, tt.src)
		assert.Equal(t, strings.Count(tt.src, "\n"), strings.Count(got, "\n"), "lines are kept: %s", tt.src)
	}
}
