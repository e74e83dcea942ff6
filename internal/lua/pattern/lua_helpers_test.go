package pattern

import (
	"fmt"
	"strings"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/require"
)

// newState returns a go-lua state with the standard library, this package's
// functions and a print that writes to the returned buffer, as lua5.2's
// print would write to stdout.
func newState(tb testing.TB, o Options) (*glua.State, *strings.Builder) {
	tb.Helper()
	l := glua.NewState()
	glua.OpenLibraries(l)
	OpenWith(l, o)
	out := &strings.Builder{}
	l.Register("print", func(l *glua.State) int {
		for i := 1; i <= l.Top(); i++ {
			if i > 1 {
				out.WriteByte('\t')
			}
			s, _ := glua.ToStringMeta(l, i)
			l.Pop(1)
			out.WriteString(s)
		}
		out.WriteByte('\n')
		return 0
	})
	return l, out
}

// driver runs the chunk in global SRC as lua5.2's driver does, printing
// an error instead of raising it.
const driver = `local f, err = load(SRC, "=input")
if not f then print("COMPILE", err) else
  local ok, e = pcall(f)
  if not ok then print("ERROR", e) end
end`

// runGo runs src under go-lua and returns what it printed.
func runGo(tb testing.TB, o Options, src string) string {
	tb.Helper()
	l, out := newState(tb, o)
	l.PushString(src)
	l.SetGlobal("SRC")
	require.NoError(tb, glua.DoString(l, driver))
	return out.String()
}

// luaQuote quotes s as a Lua 5.2 string literal.
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= ' ' && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03d", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
