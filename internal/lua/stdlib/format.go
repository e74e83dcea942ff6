package stdlib

import (
	glua "github.com/Shopify/go-lua"
)

// strFormat is Lua 5.2.4's string.format with glibc's printf conversions.
func (lb *lib) strFormat(l *glua.State) int {
	top := l.Top()
	f := checkString(l, 1)
	b := make([]byte, 0, len(f)+16)
	arg := 1
	for i := 0; i < len(f); {
		c := f[i]
		i++
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i < len(f) && f[i] == '%' {
			b = append(b, '%')
			i++
			continue
		}
		if arg++; arg > top {
			glua.ArgumentError(l, arg, "no value")
		}
		var sp spec
		var verb byte
		sp, verb, i = scanSpec(l, f, i)
		b = lb.formatItem(l, b, sp, verb, arg)
		lb.checkCap(l, len(b))
	}
	lb.checkCap(l, len(b))
	l.PushString(string(b))
	return 1
}

// scanSpec parses flags, width and precision after a '%' (at most two digits each, as Lua 5.2
// allows) and returns the conversion character (0 at the end of the format) and the next index.
func scanSpec(l *glua.State, f string, i int) (spec, byte, int) {
	sp := spec{prec: -1}
	start := i
	for ; i < len(f); i++ {
		switch f[i] {
		case '-':
			sp.minus = true
		case '+':
			sp.plus = true
		case ' ':
			sp.space = true
		case '#':
			sp.sharp = true
		case '0':
			sp.zero = true
		default:
			goto flagsDone
		}
	}
flagsDone:
	if i-start >= 6 {
		glua.Errorf(l, "invalid format (repeated flags)")
	}
	sp.width, i = scan2(f, i)
	if i < len(f) && f[i] == '.' {
		sp.prec, i = scan2(f, i+1)
	}
	if i < len(f) && isDigit(f[i]) {
		glua.Errorf(l, "invalid format (width or precision too long)")
	}
	if i >= len(f) {
		return sp, 0, i
	}
	return sp, f[i], i + 1
}

// scan2 reads up to two decimal digits at f[i:]; absent digits read as 0.
func scan2(f string, i int) (int, int) {
	n := 0
	for k := 0; k < 2 && i < len(f) && isDigit(f[i]); k++ {
		n = n*10 + int(f[i]-'0')
		i++
	}
	return n, i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// formatItem appends argument arg formatted by one conversion.
func (lb *lib) formatItem(l *glua.State, b []byte, sp spec, verb byte, arg int) []byte {
	switch verb {
	case 'c':
		return sp.pad(b, "", string([]byte{byte(checkInt(l, arg))}), false)
	case 'd', 'i':
		// LuaJIT converts as C does, without Lua 5.2's range errors: 2^63 prints
		// -9223372036854775808.
		return sp.appendSigned(b, cInt64(glua.CheckNumber(l, arg)))
	case 'o', 'u', 'x', 'X':
		// LuaJIT takes a negative number as its 64-bit two's complement (%x of -1 is
		// ffffffffffffffff), as OpenResty code formatting the results of bit.* relies on.
		return sp.appendUnsigned(b, luajitUint64(glua.CheckNumber(l, arg)), verb)
	case 'e', 'E', 'f', 'F', 'g', 'G', 'a', 'A': // %F is LuaJIT's (Lua 5.2 refuses it)
		return sp.appendFloat(b, glua.CheckNumber(l, arg), verb)
	case 'q':
		return appendQuoted(b, checkString(l, arg))
	case 's':
		s, _ := toLString(l, arg)
		l.Pop(1)
		if sp.prec < 0 && len(s) >= 100 {
			return append(b, s...)
		}
		return sp.appendString(b, s)
	}
	errorf(l, "invalid option '%%%s' to 'format'", string([]byte{verb}))
	return b
}

// appendQuoted is %q: a string that Lua reads back as the same bytes.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\' || c == '\n':
			b = append(b, '\\', c)
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\')
			if i+1 < len(s) && isDigit(s[i+1]) {
				b = append(b, '0'+c/100, '0'+c/10%10, '0'+c%10)
			} else {
				b = appendDecimal(b, int(c))
			}
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func appendDecimal(b []byte, n int) []byte {
	if n >= 10 {
		b = appendDecimal(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

// luajitUint64 converts n for %o, %u, %x and %X as LuaJIT does: numbers from 2^63 on wrap
// around 2^64, others go through int64, so that negative numbers give their two's complement.
func luajitUint64(n float64) uint64 {
	if n >= two63 {
		n -= 2 * two63
	}
	return uint64(cInt64(n))
}
