package luacjson

import (
	"math"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStrtod(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		n    int
	}{
		{"12", 12, 2},
		{"-1.5e3,", -1500, 6},
		{"1e", 1, 1},
		{"1.", 1, 2},
		{"-.5", -0.5, 3},
		{"0x1F", 31, 4},
		{"0x6.ffp1", 13.9921875, 8},
		{"0x", 0, 1},
		{"Infinity", math.Inf(1), 8},
		{"-inF", math.Inf(-1), 4},
		{"1e999", math.Inf(1), 5},
		{"-", 0, 0},
		{"abc", 0, 0},
		{"+7", 7, 2},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			f, n := strtod(tc.in)
			assert.Equal(t, tc.n, n, "consumed length")
			assert.Equal(t, tc.want, f)
		})
	}
	f, n := strtod("nan(abc)x")
	assert.True(t, math.IsNaN(f))
	assert.Equal(t, 8, n)
}

func TestNullIsSharedPerState(t *testing.T) {
	l := glua.NewState()
	Open(l)
	OpenSafe(l)
	l.Field(-2, "null")
	l.Field(-2, "null")
	PushNull(l)
	require.True(t, IsNull(l, -1))
	assert.True(t, l.RawEqual(-1, -2), "PushNull is cjson.safe.null")
	assert.True(t, l.RawEqual(-1, -3), "PushNull is cjson.null")
	l.PushString("null")
	assert.False(t, IsNull(l, -1))
}

func TestErrorsLeaveStackClean(t *testing.T) {
	l := glua.NewState()
	c := defaultConfig()
	l.PushString("sentinel")
	require.Error(t, c.decode(l, `[1,2,{"a":[3,`))
	assert.Equal(t, 1, l.Top())
	l.NewTable()
	l.PushGoFunction(func(*glua.State) int { return 0 })
	l.SetField(-2, "f")
	_, err := c.encode(l)
	require.EqualError(t, err, "Cannot serialise function: type not supported")
	assert.Equal(t, 2, l.Top())
}
