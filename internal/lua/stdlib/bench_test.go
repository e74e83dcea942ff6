package stdlib

import (
	"fmt"
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

// BenchmarkPairs measures a whole pairs loop over n string keys, with this package's next and
// with go-lua's (quadratic: 20,000 keys take about a minute, so it only runs with 2,000); ns/key
// is the cost of one step.
func BenchmarkPairs(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(fmt.Sprintf("stdlib/%d", n), func(b *testing.B) {
			benchPairs(b, newState(b, Options{}, nil), n)
		})
	}
	b.Run("go-lua/2000", func(b *testing.B) {
		l := glua.NewState()
		glua.OpenLibraries(l)
		benchPairs(b, l, 2000)
	})
}

// benchPairs measures `for k, v in pairs(t) do s = s + v end` over n string keys on l.
func benchPairs(b *testing.B, l *glua.State, n int) {
	l.PushInteger(n)
	l.SetGlobal("N")
	require.NoError(b, doString(l, `
		t = {}
		for i = 1, N do t["k" .. i] = i end
		function f() local s = 0 for k, v in pairs(t) do s = s + v end return s end`))
	b.ReportAllocs()
	for b.Loop() {
		l.Global("f")
		l.Call(0, 1)
		l.Pop(1)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
}

// BenchmarkNext measures next(t, k) called from Lua, stepping through a table of 20,000 string
// keys (1,000 calls per op; ns/next is the cost of one, with the Lua loop around it).
func BenchmarkNext(b *testing.B) {
	l := newState(b, Options{}, nil)
	require.NoError(b, doString(l, `
		t = {}
		for i = 1, 20000 do t["k" .. i] = i end
		local next, k = next, nil
		function step() for i = 1, 1000 do k = next(t, k) end end`))
	b.ReportAllocs()
	for b.Loop() {
		l.Global("step")
		l.Call(0, 0)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/next")
}
