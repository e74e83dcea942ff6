package luacjson

import (
	"math"
	"strconv"
)

// strtod parses the longest prefix of s that C's strtod (glibc, "C" locale) accepts and returns
// its value and length; n == 0 means no conversion. Forms: decimal with optional fraction and
// exponent, hexadecimal ("0x1.8p3"), "inf", "infinity", "nan" and "nan(chars)", each with an
// optional sign.
func strtod(s string) (f float64, n int) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	rest := s[i:]
	switch {
	case hasPrefixFold(rest, "infinity"):
		return signed(math.Inf(1), neg), i + 8
	case hasPrefixFold(rest, "inf"):
		return signed(math.Inf(1), neg), i + 3
	case hasPrefixFold(rest, "nan"):
		return signed(math.NaN(), neg), i + nanLength(rest)
	case len(rest) > 2 && rest[0] == '0' && rest[1]|0x20 == 'x':
		if m := hexFloatLength(rest[2:]); m > 0 {
			return parseFloat(s[:i+2+m], true), i + 2 + m
		}
	}
	m := decimalLength(rest)
	if m == 0 {
		return 0, 0
	}
	return parseFloat(s[:i+m], false), i + m
}

func signed(f float64, neg bool) float64 {
	if neg {
		return -f
	}
	return f
}

func hasPrefixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if s[i]|0x20 != p[i] {
			return false
		}
	}
	return true
}

// nanLength is the length of "nan" plus an optional "(n-char-sequence)".
func nanLength(s string) int {
	if len(s) > 3 && s[3] == '(' {
		for j := 4; j < len(s); j++ {
			c := s[j]
			if c == ')' {
				return j + 1
			}
			if !isAlnum(c) && c != '_' {
				break
			}
		}
	}
	return 3
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f') }
func isAlnum(c byte) bool { return isDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'z') }

// mantissaLength scans digits, an optional point and more digits; ok needs at least one digit.
func mantissaLength(s string, digit func(byte) bool) (n int, ok bool) {
	for n < len(s) && digit(s[n]) {
		n++
		ok = true
	}
	if n < len(s) && s[n] == '.' {
		n++
		for n < len(s) && digit(s[n]) {
			n++
			ok = true
		}
	}
	return n, ok
}

// exponentLength scans an exponent introduced by one of marks, or returns 0.
func exponentLength(s string, marks string) int {
	if len(s) < 2 || (s[0] != marks[0] && s[0] != marks[1]) {
		return 0
	}
	j := 1
	if s[j] == '+' || s[j] == '-' {
		j++
	}
	k := j
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	if k == j {
		return 0
	}
	return k
}

func decimalLength(s string) int {
	n, ok := mantissaLength(s, isDigit)
	if !ok {
		return 0
	}
	return n + exponentLength(s[n:], "eE")
}

func hexFloatLength(s string) int {
	n, ok := mantissaLength(s, isHex)
	if !ok {
		return 0
	}
	return n + exponentLength(s[n:], "pP")
}

func parseFloat(s string, hex bool) float64 {
	if hex && !hasExponent(s) {
		s += "p0"
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && f == 0 && !isRangeError(err) {
		return 0
	}
	return f
}

func hasExponent(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i]|0x20 == 'p' {
			return true
		}
	}
	return false
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
