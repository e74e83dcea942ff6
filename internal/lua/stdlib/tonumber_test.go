package stdlib

import (
	"math"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
)

// decimalNumber, tonumber's fast path, must agree with go-lua's own conversion on every
// numeral it accepts, and accept nothing go-lua refuses; except an overflow, which go-lua
// refuses and Lua 5.2 and LuaJIT read as inf, as the fast path does.
func TestDecimalNumberMatchesGoLua(t *testing.T) {
	l := glua.NewState()
	glua.OpenLibraries(l)
	goLua := func(s string) (float64, bool) {
		l.Global("tonumber")
		l.PushString(s)
		l.Call(1, 1)
		defer l.Pop(1)
		return l.ToNumber(-1)
	}
	for _, s := range []string{"0", "123", "-7", "+7", "1.5", ".5", "5.", "1e10", "1E-3", "-.5e+2",
		" 12 ", "\t3\n", "1e-400", "123456789012345678901234567890", "0.1",
		"", " ", ".", "-", "+", "e5", "1e", "1e+", "1..2", "--1", "+-1", "1-2", "1e5e5", "1 2",
		"0x10", "inf", "nan", "1_000", "١٢"} {
		got, ok := decimalNumber(s)
		want, wantOK := goLua(s)
		if ok {
			assert.True(t, wantOK, "%q: go-lua refuses what the fast path reads", s)
			assert.Equal(t, want, got, s)
		}
	}
	for s, want := range map[string]float64{"1e400": math.Inf(1), "-1e400": math.Inf(-1)} {
		got, ok := decimalNumber(s)
		assert.True(t, ok, s)
		assert.Equal(t, want, got, s)
	}
}

func TestLuaJITNumberForms(t *testing.T) {
	for s, want := range map[string]float64{"inf": math.Inf(1), " -Infinity ": math.Inf(-1),
		"+INF": math.Inf(1), "0b101": 5, "-0B11": -3} {
		got, ok := luajitNumber(s)
		assert.True(t, ok, s)
		assert.Equal(t, want, got, s)
	}
	nan, ok := luajitNumber("NaN")
	assert.True(t, ok && math.IsNaN(nan))
	for _, s := range []string{"in", "infx", "0b", "0b2", "0b1.1", "nanx", ""} {
		_, ok := luajitNumber(s)
		assert.False(t, ok, s)
	}
}
