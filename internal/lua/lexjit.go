package lua

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// luajitEscapes rewrites the \u{XXX} escapes of src's short strings, which LuaJIT reads and
// Lua 5.2's lexer refuses, as the \xXX escapes of their UTF-8 bytes, so that go-lua compiles
// what LuaJIT compiles. Lines and everything else are left as they are; an escape LuaJIT would
// refuse (no digits, no closing brace, a surrogate, a code point from 0x110000) is left for
// go-lua to report.
func luajitEscapes(src string) string {
	if !strings.Contains(src, `\u`) {
		return src
	}
	var b strings.Builder
	last, line := 0, 1
	for i := 0; i < len(src); {
		switch c := src[i]; {
		case c == '-' || c == '[':
			i = skipCommentOrLong(src, i, &line)
		case c == '"' || c == '\'':
			for i++; i < len(src) && src[i] != c && src[i] != '\n'; i++ {
				if src[i] != '\\' || i+1 >= len(src) {
					continue
				}
				if n, r, ok := unicodeEscape(src[i+1:]); ok {
					b.WriteString(src[last:i])
					var buf [utf8.UTFMax]byte
					for _, x := range utf8.AppendRune(buf[:0], r) {
						b.WriteString(`\x` + strconv.FormatUint(uint64(x)|0x100, 16)[1:])
					}
					last = i + 1 + n
				}
				i++ // the escaped character, a quote or a backslash among them
			}
			i++
		default:
			i++
		}
	}
	if last == 0 {
		return src
	}
	b.WriteString(src[last:])
	return b.String()
}

// unicodeEscape reads "u{XXX}" at the start of s and returns its length and code point. Like
// LuaJIT, it refuses surrogates and code points from 0x110000.
func unicodeEscape(s string) (n int, r rune, ok bool) {
	if !strings.HasPrefix(s, "u{") {
		return 0, 0, false
	}
	end := strings.IndexByte(s, '}')
	if end <= 2 {
		return 0, 0, false
	}
	v, err := strconv.ParseUint(s[2:end], 16, 32)
	if err != nil || v >= 0x110000 || v >= 0xD800 && v <= 0xDFFF {
		return 0, 0, false
	}
	return end + 1, rune(v), true
}
