package stdlib

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// spec is one parsed printf conversion: flags, width and precision (-1 when absent).
type spec struct {
	minus, plus, space, sharp, zero bool
	width, prec                     int
}

// pad appends body to b, padded to the spec's width: on the right for '-', with zeros between
// prefix (sign, "0x") and digits for '0' when zeroOK, with spaces on the left otherwise.
func (sp spec) pad(b []byte, prefix, body string, zeroOK bool) []byte {
	n := sp.width - len(prefix) - len(body)
	switch {
	case n <= 0:
		b = append(append(b, prefix...), body...)
	case sp.minus:
		b = append(append(b, prefix...), body...)
		b = append(b, strings.Repeat(" ", n)...)
	case sp.zero && zeroOK:
		b = append(b, prefix...)
		b = append(b, strings.Repeat("0", n)...)
		b = append(b, body...)
	default:
		b = append(b, strings.Repeat(" ", n)...)
		b = append(append(b, prefix...), body...)
	}
	return b
}

// appendSigned formats v as C's %lld / %lli.
func (sp spec) appendSigned(b []byte, v int64) []byte {
	prefix := ""
	switch {
	case v < 0:
		prefix = "-"
	case sp.plus:
		prefix = "+"
	case sp.space:
		prefix = " "
	}
	mag := uint64(v)
	if v < 0 {
		mag = -mag
	}
	return sp.pad(b, prefix, sp.digits(strconv.FormatUint(mag, 10), mag), sp.prec < 0)
}

// appendUnsigned formats v as C's %llu, %llo, %llx or %llX.
func (sp spec) appendUnsigned(b []byte, v uint64, verb byte) []byte {
	base, prefix := 10, ""
	switch verb {
	case 'o':
		base = 8
	case 'x', 'X':
		base = 16
		if sp.sharp && v != 0 {
			prefix = "0" + string(verb)
		}
	}
	s := sp.digits(strconv.FormatUint(v, base), v)
	if verb == 'o' && sp.sharp && (s == "" || s[0] != '0') {
		s = "0" + s
	}
	if verb == 'X' {
		s = strings.ToUpper(s)
	}
	return sp.pad(b, prefix, s, sp.prec < 0)
}

// digits applies the precision (minimum digit count; precision 0 prints nothing for 0).
func (sp spec) digits(s string, v uint64) string {
	if sp.prec == 0 && v == 0 {
		return ""
	}
	if sp.prec > len(s) {
		return strings.Repeat("0", sp.prec-len(s)) + s
	}
	return s
}

// appendFloat formats f as C's %e, %E, %f, %F, %g, %G, %a or %A (glibc, C locale).
func (sp spec) appendFloat(b []byte, f float64, verb byte) []byte {
	prefix := ""
	switch {
	case math.Signbit(f):
		prefix = "-"
	case sp.plus:
		prefix = "+"
	case sp.space:
		prefix = " "
	}
	upper := verb == 'E' || verb == 'F' || verb == 'G' || verb == 'A'
	var body string
	switch {
	case math.IsInf(f, 0):
		body = "inf"
	case f != f:
		body = "nan"
	default:
		body = sp.floatBody(math.Abs(f), verb|0x20)
		if upper {
			body = strings.ToUpper(body)
		}
		return sp.pad(b, prefix, body, true)
	}
	if upper {
		body = strings.ToUpper(body)
	}
	return sp.pad(b, prefix, body, false)
}

// floatBody formats a finite, non-negative f for a lower-case verb.
func (sp spec) floatBody(f float64, verb byte) string {
	prec := sp.prec
	if prec < 0 && verb != 'a' {
		prec = 6
	}
	if verb == 'a' {
		return hexFloat(f, sp.prec, sp.sharp)
	}
	format := func(verb byte, prec int) string { return strconv.FormatFloat(f, verb, prec, 64) }
	if up := tiesAway(f, verb, prec); up != nil {
		format = up.Text
	}
	if verb == 'g' {
		return sp.gBody(format, prec)
	}
	s := format(verb, prec)
	if sp.sharp && prec == 0 {
		s = addPoint(s)
	}
	return s
}

// gBody is C's %g: %e or %f depending on the exponent, trailing zeros removed unless '#'. format
// formats the number with a verb and precision, as strconv.FormatFloat does.
func (sp spec) gBody(format func(verb byte, prec int) string, prec int) string {
	if prec == 0 {
		prec = 1
	}
	if !sp.sharp {
		return format('g', prec)
	}
	e := format('e', prec-1)
	x, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if x < -4 || x >= prec {
		return addPoint(e)
	}
	return addPoint(format('f', prec-1-x))
}

// addPoint makes sure a formatted number has a decimal point (C's '#' flag).
func addPoint(s string) string {
	if strings.IndexByte(s, '.') >= 0 {
		return s
	}
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		return s[:i] + "." + s[i:]
	}
	return s + "."
}

