package lua

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// go-lua words some syntax errors unlike Lua 5.2; syntaxMessage rewrites them, with the source
// at hand:
//
//   - an error inside a string literal (a bad escape, a line break) is reported near the
//     previous token ("invalid escape sequence near 'return'"); Lua shows the offending text
//     ("near '\q'"), which stringError finds by scanning the source as Lua's lexer does;
//   - a number token is shown formatted with %f ("near '2.000000'"); Lua shows its text
//     ("near '2'"), found on the error's line when one numeral there has that value;
//   - in "X expected", go-lua leaves a symbol unquoted and shows the current token's text
//     where a name was expected; Lua quotes the symbol and says "<name>".

// syntaxMessage returns go-lua's syntax error msg for source as Lua 5.2 words it.
func syntaxMessage(msg, source string) string {
	msg = fixStringError(msg, source)
	msg = fixExpected(msg)
	return fixNearNumber(msg, source)
}

var (
	expectedRE   = regexp.MustCompile(`^(.*?:(\d+): )(.*?) expected( \(to close (.*?) at line \d+\))?( near .*)$`)
	nearNumberRE = regexp.MustCompile(`^(.*?:(\d+): .*) near '(-?\d+\.\d{6})'$`)
	malformedRE  = regexp.MustCompile(`^(.*?:(\d+): malformed number) near '.*'$`)
)

// fixExpected quotes the symbol in "X expected" and writes <name> where go-lua put a token's text.
func fixExpected(msg string) string {
	m := expectedRE.FindStringSubmatch(msg)
	if m == nil || strings.HasPrefix(m[3], "'") || strings.HasPrefix(m[3], "<") || strings.Contains(m[3], " ") {
		return msg
	}
	closing := ""
	if m[4] != "" {
		closing = " (to close " + quoteToken(m[5]) + m[4][len(" (to close ")+len(m[5]):]
	}
	return m[1] + quoteToken(m[3]) + " expected" + closing + m[6]
}

