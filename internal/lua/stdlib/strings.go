package stdlib

import (
	"math"
	"strings"

	glua "github.com/Shopify/go-lua"
)

func openString(l *glua.State, lb *lib) {
	pushLib(l, "string")
	setFuncs(l, []fn{
		{"upper", strUpper},
		{"lower", strLower},
		{"reverse", strReverse},
		{"rep", lb.strRep},
		{"char", strChar},
		{"format", lb.strFormat},
		{"len", strLen},
		{"sub", strSub},
		{"byte", strByte},
	})
	l.Pop(1)
}

// mapBytes applies f to every byte of the string argument, as C's toupper/tolower do in the
// C locale (only ASCII letters change; other bytes, including UTF-8, are kept).
func mapBytes(l *glua.State, f func(byte) byte) int {
	s := checkString(l, 1)
	i := 0
	for i < len(s) && f(s[i]) == s[i] {
		i++
	}
	if i == len(s) {
		l.PushString(s)
		return 1
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		b[i] = f(b[i])
	}
	l.PushString(string(b))
	return 1
}

func upperByte(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// strUpper is string.upper, byte-wise.
func strUpper(l *glua.State) int { return mapBytes(l, upperByte) }

// strLower is string.lower, byte-wise.
func strLower(l *glua.State) int { return mapBytes(l, lowerByte) }

// strReverse is string.reverse, byte-wise.
func strReverse(l *glua.State) int {
	s := checkString(l, 1)
	b := make([]byte, len(s))
	for i := range len(s) {
		b[len(s)-1-i] = s[i]
	}
	l.PushString(string(b))
	return 1
}

// strRep is string.rep(s, n [, sep]), capped by MaxBytes.
func (lb *lib) strRep(l *glua.State) int {
	s := checkString(l, 1)
	n := checkInt(l, 2)
	sep := optString(l, 3, "")
	if n <= 0 {
		l.PushString("")
		return 1
	}
	unit := len(s) + len(sep)
	if unit > 0 && (n-1) > (maxStringLen-len(s))/unit {
		glua.Errorf(l, "resulting string too large")
	}
	total := n*len(s) + (n-1)*len(sep)
	lb.checkCap(l, total)
	if sep == "" {
		l.PushString(strings.Repeat(s, n))
		return 1
	}
	var b strings.Builder
	b.Grow(total)
	b.WriteString(s)
	for range n - 1 {
		b.WriteString(sep)
		b.WriteString(s)
	}
	l.PushString(b.String())
	return 1
}

// strLen is string.len(s).
func strLen(l *glua.State) int {
	l.PushInteger(len(checkString(l, 1)))
	return 1
}

// strSub is Lua 5.2's string.sub(s, i [, j]).
func strSub(l *glua.State) int {
	s := checkString(l, 1)
	start := max(posrelat(checkInteger(l, 2), len(s)), 1)
	end := min(posrelat(optInteger(l, 3, -1), len(s)), int64(len(s)))
	if start > end {
		l.PushString("")
	} else {
		l.PushString(s[start-1 : end])
	}
	return 1
}

// strByte is Lua 5.2's string.byte(s [, i [, j]]).
func strByte(l *glua.State) int {
	s := checkString(l, 1)
	first := posrelat(optInteger(l, 2, 1), len(s))
	last := min(posrelat(optInteger(l, 3, first), len(s)), int64(len(s)))
	first = max(first, 1)
	if first > last {
		return 0
	}
	n := int(last - first + 1)
	if n >= 1<<31 {
		glua.Errorf(l, "string slice too long")
	}
	glua.CheckStackWithMessage(l, n, "string slice too long")
	for _, c := range []byte(s[first-1 : last]) {
		l.PushInteger(int(c))
	}
	return n
}

// posrelat is Lua 5.2's posrelat: a negative position counts from the end of a string of n
// bytes, and one before its start is 0.
func posrelat(pos int64, n int) int64 {
	switch {
	case pos >= 0:
		return pos
	case pos == math.MinInt64 || -pos > int64(n):
		return 0
	}
	return int64(n) + pos + 1
}

// maxStringLen is the largest string length accepted when no MaxBytes cap is set (Lua's MAXSIZE
// guard against size overflow).
const maxStringLen = 1<<62 - 1

// strChar is string.char(...): each argument is a C int that must fit in a byte.
func strChar(l *glua.State) int {
	n := l.Top()
	b := make([]byte, n)
	for i := 1; i <= n; i++ {
		c := checkInt(l, i)
		glua.ArgumentCheck(l, c >= 0 && c <= 255, i, "value out of range")
		b[i-1] = byte(c)
	}
	l.PushString(string(b))
	return 1
}

// baseTostring is tostring(v) with Lua 5.2's number format ("inf", "-nan", "%.14g").
func baseTostring(l *glua.State) int {
	glua.CheckAny(l, 1)
	toLString(l, 1)
	return 1
}
