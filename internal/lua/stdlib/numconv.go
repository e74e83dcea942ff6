package stdlib

import (
	"math"
	"strconv"

	glua "github.com/Shopify/go-lua"
)

const two63 = 9223372036854775808.0 // 2^63

// cInt64 converts n as C's (long long)n does on x86-64: truncation toward zero, and the
// "integer indefinite" value math.MinInt64 for NaN and out-of-range numbers.
func cInt64(n float64) int64 {
	if n != n || n >= two63 || n < -two63 {
		return math.MinInt64
	}
	return int64(n)
}

// cUint64 converts n as gcc's (unsigned long long)n does on x86-64.
func cUint64(n float64) uint64 {
	if n < two63 {
		return uint64(cInt64(n))
	}
	return uint64(cInt64(n-two63)) ^ (1 << 63)
}

// cInt converts n as Lua 5.2's luaL_checkint does on 64-bit Linux: (int)(long long)n.
func cInt(n float64) int { return int(int32(cInt64(n))) }

// checkInt is Lua 5.2's luaL_checkint: a number (or numeric string) truncated to a C int.
func checkInt(l *glua.State, i int) int { return cInt(glua.CheckNumber(l, i)) }

// optInt is Lua 5.2's luaL_optint.
func optInt(l *glua.State, i, def int) int {
	if l.IsNoneOrNil(i) {
		return def
	}
	return checkInt(l, i)
}

// checkInteger is Lua 5.2's luaL_checkinteger: (long long)n.
func checkInteger(l *glua.State, i int) int64 { return cInt64(glua.CheckNumber(l, i)) }

// optInteger is Lua 5.2's luaL_optinteger.
func optInteger(l *glua.State, i int, def int64) int64 {
	if l.IsNoneOrNil(i) {
		return def
	}
	return checkInteger(l, i)
}

// checkString is Lua 5.2's luaL_checkstring: a number becomes the string tostring gives it
// (go-lua's conversion prints "+Inf" and "NaN").
func checkString(l *glua.State, i int) string {
	if n, ok := l.ToValue(i).(float64); ok {
		return numberString(n)
	}
	return glua.CheckString(l, i)
}

// optString is Lua 5.2's luaL_optstring.
func optString(l *glua.State, i int, def string) string {
	if l.IsNoneOrNil(i) {
		return def
	}
	return checkString(l, i)
}

// appendNumber appends n formatted as Lua 5.2 converts numbers to strings (C's "%.14g").
func appendNumber(b []byte, n float64) []byte {
	if n == math.Trunc(n) && math.Abs(n) < 1e14 {
		if n == 0 && math.Signbit(n) {
			return append(b, "-0"...)
		}
		return strconv.AppendInt(b, int64(n), 10)
	}
	switch {
	case math.IsInf(n, 1):
		return append(b, "inf"...)
	case math.IsInf(n, -1):
		return append(b, "-inf"...)
	case n != n:
		if math.Signbit(n) {
			return append(b, "-nan"...)
		}
		return append(b, "nan"...)
	}
	return strconv.AppendFloat(b, n, 'g', 14, 64)
}

// numberString is appendNumber into a new string.
func numberString(n float64) string {
	var buf [32]byte
	return string(appendNumber(buf[:0], n))
}

// toLString converts the value at idx as Lua 5.2's luaL_tolstring does (honouring __tostring),
// pushes the result and returns it; ok is false when __tostring returned a non-string.
func toLString(l *glua.State, idx int) (s string, ok bool) {
	idx = l.AbsIndex(idx)
	if glua.CallMeta(l, idx, "__tostring") {
		if l.TypeOf(-1) == glua.TypeNumber {
			n, _ := l.ToNumber(-1)
			l.Pop(1)
			s = l.PushString(numberString(n))
			return s, true
		}
		return l.ToString(-1)
	}
	if l.TypeOf(idx) == glua.TypeNumber {
		n, _ := l.ToNumber(idx)
		return l.PushString(numberString(n)), true
	}
	return glua.ToStringMeta(l, idx)
}