// hexFloat is glibc's %a for a finite, non-negative f: "0x1.8p+1", subnormals as "0x0.…p-1022".
func hexFloat(f float64, prec int, sharp bool) string {
	bits := math.Float64bits(f)
	mant := bits & (1<<52 - 1)
	exp := int(bits>>52) - 1023
	lead := uint64(1)
	switch {
	case f == 0:
		lead, exp = 0, 0
	case bits>>52 == 0:
		lead, exp = 0, -1022
	}
	if prec >= 0 && prec < 13 {
		shift := uint(4 * (13 - prec))
		rem, half := mant&(1<<shift-1), uint64(1)<<(shift-1)
		mant >>= shift
		last := mant & 1 // the digit that rounds to even: the leading one when no digit is kept
		if prec == 0 {
			last = lead & 1
		}
		if rem > half || (rem == half && last == 1) {
			mant++
			if mant>>(4*uint(prec)) != 0 {
				mant &= 1<<(4*uint(prec)) - 1
				lead++
			}
		}
	}
	digits := ""
	switch {
	case prec < 0:
		digits = strings.TrimRight(strconv.FormatUint(mant|1<<52, 16)[1:], "0")
	case prec <= 13:
		if prec > 0 {
			s := strconv.FormatUint(mant, 16)
			digits = strings.Repeat("0", prec-len(s)) + s
		}
	default:
		digits = strconv.FormatUint(mant|1<<52, 16)[1:] + strings.Repeat("0", prec-13)
	}
	s := "0x" + strconv.FormatUint(lead, 16)
	if digits != "" || sharp {
		s += "." + digits
	}
	sign := "+"
	if exp < 0 {
		sign, exp = "-", -exp
	}
	return s + "p" + sign + strconv.Itoa(exp)
}

// appendString formats s as C's %s: the precision counts bytes, and the string ends at a NUL byte
// (as sprintf sees it).
func (sp spec) appendString(b []byte, s string) []byte {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	if sp.prec >= 0 && sp.prec < len(s) {
		s = s[:sp.prec]
	}
	return sp.pad(b, "", s, false)
}

// tiesAway returns nil, or, when f lies exactly halfway between two values that the conversion
// (verb 'e', 'f' or 'g' with precision prec) can print, f plus a sliver far below the last
// printed digit, as a big.Float whose Text formats as strconv.FormatFloat does. glibc rounds
// such a tie to even ("%.2f" of 0.125 is "0.12", "%.0f" of 2.5 is "2"); LuaJIT, which
// OpenResty code runs on, formats numbers itself and rounds ties away from zero ("0.13", "3"),
// and so does goresty. (Moving f to the next double instead, as an earlier version did, moved
// it past the next printable value when the precision reaches the double's own, at %.17g.)
// f is non-negative.
func tiesAway(f float64, verb byte, prec int) *big.Float {
	if f == 0 {
		return nil
	}
	scale := prec // decimal digits after the point that survive
	if verb != 'f' {
		digits := prec + 1 // significant digits
		if verb == 'g' {
			digits = max(prec, 1)
		}
		scale = digits - 1 - decimalExponent(f)
	}
	// Only a value whose scaled fraction is near one half can be a tie; decide exactly then.
	x := f * pow10(scale)
	if x < 1<<52 {
		if fr := x - math.Floor(x); math.Abs(fr-0.5) > 1e-6 {
			return nil
		}
	}
	if !exactTie(f, scale) {
		return nil
	}
	// f plus 10^-(scale+4): enough bits to hold f exactly and the sum apart from it.
	bits := uint(64 + 4*(abs(scale)+10))
	p := new(big.Float).SetPrec(bits).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(scale+4))), nil))
	sliver := new(big.Float).SetPrec(bits).SetInt64(1)
	if scale+4 > 0 {
		sliver.Quo(sliver, p)
	} else {
		sliver.Mul(sliver, p)
	}
	up := new(big.Float).SetPrec(bits).SetFloat64(f)
	return up.Add(up, sliver)
}

// decimalExponent returns the exponent of f (> 0) in scientific notation, as strconv prints it
// ('e', shortest): estimated from the binary exponent (f is in [2^(e-1), 2^e), so the estimate
// is at most one below), then compared with the double nearest to the next power of ten, which
// is the one double that prints as that power.
func decimalExponent(f float64) int {
	_, e := math.Frexp(f)
	x := int(math.Floor(float64(e-1) * log10of2))
	if f >= pow10(x+1) {
		x++
	}
	return x
}

const log10of2 = 0.30102999566398119521

// minPow10 and pow10s: pow10s[n-minPow10] is the double nearest to 10^n, for every n a finite
// non-zero double can reach, rounded correctly by strconv.
const minPow10 = -324

var pow10s = func() []float64 {
	t := make([]float64, 310-minPow10)
	for i := range t {
		t[i], _ = strconv.ParseFloat("1e"+strconv.Itoa(i+minPow10), 64)
	}
	return t
}()

// pow10 returns the double nearest to 10^n.
func pow10(n int) float64 {
	if i := n - minPow10; 0 <= i && i < len(pow10s) {
		return pow10s[i]
	}
	return math.Pow(10, float64(n))
}

// exactTie reports whether f × 10^scale is exactly an integer and a half.
func exactTie(f float64, scale int) bool {
	r := new(big.Rat).SetFloat64(f)
	p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(scale))), nil))
	if scale >= 0 {
		r.Mul(r, p)
	} else {
		r.Quo(r, p)
	}
	twice := new(big.Int).Lsh(r.Num(), 1)
	q, m := new(big.Int).QuoRem(twice, r.Denom(), new(big.Int))
	return m.Sign() == 0 && q.Bit(0) == 1
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
