package stdlib

import "math"

// glibc's exp, log and pow (which lua5.2 calls) round correctly in all but very rare cases, and
// Go's are off by one unit in the last place for about a third of the arguments: Go's
// math.Pow(10, 23) is not 1e23, math.Log10(1000) is not 3. These versions compute in
// double-double arithmetic (about 106 bits) and round once, so they agree with glibc except when
// the exact result lies near half-way between two doubles: glibc's pow is not always rounded to
// nearest there (its error bound is about 0.52 ulp): 0x1.0153ffffffffp-5 cubed is
// 0x1.04014d07bb3cfp-15 from glibc and 0x1.04014d07bb3dp-15, correctly rounded, here.

// dd is the unevaluated sum hi + lo, with |lo| at most half a unit in the last place of hi.
type dd struct{ hi, lo float64 }

// twoSum returns a + b exactly.
func twoSum(a, b float64) dd {
	s := a + b
	v := s - a
	return dd{s, (a - (s - v)) + (b - v)}
}

// quickTwoSum returns a + b exactly when |a| >= |b|.
func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

// twoProd returns a * b exactly.
func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func (x dd) add(y dd) dd {
	s, t := twoSum(x.hi, y.hi), twoSum(x.lo, y.lo)
	s = quickTwoSum(s.hi, s.lo+t.hi)
	return quickTwoSum(s.hi, s.lo+t.lo)
}

func (x dd) mul(y dd) dd {
	p := twoProd(x.hi, y.hi)
	return quickTwoSum(p.hi, p.lo+(x.hi*y.lo+x.lo*y.hi))
}

func (x dd) mulFloat(f float64) dd {
	p := twoProd(x.hi, f)
	return quickTwoSum(p.hi, p.lo+x.lo*f)
}

func (x dd) div(y dd) dd {
	q1 := x.hi / y.hi
	r := x.add(y.mulFloat(-q1))
	q2 := r.hi / y.hi
	r = r.add(y.mulFloat(-q2))
	return quickTwoSum(q1, q2).add(dd{r.hi / y.hi, 0})
}

var (
	// ln2 is log(2) to 106 bits.
	ln2 = dd{0x1.62e42fefa39efp-01, 0x1.abc9e3b39803fp-56}
	// atanhTerms[i] is 1/(2i+1): log(m) = 2s·Σ s^2i/(2i+1) with s = (m-1)/(m+1), |s| < 0.172,
	// whose terms fall below 2^-106 after 22.
	atanhTerms = ddReciprocals(22, func(i int) float64 { return float64(2*i + 1) })
	// expTerms[i] is 1/i!: exp(r) for |r| < 0.35/1024 needs 10 terms.
	expTerms = ddReciprocals(10, func(i int) float64 { return math.Gamma(float64(i + 1)) })
)

// ddReciprocals returns 1/d(i) for i < n; each d(i) must be an exact integer.
func ddReciprocals(n int, d func(int) float64) []dd {
	r := make([]dd, n)
	for i := range r {
		r[i] = dd{1, 0}.div(dd{d(i), 0})
	}
	return r
}

// ddLog returns the natural logarithm of a finite x > 0.
func ddLog(x float64) dd {
	m, k := math.Frexp(x)
	if m < math.Sqrt2/2 {
		m, k = m*2, k-1
	}
	s := dd{m - 1, 0}.div(twoSum(m, 1)) // m-1 is exact for m in [0.5, 2]
	s2 := s.mul(s)
	sum := atanhTerms[len(atanhTerms)-1]
	for i := len(atanhTerms) - 2; i >= 0; i-- {
		sum = sum.mul(s2).add(atanhTerms[i])
	}
	return ln2.mulFloat(float64(k)).add(s.mul(sum).mulFloat(2))
}

