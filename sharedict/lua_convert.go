package sharedict

import (
	"math"
	"strconv"
	"strings"
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

// Conversions of Lua arguments as OpenResty makes them: lua-resty-core's Lua code, then
// LuaJIT's FFI conversions to the C types of lua-nginx-module's functions.

// restyKey reads the key (argument 2) as lua-resty-core does: tostring for a non-string, and
// "nil key", "empty key" or "key too long" pushed as nil, err (ok = false).
func restyKey(l *glua.State) (key string, ok bool) {
	switch l.TypeOf(2) {
	case glua.TypeString:
		key = stringAt(l, 2)
	case glua.TypeNil, glua.TypeNone:
		pushErr(l, ErrNilKey)
		return "", false
	case glua.TypeNumber:
		n, _ := l.ToNumber(2)
		key = numberKey(n)
	case glua.TypeBoolean:
		key = "false"
		if l.ToBoolean(2) {
			key = "true"
		}
	default:
		key, _ = glua.ToStringMeta(l, 2)
		l.Pop(1)
	}
	if err := luaKeyError(key); err != nil {
		pushErr(l, err)
		return "", false
	}
	return key, true
}

// exptimeArg reads an exptime as lua-resty-core's store does: nil or false is 0; a negative
// number raises 'bad "exptime" argument'; anything else fails the comparison with 0.
func exptimeArg(l *glua.State, idx int) float64 {
	switch l.TypeOf(idx) {
	case glua.TypeNil, glua.TypeNone:
		return 0
	case glua.TypeNumber:
		f, _ := l.ToNumber(idx)
		if f < 0 {
			lua.RaiseAtCaller(l, `bad "exptime" argument`)
		}
		return f
	case glua.TypeBoolean:
		if !l.ToBoolean(idx) {
			return 0
		}
	}
	lua.RaisePlain(l, "attempt to compare "+typeName(l, idx)+" with number")
	return 0
}

// valueArg reads a value to store: nil, a boolean, a number or a string (ok = false otherwise).
func valueArg(l *glua.State, idx int) (Value, bool) {
	switch l.TypeOf(idx) {
	case glua.TypeString:
		return String(stringAt(l, idx)), true
	case glua.TypeNumber:
		n, _ := l.ToNumber(idx)
		return Number(n), true
	case glua.TypeBoolean:
		return Bool(l.ToBoolean(idx)), true
	case glua.TypeNil, glua.TypeNone:
		return Nil, true
	}
	return Nil, false
}

// flagsArg reads user flags as LuaJIT's FFI passes them to C's int: a number truncated (out of
// range: INT_MIN), true as 1, nil and false as 0; other values fail the conversion.
func flagsArg(l *glua.State, idx int) uint32 {
	switch l.TypeOf(idx) {
	case glua.TypeNil, glua.TypeNone:
		return 0
	case glua.TypeNumber:
		f, _ := l.ToNumber(idx)
		return uint32(toInt32(f))
	case glua.TypeBoolean:
		if l.ToBoolean(idx) {
			return 1
		}
		return 0
	}
	lua.RaisePlain(l, "bad argument #10 to 'ngx_lua_ffi_shdict_store' (cannot convert '"+
		typeName(l, idx)+"' to 'int')")
	return 0
}

// stringAt returns the string at idx, which must be one. go-lua's ToString would box it anew
// (and turn a number into a string in place).
func stringAt(l *glua.State, idx int) string {
	s, _ := l.ToValue(idx).(string)
	return s
}

// toNumber is Lua's tonumber for a number or a string argument, as LuaJIT converts strings.
func toNumber(l *glua.State, idx int) (float64, bool) {
	switch l.TypeOf(idx) {
	case glua.TypeNumber:
		return l.ToNumber(idx)
	case glua.TypeString:
		return parseNumber(stringAt(l, idx))
	}
	return 0, false
}

// parseNumber converts a string as LuaJIT's tonumber does: a decimal or hexadecimal number
// (with a binary exponent) surrounded by spaces, with one sign; not "inf" or "nan".
func parseNumber(s string) (float64, bool) {
	s = strings.Trim(s, " \t\n\v\f\r")
	body := s
	if body != "" && (body[0] == '-' || body[0] == '+') {
		body = body[1:]
	}
	hex := len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')
	if hex {
		if !numeral(body[2:], "0123456789abcdefABCDEF", "pP") {
			return 0, false
		}
		if !strings.ContainsAny(body, "pP") {
			s += "p0" // Go's ParseFloat wants a binary exponent in hexadecimal
		}
	} else if !numeral(body, "0123456789", "eE") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) { // overflow gives ±inf, as in LuaJIT
		return 0, false
	}
	return f, true
}

// numeral reports whether s is digits with at most one point, at least one digit, then
// optionally an exponent mark, a sign and decimal digits.
func numeral(s, digits, exp string) bool {
	mant, e := s, ""
	if i := strings.IndexAny(s, exp); i >= 0 {
		mant, e = s[:i], s[i+1:]
		if e != "" && (e[0] == '-' || e[0] == '+') {
			e = e[1:]
		}
		if e == "" || strings.Trim(e, "0123456789") != "" {
			return false
		}
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	return intPart+frac != "" && strings.Trim(intPart+frac, digits) == ""
}

// msDuration converts seconds from Lua to the milliseconds OpenResty passes to C: it multiplies
// by 1000 and truncates to a C long, where x86-64 turns NaN and out-of-range values into
// LONG_MIN (which nginx treats as no expiry). Durations beyond time.Duration's range (292
// years) are capped.
func msDuration(sec float64) time.Duration {
	const maxMs = float64(math.MaxInt64 / int64(time.Millisecond))
	ms := sec * 1000
	switch {
	case math.IsNaN(ms) || ms >= 1<<63 || ms < -(1<<63):
		return -time.Millisecond
	case ms > maxMs:
		return time.Duration(math.MaxInt64/int64(time.Millisecond)) * time.Millisecond
	case ms < -maxMs:
		return -time.Millisecond
	}
	return time.Duration(int64(ms)) * time.Millisecond
}

// toInt32 converts a Lua number to a C int as LuaJIT's FFI does on x86-64: truncated towards
// zero, NaN and out-of-range values become INT_MIN.
func toInt32(f float64) int32 {
	if math.IsNaN(f) || f >= 1<<31 || f <= -(1<<31)-1 {
		return math.MinInt32
	}
	return int32(f)
}
