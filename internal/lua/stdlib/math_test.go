package stdlib

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMath(t *testing.T) { runCases(t, Options{}, mathCases) }

// mathCases hold the values lua5.2 prints on Debian (glibc 2.36, x86-64). nan is 0/0, which prints
// "-nan" there; -nan prints "nan".
var mathCases = []luaCase{
	{"huge is inf", `print(math.huge, -math.huge, math.huge == 1/0, math.huge > 1e308)`, "inf\t-inf\ttrue\ttrue", ""},
	{"pi", `print(math.pi, math.pi == 3.141592653589793)`, "3.1415926535898\ttrue", ""},
	{"floor and ceil", `print(math.floor(1/0), math.floor(-0.0), math.floor(2^60 + 0.5), math.ceil(-0.5), math.floor("3.7"))`,
		"inf\t-0\t1.1529215046068e+18\t-0\t3", ""},
	{"NaN arguments come back", `local nan = 0/0 print(math.floor(nan), math.floor(-nan), math.sin(-nan), math.exp(nan), math.deg(nan))`,
		"-nan\tnan\tnan\t-nan\t-nan", ""},
	{"invalid operations give -nan", `print(math.sqrt(-1), math.sin(1/0), math.fmod(1, 0), math.fmod(1/0, 1), math.log(-1), math.pow(-8, 1/3))`,
		"-nan\t-nan\t-nan\t-nan\t-nan\t-nan", ""},
	{"glibc's positive NaNs", `print(math.asin(2), math.acos(-2), math.log10(-1), math.log(-1, 10))`, "nan\tnan\tnan\tnan", ""},
	{"abs", `print(math.abs(-0.0), math.abs(0/0), math.abs(-2^63), math.abs(" -2 "))`, "0\tnan\t9.2233720368548e+18\t2", ""},
	{"fmod", `print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(-6, 3), math.fmod(1, 1/0), math.fmod(5.5, 2))`,
		"1\t-1\t1\t-0\t1\t1.5", ""},
	{"fmod two NaNs gives the first", `local n, p = 0/0, -(0/0) print(math.fmod(p, n), math.fmod(n, p))`, "nan\t-nan", ""},
	{"atan2 two NaNs gives the second", `local n, p = 0/0, -(0/0) print(math.atan2(p, n), math.atan2(n, p))`, "-nan\tnan", ""},
	{"modf of infinities", `print(math.modf(1/0)) print(math.modf(-1/0)) print(math.modf(0/0))`, "inf\t0\n-inf\t-0\n-nan\t-nan", ""},
	{"modf", `print(math.modf(-3.7)) print(math.modf(-0.5)) print(math.modf(5))`, "-3\t-0.7\n-0\t-0.5\n5\t0", ""},
	{"frexp", `print(math.frexp(8)) print(math.frexp(-0.0)) print(math.frexp(1/0)) print(math.frexp(1e-310))`,
		"0.5\t4\n-0\t0\ninf\t0\n0.57526180315594\t-1029", ""},
	{"ldexp takes a C int", `print(math.ldexp(0.5, 4.9), math.ldexp(1, -4.9), math.ldexp(1, 2^40), math.ldexp(1, 2^31), math.ldexp(1, 0/0), math.ldexp(1, 1024))`,
		"8\t0.0625\t1\t0\t1\tinf", ""},
	{"log with a base", `print(math.log(8, 2), math.log(100, 10), math.log(27, 3), math.log(2, 0), math.log(2, 1), math.log(1, 1), math.log(0, 10))`,
		"3\t2\t3\t-0\tinf\t-nan\t-inf", ""},
	{"log10", `print(math.log10(1000), math.log10(1000) == 3, math.log10(1e-300), math.log10(0), math.log10(1/0), math.floor(math.log10(1e15)))`,
		"3\ttrue\t-300\t-inf\tinf\t15", ""},
	{"exp and log", `print(math.exp(0), math.exp(1), math.exp(710), math.exp(-745.2), math.log(0), math.log(4.9e-324), math.exp(1) == 2.718281828459045)`,
		"1\t2.718281828459\tinf\t0\t-inf\t-744.44007192138\ttrue", ""},
	{"pow", `print(math.pow(2, 10), math.pow(0, -1), math.pow(-0.0, -1), math.pow(-1, 1/0), math.pow(0/0, 0), math.pow(1, 0/0), math.pow(-1/0, 3), math.pow(10, -5))`,
		"1024\tinf\t-inf\t1\t1\t1\t-inf\t1e-05", ""},
	{"pow of a NaN", `local n, p = 0/0, -(0/0) print(math.pow(n, 1), math.pow(n, 2), math.pow(2, n), math.pow(n, p), math.pow(p, n), math.pow(n, 1/0))`,
		"nan\t-nan\t-nan\t-nan\tnan\t-nan", ""},
	{"pow is exact on integers", `print(math.pow(10, 15) == 1e15, math.pow(10, 22) == 1e22, math.pow(3, 30) == 205891132094649, math.pow(7, -2) == 1/49)`,
		"true\ttrue\ttrue\ttrue", ""},
	{"max and min fold as LuaJIT's maxsd and minsd", `local nan = 0/0 print(math.max(nan, 1), math.max(1, nan), math.min(nan, 1), math.max(-0.0, 0), math.max(0, -0.0), math.min(-0.0, 0), math.max("10", 9))`,
		"1\t-nan\t1\t0\t-0\t0\t10", ""},
	{"max needs a number", `math.max()`, "", "bad argument #1 to '?' (number expected, got no value)"},
	{"min checks every argument", `math.min(1, 2, "x")`, "", "bad argument #3 to '?' (number expected, got string)"},
	{"fmod needs two", `math.fmod(1)`, "", "bad argument #2 to '?' (number expected, got no value)"},
	{"log base must be a number", `math.log(1, "b")`, "", "bad argument #2 to '?' (number expected, got string)"},
	{"deg and rad", `print(math.deg(math.pi), math.rad(180) == math.pi, math.rad(1), math.deg(-0.0))`, "180\ttrue\t0.017453292519943\t-0", ""},
	{"trigonometry", `print(math.sin(0), math.cos(0), math.tan(-0.0), math.atan2(0, -0.0), math.atan2(-0.0, -0.0), math.atan(1/0), math.sinh(-0.0), math.tanh(-1/0))`,
		"0\t1\t-0\t3.1415926535898\t-3.1415926535898\t1.5707963267949\t-0\t-1", ""},
	{"no math.mod", `print(math.mod)`, "nil", ""},
}

