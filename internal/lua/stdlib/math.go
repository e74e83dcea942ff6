package stdlib

import (
	"math"

	glua "github.com/Shopify/go-lua"
)

// Lua 5.2's math library calls glibc. Where a result is a NaN, its sign shows when printed
// ("-nan" or "nan"), and glibc on x86-64 follows the hardware: a NaN argument comes back
// unchanged (the first one, if several), and an invalid operation (sqrt(-1), fmod(1, 0),
// sin(inf)) gives the default NaN, whose sign bit is set. Go's functions return a NaN with the
// sign bit clear, so every function here maps NaN results with cNaN.

var (
	// defaultNaN is what x86-64 produces for an invalid operation; C prints it as "-nan".
	defaultNaN = math.Float64frombits(0xfff8000000000000)
	// positiveNaN is the NaN some glibc functions return as a constant; C prints it as "nan".
	positiveNaN = math.Float64frombits(0x7ff8000000000000)
)

// radiansPerDegree is 5.2's PI/180.0, rounded as C rounds it (pi to a double first).
const radiansPerDegree = float64(math.Pi) / 180

// quiet returns the NaN x with its quiet bit set, as the hardware returns a NaN argument.
func quiet(x float64) float64 { return math.Float64frombits(math.Float64bits(x) | 1<<51) }

// cNaN returns r, or if r is a NaN, the first NaN argument or else the default NaN.
func cNaN(r float64, args ...float64) float64 {
	if r == r {
		return r
	}
	for _, a := range args {
		if a != a {
			return quiet(a)
		}
	}
	return defaultNaN
}

// cUnary adapts a Go function of one argument to C's NaN results.
func cUnary(f func(float64) float64) func(float64) float64 {
	return func(x float64) float64 { return cNaN(f(x), x) }
}

// cDomain is asin or acos: glibc's wrapper returns a positive NaN outside [-1, 1].
func cDomain(f func(float64) float64) func(float64) float64 {
	return func(x float64) float64 {
		if x > 1 || x < -1 {
			return positiveNaN
		}
		return cNaN(f(x), x)
	}
}

var unaryMath = []struct {
	name string
	f    func(float64) float64
}{
	{"abs", math.Abs},
	{"acos", cDomain(math.Acos)},
	{"asin", cDomain(math.Asin)},
	{"atan", cUnary(math.Atan)},
	{"ceil", cUnary(math.Ceil)},
	{"cos", cUnary(math.Cos)},
	{"cosh", cUnary(math.Cosh)},
	{"deg", cUnary(func(x float64) float64 { return x / radiansPerDegree })},
	{"exp", cExp},
	{"floor", cUnary(math.Floor)},
	{"log10", cLog10},
	{"rad", cUnary(func(x float64) float64 { return x * radiansPerDegree })},
	{"sin", cUnary(math.Sin)},
	{"sinh", cUnary(math.Sinh)},
	{"sqrt", cUnary(math.Sqrt)},
	{"tan", cUnary(math.Tan)},
	{"tanh", cUnary(math.Tanh)},
}

func openMath(l *glua.State, lb *lib) {
	pushLib(l, "math")
	for _, u := range unaryMath {
		pushFunction(l, mathUnary(u.f))
		l.SetField(-2, u.name)
	}
	setFuncs(l, []fn{
		{"atan2", mathBinary(func(y, x float64) float64 { return cNaN(math.Atan2(y, x), x, y) })}, // glibc returns x + y
		{"fmod", mathBinary(func(x, y float64) float64 { return cNaN(math.Mod(x, y), x, y) })},
		{"pow", mathBinary(cPow)},
		{"log", mathLog},
		{"max", mathExtreme(func(m, d float64) bool { return m > d })},
		{"min", mathExtreme(func(m, d float64) bool { return m < d })},
		{"modf", mathModf},
		{"frexp", mathFrexp},
		{"ldexp", mathLdexp},
		{"random", lb.mathRandom},
		{"randomseed", lb.mathRandomseed},
	})
	l.PushNumber(math.Inf(1))
	l.SetField(-2, "huge")
	l.PushNumber(math.Pi)
	l.SetField(-2, "pi")
	l.Pop(1)
}

func mathUnary(f func(float64) float64) glua.Function {
	return func(l *glua.State) int {
		l.PushNumber(f(glua.CheckNumber(l, 1)))
		return 1
	}
}

func mathBinary(f func(float64, float64) float64) glua.Function {
	return func(l *glua.State) int {
		l.PushNumber(f(glua.CheckNumber(l, 1), glua.CheckNumber(l, 2)))
		return 1
	}
}

// mathLog is 5.2's math.log(x [, base]): log10 for base 10, else log(x)/log(base).
func mathLog(l *glua.State) int {
	x := glua.CheckNumber(l, 1)
	switch {
	case l.IsNoneOrNil(2):
		l.PushNumber(cLog(x))
	default:
		if base := glua.CheckNumber(l, 2); base == 10 {
			l.PushNumber(cLog10(x))
		} else {
			l.PushNumber(cLog(x) / cLog(base))
		}
	}
	return 1
}

// mathExtreme is LuaJIT's math.max or math.min, which folds its arguments with the x86 maxsd or
// minsd instruction: the result so far is replaced by each later argument unless it beats it
// (keeps), so a NaN or a signed zero comes out as LuaJIT gives it: math.max(0/0, 1) is 1 and
// math.max(1, 0/0) is nan (Lua 5.2 answers the other way round), math.max(0, -0) is -0.
func mathExtreme(keeps func(m, d float64) bool) glua.Function {
	return func(l *glua.State) int {
		m := glua.CheckNumber(l, 1)
		for i := 2; i <= l.Top(); i++ {
			if d := glua.CheckNumber(l, i); !keeps(m, d) {
				m = d
			}
		}
		l.PushNumber(m)
		return 1
	}
}

// mathModf is C's modf: an infinity has fraction ±0 (Go's Modf gives NaN).
func mathModf(l *glua.State) int {
	x := glua.CheckNumber(l, 1)
	i, f := math.Modf(x)
	switch {
	case math.IsInf(x, 0):
		i, f = x, math.Copysign(0, x)
	case x != x:
		i, f = quiet(x), quiet(x)
	}
	l.PushNumber(i)
	l.PushNumber(f)
	return 2
}

func mathFrexp(l *glua.State) int {
	x := glua.CheckNumber(l, 1)
	f, e := math.Frexp(x)
	l.PushNumber(cNaN(f, x))
	l.PushInteger(e)
	return 2
}

// mathLdexp is 5.2's math.ldexp(m, e), e converted as luaL_checkint does.
func mathLdexp(l *glua.State) int {
	x := glua.CheckNumber(l, 1)
	l.PushNumber(cNaN(math.Ldexp(x, checkInt(l, 2)), x))
	return 1
}
