package stdlib

import (
	"strconv"
	"strings"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/require"
)

const benchItems = 5000

// BenchmarkConcat compares table.concat of 5,000 strings (this package's, and go-lua's quadratic one)
// with strings.Builder doing the same.
func BenchmarkConcat(b *testing.B) {
	items := make([]string, benchItems)
	for i := range items {
		items[i] = "item" + strconv.Itoa(i)
	}
	b.Run("stdlib", func(b *testing.B) {
		benchLuaConcat(b, newState(b, Options{}, nil))
	})
	b.Run("go-lua", func(b *testing.B) {
		l := glua.NewState()
		glua.OpenLibraries(l)
		benchLuaConcat(b, l)
	})
	b.Run("strings.Builder", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var sb strings.Builder
			for i, s := range items {
				if i > 0 {
					sb.WriteString(",")
				}
				sb.WriteString(s)
			}
			_ = sb.String()
		}
	})
}

// benchLuaConcat measures table.concat(t, ",") of 5,000 strings "item0".."item4999" on l.
func benchLuaConcat(b *testing.B, l *glua.State) {
	require.NoError(b, doString(l, `
		t = {}
		for i = 1, 5000 do t[i] = "item" .. (i - 1) end
		function f() return table.concat(t, ",") end`))
	b.ReportAllocs()
	for b.Loop() {
		l.Global("f")
		l.Call(0, 1)
		l.Pop(1)
	}
}