func TestNaNSigns(t *testing.T) {
	pos := math.Float64frombits(0x7ff8000000000000)
	assert.True(t, math.Signbit(defaultNaN))
	assert.False(t, math.Signbit(positiveNaN))
	assert.True(t, math.Signbit(cNaN(math.NaN(), 1)), "an invalid operation gives the default NaN")
	assert.False(t, math.Signbit(cNaN(math.NaN(), 1, pos)), "a NaN argument comes back")
	assert.Equal(t, uint64(0x7ff8000000000001), math.Float64bits(quiet(math.Float64frombits(0x7ff0000000000001))))
	assert.Equal(t, 2.0, cNaN(2, math.NaN()))
}

// bigLog returns log(x), x > 0, to prec bits: k·log(2) + 2·atanh((m-1)/(m+1)).
func bigLog(x float64, prec uint) *big.Float {
	m, k := math.Frexp(x)
	ln2 := bigAtanh2(new(big.Float).SetPrec(prec).Quo(big.NewFloat(1), big.NewFloat(3)), prec)
	bm := new(big.Float).SetPrec(prec).SetFloat64(m)
	s := new(big.Float).SetPrec(prec).Sub(bm, big.NewFloat(1))
	s.Quo(s, new(big.Float).SetPrec(prec).Add(bm, big.NewFloat(1)))
	r := new(big.Float).SetPrec(prec).Mul(ln2, new(big.Float).SetInt64(int64(k)))
	return r.Add(r, bigAtanh2(s, prec))
}