// quoteToken quotes a symbol as Lua's token2str does; any other text was a name's.
func quoteToken(tok string) string {
	switch {
	case strings.HasPrefix(tok, "'") || strings.HasPrefix(tok, "<"):
		return tok
	case len(tok) == 1 && !isNameByte(tok[0]):
		return "'" + tok + "'"
	}
	return "<name>"
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// fixNearNumber replaces a %f-formatted number token by its text on the error's line, when
// exactly one numeral there has that value; for "malformed number", when exactly one numeral
// there is malformed.
func fixNearNumber(msg, source string) string {
	if m := malformedRE.FindStringSubmatch(msg); m != nil {
		return replaceNear(m[1], m[2], source, msg, func(_ float64, ok bool) bool { return !ok })
	}
	if m := nearNumberRE.FindStringSubmatch(msg); m != nil {
		return replaceNear(m[1], m[2], source, msg, func(v float64, ok bool) bool {
			return ok && fmt.Sprintf("%f", v) == m[3]
		})
	}
	return msg
}

// replaceNear returns head + " near '<numeral>'" for the only numeral on line whose value
// matches, or msg.
func replaceNear(head, line, source, msg string, match func(float64, bool) bool) string {
	n, _ := strconv.Atoi(line)
	lines := strings.Split(source, "\n")
	if n < 1 || n > len(lines) {
		return msg
	}
	found := ""
	for _, tok := range numerals(lines[n-1]) {
		if match(luaNumber(tok)) {
			if found != "" && found != tok {
				return msg
			}
			found = tok
		}
	}
	if found == "" {
		return msg
	}
	return head + " near '" + found + "'"
}

// numerals returns the numerals of a line as Lua's read_numeral reads them (strings and
// comments are not told apart: a match there makes the choice ambiguous, never wrong).
func numerals(line string) []string {
	var toks []string
	for i := 0; i < len(line); i++ {
		c := line[i]
		digitStart := c >= '0' && c <= '9' && (i == 0 || !isNameByte(line[i-1]) && line[i-1] != '.')
		dotStart := c == '.' && i+1 < len(line) && line[i+1] >= '0' && line[i+1] <= '9' && (i == 0 || line[i-1] != '.')
		if !digitStart && !dotStart {
			continue
		}
		j, expo := i+1, "Ee"
		if c == '0' && j < len(line) && (line[j] == 'x' || line[j] == 'X') {
			j, expo = j+1, "Pp"
		}
		for j < len(line) {
			if strings.IndexByte(expo, line[j]) >= 0 {
				j++
				if j < len(line) && (line[j] == '+' || line[j] == '-') {
					j++
				}
			} else if isHex(line[j]) || line[j] == '.' {
				j++
			} else {
				break
			}
		}
		toks = append(toks, line[i:j])
		i = j - 1
	}
	return toks
}

// luaNumber converts a numeral as Lua 5.2's luaO_str2d does.
func luaNumber(s string) (float64, bool) {
	if strings.ContainsAny(s, "nN") {
		return 0, false
	}
	if len(s) > 2 && (s[1] == 'x' || s[1] == 'X') {
		if !strings.ContainsAny(s, "pP") {
			s += "p0"
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// stringErrors are the lexer messages about short strings that stringError can place.
var stringErrors = []string{"invalid escape sequence", "decimal escape too large", "hexadecimal digit expected", "unfinished string"}

// fixStringError rewrites msg, go-lua's syntax error for source, when it is about a short
// string: the token after "near" becomes the one Lua 5.2 shows.
func fixStringError(msg, source string) string {
	i := strings.LastIndex(msg, " near ")
	if i < 0 {
		return msg
	}
	head := msg[:i]
	for _, e := range stringErrors {
		if !strings.HasSuffix(head, ": "+e) {
			continue
		}
		line, kind, near, ok := stringError(source)
		if !ok || kind != e || !strings.HasSuffix(strings.TrimSuffix(head, ": "+e), fmt.Sprintf(":%d", line)) {
			return msg
		}
		return head + " near " + near
	}
	return msg
}

// stringError scans source for the first error in a short string literal and returns its line,
// its message and the token Lua shows with it.
func stringError(src string) (line int, kind, near string, ok bool) {
	line = 1
	for i := 0; i < len(src); {
		switch c := src[i]; {
		case c == '\n':
			line++
			i++
		case c == '-' || c == '[':
			i = skipCommentOrLong(src, i, &line)
		case c == '"' || c == '\'':
			var err string
			if i, err, near = scanString(src, i, &line); err != "" {
				return line, err, near, true
			}
		default:
			i++
		}
	}
	return 0, "", "", false
}

// skipCommentOrLong returns the index after the comment or long string that starts at src[i]
// (a '-' or a '['), counting lines, or i+1 when none starts there.
func skipCommentOrLong(src string, i int, line *int) int {
	switch {
	case strings.HasPrefix(src[i:], "--"):
		i += 2
		if n := longBracket(src[i:]); n >= 0 {
			return skipLong(src, i, n, line)
		}
		for i < len(src) && src[i] != '\n' {
			i++
		}
		return i
	case src[i] == '[' && longBracket(src[i:]) >= 0:
		return skipLong(src, i, longBracket(src[i:]), line)
	}
	return i + 1
}

// longBracket returns the level of the long bracket opening s ("[[" is 0, "[==[" is 2), or -1.
func longBracket(s string) int {
	if len(s) < 2 || s[0] != '[' {
		return -1
	}
	n := 1
	for n < len(s) && s[n] == '=' {
		n++
	}
	if n < len(s) && s[n] == '[' {
		return n - 1
	}
	return -1
}

// skipLong returns the index after the long string or comment of the given level that starts
// at i, counting lines.
func skipLong(src string, i, level int, line *int) int {
	closing := "]" + strings.Repeat("=", level) + "]"
	end := strings.Index(src[i:], closing)
	if end < 0 {
		end = len(src) - i
	} else {
		end += len(closing)
	}
	*line += strings.Count(src[i:i+end], "\n")
	return i + end
}

// scanString reads the short string starting at src[i] (its delimiter) as Lua 5.2's read_string
// does and returns the index after it, or the error and the token Lua shows.
func scanString(src string, i int, line *int) (int, string, string) {
	del := src[i]
	var buf strings.Builder
	buf.WriteByte(del)
	for i++; ; {
		if i >= len(src) {
			return i, "unfinished string", "<eof>"
		}
		switch c := src[i]; c {
		case del:
			return i + 1, "", ""
		case '\n', '\r':
			return i, "unfinished string", "'" + buf.String() + "'"
		case '\\':
			n, r, err, near := escape(src[i+1:])
			if err != "" {
				return i, err, "'\\" + near + "'"
			}
			if n > 0 && (src[i+1] == '\n' || src[i+1] == '\r') {
				*line++
			}
			buf.WriteString(r)
			i += 1 + n
		default:
			buf.WriteByte(c)
			i++
		}
	}
}

// escape reads the escape sequence after a backslash: how many bytes it takes and the text it
// stands for, or the error and the characters Lua shows after the backslash.
func escape(s string) (int, string, string, string) {
	if s == "" {
		return 0, "", "", ""
	}
	switch c := s[0]; {
	case strings.IndexByte("abfnrtv\\\"'\n\r", c) >= 0:
		return 1, string(c), "", ""
	case c == 'x':
		r := 0
		for k := 1; k < 3; k++ {
			if k >= len(s) || !isHex(s[k]) {
				return 0, "", "hexadecimal digit expected", s[:min(k+1, len(s))]
			}
			r = r<<4 | hexValue(s[k])
		}
		return 3, string([]byte{byte(r)}), "", ""
	case c == 'z':
		k := 1
		for k < len(s) && strings.IndexByte(" \t\n\r\f\v", s[k]) >= 0 {
			k++
		}
		return k, "", "", ""
	case c >= '0' && c <= '9':
		k, r := 0, 0
		for k < 3 && k < len(s) && s[k] >= '0' && s[k] <= '9' {
			r = 10*r + int(s[k]-'0')
			k++
		}
		if r > 255 {
			return 0, "", "decimal escape too large", s[:k]
		}
		return k, string([]byte{byte(r)}), "", ""
	}
	return 0, "", "invalid escape sequence", s[:1]
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexValue(c byte) int {
	switch {
	case c <= '9':
		return int(c - '0')
	case c >= 'a':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}
