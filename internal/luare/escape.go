package luare

import (
	"fmt"
	"strings"
)

// escape translates a backslash sequence outside a class.
func (t *translator) escape() piece {
	start := t.pos
	t.pos++
	if !t.more() {
		t.fail(`\ at end of pattern`, len(t.src))
	}
	c := t.src[t.pos]
	t.pos++
	if s, ok := t.shorthand(c); ok {
		return piece{text: emitSet(s, false), w: width{1, 1}, single: true}
	}
	switch c {
	case 'b', 'B':
		w, _ := t.shorthand('w')
		word := emitSet(w, false)
		text := `(?:(?<=` + word + `)(?!` + word + `)|(?<!` + word + `)(?=` + word + `))`
		if c == 'B' {
			text = `(?:(?<=` + word + `)(?=` + word + `)|(?<!` + word + `)(?!` + word + `))`
		}
		return piece{text: text, noRepeat: true}
	case 'A', 'z', 'Z', 'G':
		return piece{text: `\` + string(c), noRepeat: true}
	case 'K':
		t.kUsed = true
		return piece{text: "(?<" + kGroupName + ">)", noRepeat: true}
	case 'Q':
		return t.quoted()
	case 'E':
		return piece{empty: true}
	case 'R':
		nl := `\r\n|[\n\u000B\f\r\u0085`
		if t.fl.UTF8 {
			nl += `\u2028\u2029`
		}
		return piece{text: `(?>` + nl + `])`, w: width{1, 2}, single: true}
	case 'X':
		return piece{text: `(?>\P{M}\p{M}*)`, w: width{1, -1}, single: true}
	case 'C':
		return piece{text: `[\s\S]`, w: width{1, 1}, single: true}
	case 'N':
		if t.peek(0) == '{' {
			t.fail(`PCRE does not support \L, \l, \N{name}, \U, or \u`, t.pos-1)
		}
		return piece{text: `[^\n]`, w: width{1, 1}, single: true}
	case 'p', 'P':
		s := t.property(c == 'P')
		return piece{text: emitSet(s, false), w: width{1, 1}, single: true}
	case 'g':
		return t.gReference(start)
	case 'k':
		return t.kReference()
	}
	if c >= '1' && c <= '9' {
		if p, ok := t.numericBackref(c); ok {
			return p
		}
	}
	t.pos--
	return t.char(t.charEscape(false))
}

// shorthand returns the set of \d \D \w \W \s \S \h \H \v \V.
func (t *translator) shorthand(c rune) (rangeSet, bool) {
	var s rangeSet
	switch c | 0x20 {
	case 'd', 'w', 's':
		s = t.shorthandDWS(c | 0x20)
	case 'h':
		s = setHSpc
		if t.fl.UTF8 {
			s = setHSpcU
		}
	case 'v':
		s = setVSpc
		if t.fl.UTF8 {
			s = setVSpcU
		}
	default:
		return nil, false
	}
	if c >= 'A' && c <= 'Z' {
		s = s.negate()
	}
	return s, true
}

// shorthandDWS is \d, \w or \s: ASCII, or Unicode properties after (*UCP).
func (t *translator) shorthandDWS(c rune) rangeSet {
	ucp := map[rune]string{'d': "Nd", 'w': "Xwd", 's': "Xsp"}
	if t.fl.ucp {
		s, _ := property(ucp[c])
		return s
	}
	return map[rune]rangeSet{'d': setDigit, 'w': setWord, 's': setSpace}[c]
}

// quoted handles \Q...\E: every character up to \E (or the end) is literal. As in PCRE, a
// quantifier after \E applies to the last quoted character only.
func (t *translator) quoted() piece {
	var chars []piece
	for t.more() {
		if t.src[t.pos] == '\\' && t.peek(1) == 'E' {
			t.pos += 2
			break
		}
		chars = append(chars, t.char(t.src[t.pos]))
		t.pos++
	}
	if len(chars) == 0 {
		return piece{empty: true}
	}
	last := chars[len(chars)-1]
	for _, c := range chars[:len(chars)-1] {
		last.prefix += c.text
	}
	n := len(chars) - 1
	last.prefixW = width{n, n}
	return last
}

// charEscape reads an escape that stands for one character; the position is on the letter.
// Unknown letters and punctuation stand for themselves, as PCRE does without PCRE_EXTRA.
func (t *translator) charEscape(inClass bool) rune {
	c := t.src[t.pos]
	t.pos++
	switch c {
	case 'a':
		return 7
	case 'e':
		return 27
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		if inClass {
			return '\b'
		}
	case 'x':
		if t.fl.JSCompat { // JavaScript: \x takes exactly two hex digits, else it is "x"
			if t.hexDigits(2) == 2 {
				return t.readHex(2)
			}
			return 'x'
		}
		return t.hexEscape()
	case 'o':
		if t.peek(0) == '{' {
			return t.bracedNumber(8)
		}
	case 'c':
		if !t.more() {
			t.fail(`\c at end of pattern`, len(t.src))
		}
		x := t.src[t.pos]
		if x > 127 {
			t.fail(`\c must be followed by an ASCII character`, t.pos)
		}
		t.pos++
		if x >= 'a' && x <= 'z' {
			x -= 32
		}
		return x ^ 0x40
	case 'L', 'l', 'U', 'u':
		if t.fl.JSCompat {
			if c == 'u' && t.hexDigits(4) == 4 {
				return t.readHex(4)
			}
			return c
		}
		t.fail(`PCRE does not support \L, \l, \N{name}, \U, or \u`, t.pos-1)
	}
	if c >= '0' && c <= '7' {
		t.pos--
		v := rune(0)
		for n := 0; n < 3 && t.more() && t.src[t.pos] >= '0' && t.src[t.pos] <= '7'; n++ {
			v = v*8 + t.src[t.pos] - '0'
			t.pos++
		}
		return t.checkValue(v, t.pos-1)
	}
	return c
}

func (t *translator) hexDigits(max int) int {
	n := 0
	for n < max && isHexRune(t.peek(n)) {
		n++
	}
	return n
}

func isHexRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}

func (t *translator) readHex(n int) rune {
	v := rune(0)
	for i := 0; i < n; i++ {
		c := t.src[t.pos] | 0x20
		if c >= 'a' {
			v = v*16 + c - 'a' + 10
		} else {
			v = v*16 + c - '0'
		}
		t.pos++
	}
	return v
}

// hexEscape reads what follows \x: {hhh...} or up to two hex digits.
func (t *translator) hexEscape() rune {
	if t.peek(0) == '{' {
		n := 0
		for isHexRune(t.peek(1 + n)) {
			n++
		}
		if n > 0 && t.peek(1+n) == '}' {
			return t.bracedNumber(16)
		}
		return 0 // "\x{" without hex digits and "}": \x is NUL, then a literal "{"
	}
	return t.readHex(t.hexDigits(2))
}

// bracedNumber reads {digits} in base 8 or 16; the position is on '{'.
func (t *translator) bracedNumber(base rune) rune {
	t.pos++
	v := rune(0)
	for t.more() && t.src[t.pos] != '}' {
		c := t.src[t.pos] | 0x20
		d := c - '0'
		if c >= 'a' {
			d = c - 'a' + 10
		}
		if d < 0 || d >= base {
			t.fail("non-octal character in \\o{} (closing brace missing?)", t.pos)
		}
		v = min(v*base+d, 0x7FFFFFFF/16)
		t.pos++
	}
	if !t.more() {
		t.fail("missing } after \\o{", len(t.src))
	}
	t.pos++
	return t.checkValue(v, t.pos-1)
}

func (t *translator) checkValue(v rune, at int) rune {
	limit := rune(0xFF)
	if t.fl.UTF8 {
		limit = maxRune
	}
	if v > limit {
		t.fail(`character value in \x{} or \o{} is too large`, at)
	}
	if t.fl.UTF8 && v >= 0xD800 && v <= 0xDFFF {
		t.fail("disallowed Unicode code point (>= 0xd800 && <= 0xdfff)", at)
	}
	return v
}

// property reads the name after \p or \P (the position is after the letter).
func (t *translator) property(negated bool) rangeSet {
	if !t.more() {
		t.fail(`malformed \P or \p sequence`, len(t.src))
	}
	var name string
	if t.src[t.pos] == '{' {
		end := t.pos + 1
		for end < len(t.src) && t.src[end] != '}' {
			end++
		}
		if end >= len(t.src) {
			t.fail(`malformed \P or \p sequence`, end)
		}
		name = string(t.src[t.pos+1 : end])
		t.pos = end + 1
		if strings.HasPrefix(name, "^") {
			negated, name = !negated, name[1:]
		}
	} else {
		name = string(t.src[t.pos])
		t.pos++
	}
	s, ok := property(name)
	if !ok {
		t.fail(`unknown property name after \P or \p`, t.pos-1)
	}
	if negated {
		return s.negate()
	}
	return s
}

// numericBackref handles \1...\9 and longer numbers that refer to groups (else: octal).
func (t *translator) numericBackref(first rune) (piece, bool) {
	n := int(first - '0')
	end := t.pos
	for end < len(t.src) && t.src[end] >= '0' && t.src[end] <= '9' {
		n = min(n*10+int(t.src[end]-'0'), 1<<20)
		end++
	}
	switch {
	case n < 8 || n <= t.ncap:
	case n < 10 && n <= t.pre.ncap: // \8 and \9 are back references only when the group exists
	default:
		return piece{}, false
	}
	t.pos = end
	return t.backref(n, len(t.src)), true
}

// backref writes a back reference to group n; at is where a missing group is reported.
func (t *translator) backref(n, at int) piece {
	t.refs = append(t.refs, ref{n, at})
	return piece{text: backrefText(n, t.fl), w: width{0, -1}, single: true}
}

func backrefText(n int, fl Flags) string {
	text := fmt.Sprintf(`\%d`, n)
	if fl.Caseless {
		text = "(?i:" + text + ")"
	} else {
		text = "(?:" + text + ")"
	}
	if fl.JSCompat {
		text = fmt.Sprintf("(?(%d)%s)", n, text)
	}
	return text
}

// forwardRef is a reference to a group named later in the pattern: its number is known only at
// the end (a branch reset in between changes it), so a placeholder stands in for it until then.
type forwardRef struct {
	key, name string
	fl        Flags
	cond      bool // a (?(<name>)...) condition rather than a back reference
}

func (t *translator) forward(name string, cond bool) string {
	key := fmt.Sprintf("\x00%d\x00", len(t.forwards))
	t.forwards = append(t.forwards, forwardRef{key: key, name: name, fl: t.fl, cond: cond})
	return key
}

// resolveForwards replaces the placeholders of forward references in out.
func (t *translator) resolveForwards(out string) string {
	for _, f := range t.forwards {
		n := 0
		for _, e := range t.names {
			if e.name == f.name {
				n = e.num
				break
			}
		}
		text := fmt.Sprintf("(%d)", n)
		if !f.cond {
			text = backrefText(n, f.fl)
		}
		out = strings.Replace(out, f.key, text, 1)
	}
	return out
}

func (t *translator) backrefByName(name string, at int) piece {
	for _, e := range t.names {
		if e.name == name {
			return t.backref(e.num, at)
		}
	}
	if _, ok := t.pre.names[name]; ok {
		return piece{text: t.forward(name, false), w: width{0, -1}, single: true}
	}
	t.failLate("reference to non-existent subpattern", at)
	return piece{text: "(?!)"}
}

// kReference handles \k<name>, \k'name' and \k{name}.
func (t *translator) kReference() piece {
	term := map[rune]rune{'<': '>', '\'': '\'', '{': '}'}[t.peek(0)]
	if term == 0 {
		t.fail(`\k is not followed by a braced, angle-bracketed, or quoted name`, t.pos-1)
	}
	t.pos++
	name := t.name(term)
	return t.backrefByName(name, t.pos-1)
}

// gReference handles \gN, \g-N, \g{N}, \g{-N} and \g{name}.
func (t *translator) gReference(start int) piece {
	if c := t.peek(0); c == '<' || c == '\'' { // \g<n>, \g'name': Oniguruma-style calls
		term := map[rune]rune{'<': '>', '\'': '\''}[c]
		t.pos++
		at := t.pos
		for t.more() && t.src[t.pos] != term {
			t.pos++
		}
		if !t.more() {
			t.fail(`\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number`, t.pos)
		}
		ref := string(t.src[at:t.pos])
		t.pos++
		if ref != "" && (ref[0] == '+' || ref[0] == '-' || ref[0] >= '0' && ref[0] <= '9') {
			return t.callNumber(ref, at)
		}
		return t.callName(ref, t.pos-1)
	}
	braced := t.peek(0) == '{'
	if braced {
		t.pos++
	}
	if t.peek(0) == '+' {
		t.fail("subpattern name expected", t.pos)
	}
	if braced && t.peek(0) == '}' {
		t.fail("a numbered reference must not be zero", t.pos)
	}
	neg := t.peek(0) == '-'
	if neg {
		t.pos++
	}
	digitsAt := t.pos
	n := 0
	for t.more() && t.src[t.pos] >= '0' && t.src[t.pos] <= '9' {
		n = min(n*10+int(t.src[t.pos]-'0'), 1<<20)
		t.pos++
	}
	if t.pos == digitsAt && braced && !neg {
		name := t.name('}')
		return t.backrefByName(name, t.pos-1)
	}
	if braced {
		if t.peek(0) != '}' {
			t.fail(`\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number`, t.pos)
		}
		t.pos++
	}
	if n == 0 {
		at := digitsAt
		if t.pos == digitsAt {
			at = start + 1
		}
		t.fail("a numbered reference must not be zero", at)
	}
	if neg {
		n = t.ncap - n + 1
		if n <= 0 {
			t.fail("reference to non-existent subpattern", t.pos-1)
		}
	}
	return t.backref(n, len(t.src))
}

// conditional handles (?(cond)yes|no); the position is on the inner '('.
func (t *translator) conditional(open int) piece {
	t.pos++
	var cond string
	switch c := t.peek(0); {
	case c == '?' && (t.peek(1) == '=' || t.peek(1) == '!' || t.peek(1) == '<'):
		t.pos--
		a := t.group()
		cond = a.text
	case c >= '0' && c <= '9' || c == '+' || c == '-':
		n := t.condNumber()
		cond = fmt.Sprintf("(%d)", n)
	case c == 'R': // (?(R), (?(Rn), (?(R&name): false outside a recursion, which never happens here
		for t.more() && t.src[t.pos] != ')' {
			t.pos++
		}
		t.pos++
		cond = "(?!)"
	default:
		cond = t.condName()
	}
	saved, savedU := t.fl, t.ungreedy
	body, w, branches := t.alternation()
	t.fl, t.ungreedy = saved, savedU
	if !t.more() {
		t.fail("missing )", len(t.src))
	}
	if cond == "DEFINE" {
		// Groups defined for subroutine calls: they exist (unset) but never match here.
		if len(branches) > 1 {
			t.fail("DEFINE group contains more than one branch", t.pos)
		}
		t.pos++
		return piece{text: "(?:(?!)(?:" + body + "))?"}
	}
	if len(branches) > 2 {
		t.failLate("conditional group contains more than two branches", t.pos)
	}
	t.pos++
	if len(branches) == 1 {
		body += "|"
		w.min = 0
	}
	return piece{text: "(?" + cond + body + ")", w: w, single: true}
}

func (t *translator) condNumber() int {
	sign := t.peek(0)
	if sign == '+' || sign == '-' {
		t.pos++
	}
	n := 0
	for t.more() && t.src[t.pos] >= '0' && t.src[t.pos] <= '9' {
		n = n*10 + int(t.src[t.pos]-'0')
		t.pos++
	}
	if t.peek(0) != ')' {
		t.fail("malformed number or name after (?(", t.pos)
	}
	t.pos++
	if n == 0 {
		t.fail("invalid condition (?(0)", t.pos)
	}
	switch sign {
	case '-':
		n = t.ncap - n + 1
	case '+':
		n = t.ncap + n
	}
	if n <= 0 {
		t.failLate("reference to non-existent subpattern", t.pos)
		return 1
	}
	if n > t.pre.ncap {
		t.failLate("reference to non-existent subpattern", t.pos)
	}
	return n
}

func (t *translator) condName() string {
	term := ')'
	switch t.peek(0) {
	case '<':
		term = '>'
		t.pos++
	case '\'':
		term = '\''
		t.pos++
	}
	start := t.pos
	for t.more() && isWordRune(t.src[t.pos]) {
		t.pos++
	}
	name := string(t.src[start:t.pos])
	if name == "" || t.peek(0) != term {
		t.fail("malformed number or name after (?(", t.pos)
	}
	t.pos++
	if term != ')' {
		if t.peek(0) != ')' {
			t.fail("malformed number or name after (?(", t.pos)
		}
		t.pos++
	}
	if name == "DEFINE" {
		return "DEFINE"
	}
	n, ok := 0, false
	for _, e := range t.names {
		if e.name == name {
			n, ok = e.num, true
			break
		}
	}
	if ok {
		return fmt.Sprintf("(%d)", n)
	}
	if _, ok = t.pre.names[name]; !ok {
		t.failLate("reference to non-existent subpattern", t.pos)
		return "(?!)"
	}
	return t.forward(name, true)
}