// bigAtanh2 returns 2·atanh(s) = 2·Σ s^(2i+1)/(2i+1) for |s| < 1/2.
func bigAtanh2(s *big.Float, prec uint) *big.Float {
	sum := new(big.Float).SetPrec(prec)
	s2 := new(big.Float).SetPrec(prec).Mul(s, s)
	pow := new(big.Float).SetPrec(prec).Set(s)
	for i := int64(0); i < int64(prec); i++ {
		term := new(big.Float).SetPrec(prec).Quo(pow, new(big.Float).SetInt64(2*i+1))
		sum.Add(sum, term)
		pow.Mul(pow, s2)
	}
	return sum.Mul(sum, big.NewFloat(2))
}

// bigExp returns exp(t) to prec bits: (Σ (t/2^20)^i/i!)^(2^20).
func bigExp(t *big.Float, prec uint) *big.Float {
	r := new(big.Float).SetPrec(prec).SetMantExp(t, -20)
	sum, term := new(big.Float).SetPrec(prec).SetInt64(1), new(big.Float).SetPrec(prec).SetInt64(1)
	for i := int64(1); i < 40; i++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetInt64(i))
		sum.Add(sum, term)
	}
	for range 20 {
		sum.Mul(sum, sum)
	}
	return sum
}

// bigRound rounds f to the nearest float64.
func bigRound(f *big.Float) float64 {
	r, _ := f.Float64()
	return r
}

func TestExpLogPowRoundCorrectly(t *testing.T) {
	const prec = 300
	rng := rand.New(rand.NewPCG(1, 2))
	n := 300
	if testing.Short() {
		n = 50
	}
	for range n {
		x := math.Ldexp(rng.Float64()+0.5, rng.IntN(200)-100) // 2^-100 .. 2^100
		y := (rng.Float64() - 0.5) * 20
		e := (rng.Float64() - 0.5) * 1400
		lx := bigLog(x, prec)
		require.Equal(t, bigRound(lx), cLog(x), "log(%v)", x)
		require.Equal(t, bigRound(bigExp(big.NewFloat(e).SetPrec(prec), prec)), cExp(e), "exp(%v)", e)
		want := bigRound(bigExp(lx.Mul(lx, big.NewFloat(y)), prec))
		require.Equal(t, want, cPow(x, y), "pow(%v, %v)", x, y)
	}
}

func TestLn2(t *testing.T) {
	want := bigAtanh2(new(big.Float).SetPrec(300).Quo(big.NewFloat(1), big.NewFloat(3)), 300)
	got := new(big.Float).SetPrec(300).Add(big.NewFloat(ln2.hi), big.NewFloat(ln2.lo))
	diff, _ := new(big.Float).Sub(want, got).Float64()
	assert.Less(t, math.Abs(diff), 0x1p-106)
}

func TestPowOfIntegersIsCorrectlyRounded(t *testing.T) {
	for _, x := range []float64{3, 5, 7, 10, 11, 13, 1.1, 0.1, 2.5, 1.0001} {
		exact := new(big.Float).SetPrec(4000).SetInt64(1)
		for n := 1; n <= 200; n++ {
			exact.Mul(exact, new(big.Float).SetFloat64(x))
			want, _ := exact.Float64()
			require.Equal(t, want, cPow(x, float64(n)), "%v^%d", x, n)
			inv, _ := new(big.Float).SetPrec(4000).Quo(big.NewFloat(1), exact).Float64()
			require.Equal(t, inv, cPow(x, -float64(n)), "%v^-%d", x, n)
			if n%2 == 1 {
				want = -want
			}
			require.Equal(t, want, cPow(-x, float64(n)), "(-%v)^%d", x, n)
		}
	}
}
