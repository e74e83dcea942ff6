package luacjson

import (
	"errors"
	"fmt"
	"unicode/utf8"

	glua "github.com/Shopify/go-lua"
)

type tokenType int

const (
	tObjBegin tokenType = iota
	tObjEnd
	tArrBegin
	tArrEnd
	tString
	tNumber
	tBoolean
	tNull
	tColon
	tComma
	tEnd
	tError
)

var tokenNames = [...]string{"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING",
	"T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_ERROR"}

type token struct {
	typ   tokenType
	index int    // byte offset of the token (or of the error) in the input
	str   string // tString: the decoded text; tError: what was wrong
	num   float64
	b     bool
}

type decoder struct {
	c     *config
	l     *glua.State
	s     string
	pos   int
	depth int
	tmp   []byte
}

// decode parses s and pushes the result; on error the stack is left as it was.
func (c *config) decode(l *glua.State, s string) error {
	top := l.Top()
	err := c.decodeValue(l, s)
	if err != nil {
		l.SetTop(top)
	}
	return err
}

func (c *config) decodeValue(l *glua.State, s string) error {
	if len(s) >= 2 && (s[0] == 0 || s[1] == 0) {
		return errors.New("JSON parser does not support UTF-16 or UTF-32")
	}
	d := decoder{c: c, l: l, s: s}
	if err := d.value(d.next()); err != nil {
		return err
	}
	if tok := d.next(); tok.typ != tEnd {
		return parseError("the end", tok)
	}
	return nil
}

// at returns the byte at i, or 0 past the end: the C parser reads a NUL-terminated string.
func (d *decoder) at(i int) byte {
	if i < len(d.s) {
		return d.s[i]
	}
	return 0
}

func parseError(expected string, tok token) error {
	found := tokenNames[tok.typ]
	if tok.typ == tError {
		found = tok.str
	}
	return fmt.Errorf("Expected %s but found %s at character %d", expected, found, tok.index+1)
}

func (d *decoder) errorToken(msg string) token {
	return token{typ: tError, index: d.pos, str: msg}
}

var singleTokens = [256]tokenType{}

func init() {
	for i := range singleTokens {
		singleTokens[i] = tError
	}
	singleTokens['{'], singleTokens['}'] = tObjBegin, tObjEnd
	singleTokens['['], singleTokens[']'] = tArrBegin, tArrEnd
	singleTokens[','], singleTokens[':'] = tComma, tColon
}

func (d *decoder) next() token {
	for {
		switch d.at(d.pos) {
		case ' ', '\t', '\n', '\r':
			d.pos++
			continue
		}
		break
	}
	ch := d.at(d.pos)
	if ch == 0 {
		return token{typ: tEnd, index: d.pos}
	}
	if t := singleTokens[ch]; t != tError {
		d.pos++
		return token{typ: t, index: d.pos - 1}
	}
	switch {
	case ch == '"':
		return d.stringToken()
	case ch == '-' || ('0' <= ch && ch <= '9'):
		if d.c.decodeInvalidNums == 0 && d.invalidNumber() {
			return d.errorToken("invalid number")
		}
		return d.numberToken()
	case hasPrefix(d.s[d.pos:], "true"):
		d.pos += 4
		return token{typ: tBoolean, index: d.pos - 4, b: true}
	case hasPrefix(d.s[d.pos:], "false"):
		d.pos += 5
		return token{typ: tBoolean, index: d.pos - 5}
	case hasPrefix(d.s[d.pos:], "null"):
		d.pos += 4
		return token{typ: tNull, index: d.pos - 4}
	case (ch == '+' || ch == 'i' || ch == 'I' || ch == 'n' || ch == 'N') &&
		d.c.decodeInvalidNums != 0 && d.invalidNumber():
		return d.numberToken()
	}
	return d.errorToken("invalid token")
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// invalidNumber reports numbers that strtod accepts but strict JSON does not: a leading "+",
// leading zeros, hexadecimal, inf and nan (lua-cjson's json_is_invalid_number).
func (d *decoder) invalidNumber() bool {
	p := d.pos
	if d.at(p) == '+' {
		return true
	}
	if d.at(p) == '-' {
		p++
	}
	if ch := d.at(p); ch == '0' {
		ch2 := d.at(p + 1)
		return ch2|0x20 == 'x' || ('0' <= ch2 && ch2 <= '9')
	} else if ch <= '9' {
		return false
	}
	rest := d.s[p:]
	return hasPrefixFold(rest, "inf") || hasPrefixFold(rest, "nan")
}

func (d *decoder) numberToken() token {
	f, n := strtod(d.s[d.pos:])
	if n == 0 {
		return d.errorToken("invalid number")
	}
	d.pos += n
	return token{typ: tNumber, index: d.pos - n, num: f}
}

func (d *decoder) stringToken() token {
	start := d.pos
	d.pos++
	d.tmp = d.tmp[:0]
	for {
		run := d.pos
		for run < len(d.s) && d.s[run] != '"' && d.s[run] != '\\' && d.s[run] != 0 {
			run++
		}
		if d.at(run) == '"' && len(d.tmp) == 0 && d.pos == start+1 {
			// No escapes: the token is a substring of the input, no copy needed.
			d.pos = run + 1
			return token{typ: tString, index: start, str: d.s[start+1 : run]}
		}
		d.tmp = append(d.tmp, d.s[d.pos:run]...)
		d.pos = run
		switch d.at(d.pos) {
		case '"':
			d.pos++
			return token{typ: tString, index: start, str: string(d.tmp)}
		case 0:
			return d.errorToken("unexpected end of string")
		}
		var ch byte
		switch d.at(d.pos + 1) {
		case '"', '\\', '/':
			ch = d.at(d.pos + 1)
		case 'b':
			ch = '\b'
		case 't':
			ch = '\t'
		case 'n':
			ch = '\n'
		case 'f':
			ch = '\f'
		case 'r':
			ch = '\r'
		case 'u':
			if !d.unicodeEscape() {
				return d.errorToken("invalid unicode escape code")
			}
			continue
		default:
			return d.errorToken("invalid escape code")
		}
		d.tmp = append(d.tmp, ch)
		d.pos += 2
	}
}

func (d *decoder) hex4(i int) int {
	v := 0
	for k := 0; k < 4; k++ {
		c := d.at(i + k)
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | int(c-'0')
		case 'a' <= c|0x20 && c|0x20 <= 'f':
			v = v<<4 | int(c|0x20-'a'+10)
		default:
			return -1
		}
	}
	return v
}

