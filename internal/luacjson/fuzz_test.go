package luacjson

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/require"
)

// canon renders the value at index with sorted keys, so that two equal values give equal strings
// whatever their tables' iteration order.
func canon(l *glua.State, index int, depth int) string {
	index = l.AbsIndex(index)
	switch l.TypeOf(index) {
	case glua.TypeTable:
		if depth > 1100 {
			return "<deep>"
		}
		var parts []string
		l.PushNil()
		for l.Next(index) {
			parts = append(parts, canon(l, -2, depth+1)+"="+canon(l, -1, depth+1))
			l.Pop(1)
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case glua.TypeNumber:
		f, _ := l.ToNumber(index)
		if math.IsNaN(f) {
			return "nan"
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case glua.TypeString:
		s, _ := l.ToString(index)
		return strconv.Quote(s)
	case glua.TypeUserData:
		if IsNull(l, index) {
			return "null"
		}
	}
	return l.TypeOf(index).String()
}

func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"a":[1,2,{"b":null}],"c":"x\u00e9\ud83d\ude00","d":true,"e":false,"f":-1.5e-3}`,
		`[]`, `{}`, `[[[[]]]]`, `"\\\"\/\b\f\n\r\t"`, `[1e308, -0, 0.1, 123456789012345678]`,
		`[NaN, Infinity, 0x10, +1]`, `{"a":1,"a":2}`, `[1,]`, `"\ud800"`, "[1]\x00x", "\x00[", `-`,
	} {
		f.Add(seed)
	}
	c := defaultConfig()
	l := glua.NewState()
	f.Fuzz(func(t *testing.T, s string) {
		l.SetTop(0)
		if c.decode(l, s) != nil {
			require.Equal(t, 0, l.Top(), "a failed decode must leave the stack as it was")
			return
		}
		e1, err := c.encode(l)
		if err != nil {
			return // NaN, Infinity and deep nesting may decode but not encode
		}
		require.NoError(t, c.decode(l, e1), "decoding our own output %q", e1)
		e2, err := c.encode(l)
		require.NoError(t, err)
		require.NoError(t, c.decode(l, e2))
		require.Equal(t, canon(l, -2, 0), canon(l, -1, 0), fmt.Sprintf("%q -> %q -> %q", s, e1, e2))
	})
}