// ddExp returns v and k with exp(t) = v·2^k, for |t| < 746.
func ddExp(t dd) (v dd, k int) {
	n := math.Round(t.hi / ln2.hi)
	r := t.add(ln2.mulFloat(-n))
	r = dd{r.hi / 1024, r.lo / 1024}
	v = expTerms[len(expTerms)-1]
	for i := len(expTerms) - 2; i >= 0; i-- {
		v = v.mul(r).add(expTerms[i])
	}
	for range 10 { // exp(r·1024) = exp(r)^1024
		v = v.mul(v)
	}
	return v, int(n)
}

// cExp is glibc's exp.
func cExp(x float64) float64 {
	switch {
	case x != x:
		return quiet(x)
	case x > 710:
		return math.Inf(1)
	case x < -746:
		return 0
	}
	v, k := ddExp(dd{x, 0})
	return math.Ldexp(v.hi, k)
}

// cLog is glibc's log.
func cLog(x float64) float64 {
	switch {
	case x != x:
		return quiet(x)
	case x < 0:
		return defaultNaN
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	return ddLog(x).hi
}

// glibc computes log10(x), x = f·2^e, as e·log10(2) + log(f)/ln(10) with these constants; doing
// the same with a correctly rounded log gives its results, such as log10(1000) == 3.
var (
	invLn10    = math.Float64frombits(0x3fdbcb7b1526e50e)
	log10of2Hi = math.Float64frombits(0x3fd34413509f6000)
	log10of2Lo = math.Float64frombits(0x3d59fef311f12b36)
)

// cLog10 is glibc's log10.
func cLog10(x float64) float64 {
	switch {
	case x != x:
		return quiet(x)
	case x < 0:
		return positiveNaN // glibc's wrapper returns a NaN of its own here
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	}
	m, k := math.Frexp(x)
	e := float64(k - 1) // x = 2m·2^(k-1), 2m in [1, 2)
	if k-1 < 0 {
		e++ // glibc keeps the fraction in [0.5, 1) for negative exponents
	} else {
		m *= 2
	}
	// The conversions keep Go from fusing the products into FMAs, which glibc does not use.
	z := float64(e*log10of2Lo) + float64(invLn10*cLog(m))
	return z + float64(e*log10of2Hi)
}

// cPow is glibc's pow.
func cPow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case y != y:
		if x != x {
			return quiet(x)
		}
		return quiet(y)
	case x != x:
		r := quiet(x)
		if math.Signbit(x) && isOddInteger(y) && !math.IsInf(y, 0) {
			r = -r // glibc negates x·x for a negative base and an odd exponent, even a NaN
		}
		return r
	case x == 0 || math.IsInf(x, 0) || math.IsInf(y, 0):
		return math.Pow(x, y) // exact special values, the same as C99's
	}
	neg := false
	if x < 0 {
		if y != math.Trunc(y) {
			return defaultNaN
		}
		x, neg = -x, isOddInteger(y)
	}
	r := powPositive(x, y)
	if neg {
		r = -r
	}
	return r
}

// powPositive returns x^y for finite x > 0 and finite y != 0.
func powPositive(x, y float64) float64 {
	if y == math.Trunc(y) && math.Abs(y) <= 1024 && math.Abs(y*math.Log2(x)) < 1000 {
		return powInteger(x, int(y))
	}
	t := ddLog(x).mulFloat(y)
	switch {
	case t.hi > 710:
		return math.Inf(1)
	case t.hi < -746:
		return 0
	}
	v, k := ddExp(t)
	return math.Ldexp(v.hi, k)
}

// powInteger returns x^n by squaring in double-double: exact while the result fits in 106 bits
// (integer powers of small integers), and otherwise rounded once. The caller keeps |x^n| within
// 2^±1000, and so every square too.
func powInteger(x float64, n int) float64 {
	neg := n < 0
	if neg {
		n = -n
	}
	r, sq := dd{1, 0}, dd{x, 0}
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			r = r.mul(sq)
		}
		if n > 1 {
			sq = sq.mul(sq)
		}
	}
	if neg {
		r = dd{1, 0}.div(r)
	}
	return r.hi
}

// isOddInteger reports whether y is an odd integer.
func isOddInteger(y float64) bool {
	return y == math.Trunc(y) && math.Mod(y, 2) != 0
}