// unicodeEscape appends the code point of the \uXXXX escape (or surrogate pair) at d.pos.
func (d *decoder) unicodeEscape() bool {
	cp := d.hex4(d.pos + 2)
	if cp < 0 {
		return false
	}
	n := 6
	if cp&0xF800 == 0xD800 {
		if cp&0x400 != 0 || d.at(d.pos+6) != '\\' || d.at(d.pos+7) != 'u' {
			return false
		}
		low := d.hex4(d.pos + 8)
		if low < 0 || low&0xFC00 != 0xDC00 {
			return false
		}
		cp = ((cp&0x3FF)<<10 | low&0x3FF) + 0x10000
		n = 12
	}
	d.tmp = utf8.AppendRune(d.tmp, rune(cp))
	d.pos += n
	return true
}

func (d *decoder) descend(slots int) error {
	d.depth++
	if d.depth > d.c.decodeMaxDepth || !d.l.CheckStack(slots) {
		return fmt.Errorf("Found too many nested data structures (%d) at character %d", d.depth, d.pos)
	}
	return nil
}

func (d *decoder) value(tok token) error {
	l := d.l
	switch tok.typ {
	case tString:
		l.PushString(tok.str)
	case tNumber:
		l.PushNumber(tok.num)
	case tBoolean:
		l.PushBoolean(tok.b)
	case tNull:
		if d.c.decodeJSONNull != 0 {
			PushNull(l)
		} else {
			l.PushNil()
		}
	case tObjBegin:
		return d.object()
	case tArrBegin:
		return d.array()
	default:
		return parseError("value", tok)
	}
	return nil
}

func (d *decoder) object() error {
	if err := d.descend(3); err != nil {
		return err
	}
	l := d.l
	l.NewTable()
	tok := d.next()
	if tok.typ == tObjEnd {
		d.depth--
		return nil
	}
	for {
		if tok.typ != tString {
			return parseError("object key string", tok)
		}
		l.PushString(tok.str)
		if tok = d.next(); tok.typ != tColon {
			return parseError("colon", tok)
		}
		if err := d.value(d.next()); err != nil {
			return err
		}
		l.RawSet(-3)
		tok = d.next()
		if tok.typ == tObjEnd {
			d.depth--
			return nil
		}
		if tok.typ != tComma {
			return parseError("comma or object end", tok)
		}
		tok = d.next()
	}
}

func (d *decoder) array() error {
	if err := d.descend(2); err != nil {
		return err
	}
	l := d.l
	l.NewTable()
	if d.c.decodeArrayMT != 0 {
		pushArrayMT(l)
		l.SetMetaTable(-2)
	}
	tok := d.next()
	if tok.typ == tArrEnd {
		d.depth--
		return nil
	}
	for i := 1; ; i++ {
		if err := d.value(tok); err != nil {
			return err
		}
		l.RawSetInt(-2, i)
		tok = d.next()
		if tok.typ == tArrEnd {
			d.depth--
			return nil
		}
		if tok.typ != tComma {
			return parseError("comma or array end", tok)
		}
		tok = d.next()
	}
}
