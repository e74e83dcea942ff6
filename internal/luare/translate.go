package luare

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The translator reads a PCRE 8 pattern and writes an equivalent .NET pattern for regexp2.
// Everything whose meaning differs between the two is written out explicitly: case folding
// (PCRE folds ASCII only without u), \d \w \s \b (ASCII in PCRE), ^ and $ (PCRE's multiline ^
// does not match after a final newline), . and the inline options, which are applied here and
// never passed on. Capturing groups are written with explicit numbers, because .NET numbers
// named groups after unnamed ones; names are kept by the translator.

// syntaxError is a compile error worded as PCRE words it; at is a rune index into the pattern.
type syntaxError struct {
	msg string
	at  int
}

// width is the length range of what a piece of pattern matches; max < 0 means unbounded.
type width struct{ min, max int }

func (w width) fixed() bool { return w.max == w.min }

func (w width) then(o width) width {
	if w.max < 0 || o.max < 0 {
		return width{w.min + o.min, -1}
	}
	return width{w.min + o.min, w.max + o.max}
}

type nameEntry struct {
	name string
	num  int
}

type translator struct {
	src       []rune
	pos       int
	fl        Flags // current options; inline options change them within a group
	ungreedy  bool
	ncap      int
	names     []nameEntry // in order of definition
	pre       prescan
	refs      []ref          // numbered back references, checked when the whole pattern is known
	late      []*syntaxError // errors PCRE finds in its second pass: reported after syntax errors
	natomic   int
	baseFlags Flags // the compile options: called subpatterns are read with them
	noCapture bool  // inside a subroutine call: groups do not capture
	calls     []int // groups being called, to refuse recursion
	forwards  []forwardRef
	kUsed     bool
}

type ref struct{ num, at int }

// kGroupName names the empty group that marks \K; user names never reach regexp2.
const kGroupName = "goresty_K"

// translate returns the regexp2 pattern, the capture count and the named groups.
func translate(src []rune, fl Flags, start int) (out string, ncap int, names []nameEntry, kUsed bool, err *syntaxError) {
	t := &translator{src: src, fl: fl, baseFlags: fl, pre: scanGroups(src), pos: start}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*syntaxError)
			if !ok {
				panic(r)
			}
			out, err = "", se
		}
	}()
	body, _, _ := t.alternation()
	if t.pos < len(t.src) { // stopped at an unmatched ')'
		t.fail("unmatched parentheses", t.pos)
	}
	if len(t.late) > 0 {
		panic(t.late[0])
	}
	for _, r := range t.refs {
		if r.num > t.ncap {
			t.fail("reference to non-existent subpattern", r.at)
		}
	}
	body = t.resolveForwards(body)
	if fl.Anchored {
		body = `\G(?:` + body + `)`
	}
	return body, t.ncap, t.names, t.kUsed, nil
}

func (t *translator) fail(msg string, at int) {
	panic(&syntaxError{msg: msg, at: at})
}

// failLate records an error that PCRE only detects once the whole pattern has been read.
func (t *translator) failLate(msg string, at int) {
	t.late = append(t.late, &syntaxError{msg: msg, at: at})
}

func (t *translator) more() bool { return t.pos < len(t.src) }

func (t *translator) peek(k int) rune {
	if t.pos+k < len(t.src) {
		return t.src[t.pos+k]
	}
	return -1
}

func (t *translator) hasPrefix(s string) bool {
	i := t.pos
	for _, r := range s {
		if i >= len(t.src) || t.src[i] != r {
			return false
		}
		i++
	}
	return true
}

// skipExtended skips (?#...) comments, and whitespace and # comments in x mode: a quantifier
// after them applies to what came before.
func (t *translator) skipExtended() {
	for t.more() {
		switch c := t.src[t.pos]; {
		case t.hasPrefix("(?#"):
			for t.more() && t.src[t.pos] != ')' {
				t.pos++
			}
			if !t.more() {
				t.fail("missing ) after comment", len(t.src))
			}
			t.pos++
		case t.hasPrefix(`\E`):
			t.pos += 2
		case t.hasPrefix(`\Q\E`):
			t.pos += 4
		case !t.fl.Extended:
			return
		case c == ' ' || c >= '\t' && c <= '\r':
			t.pos++
		case c == '#':
			for t.more() && t.src[t.pos] != '\n' {
				t.pos++
			}
		default:
			return
		}
	}
}

// alternation parses branches up to an unmatched ')' or the end; it returns the .NET text, the
// overall width and the width of each branch.
func (t *translator) alternation() (string, width, []width) {
	var parts []string
	var widths []width
	for {
		s, w := t.sequence()
		parts = append(parts, s)
		widths = append(widths, w)
		if !t.more() || t.src[t.pos] != '|' {
			break
		}
		t.pos++
	}
	total := widths[0]
	for _, w := range widths[1:] {
		total.min = min(total.min, w.min)
		if total.max >= 0 && (w.max < 0 || w.max > total.max) {
			total.max = w.max
		}
	}
	return strings.Join(parts, "|"), total, widths
}

func (t *translator) sequence() (string, width) {
	var b strings.Builder
	w := width{}
	for {
		t.skipExtended()
		if !t.more() || t.src[t.pos] == '|' || t.src[t.pos] == ')' {
			return b.String(), w
		}
		if strings.ContainsRune("*+?", t.src[t.pos]) || t.quantifierAhead() {
			t.fail("nothing to repeat", t.quantifierErrorAt())
		}
		a := t.atom()
		t.skipExtended()
		a = t.quantify(a)
		b.WriteString(a.prefix)
		b.WriteString(a.text)
		w = w.then(a.prefixW).then(a.w)
	}
}

// piece is one translated atom: its text, its width and whether it can take a quantifier as is.
type piece struct {
	text     string
	w        width
	single   bool   // one char, class, escape or group: no (?:) needed before a quantifier
	empty    bool   // matches nothing (an option setting or a comment)
	noRepeat bool   // an anchor, \b, \B or an option setting: PCRE rejects a quantifier after it
	prefix   string // text before the quantifiable part (\Q...\E: all but the last character)
	prefixW  width
}

func (t *translator) atom() piece {
	c := t.src[t.pos]
	switch c {
	case '(':
		return t.group()
	case '[':
		start := t.pos
		t.pos++
		return piece{text: t.class(start), w: width{1, 1}, single: true}
	case '.':
		t.pos++
		if t.fl.DotAll {
			return piece{text: `[\s\S]`, w: width{1, 1}, single: true}
		}
		return piece{text: `[^\n]`, w: width{1, 1}, single: true}
	case '^':
		t.pos++
		if t.fl.Multiline {
			return piece{text: `(?:\A|(?<=\n)(?!\z))`, noRepeat: true}
		}
		return piece{text: `\A`, noRepeat: true}
	case '$':
		t.pos++
		if t.fl.Multiline {
			return piece{text: `(?=\n|\z)`, noRepeat: true}
		}
		return piece{text: `\Z`, noRepeat: true}
	case '\\':
		return t.escape()
	case ']':
		if t.fl.JSCompat {
			t.fail("] is an invalid data character in JavaScript compatibility mode", t.pos)
		}
	}
	t.pos++
	return t.char(c)
}

// char is a literal character, folded when caseless.
func (t *translator) char(c rune) piece {
	s := rangeSet{{c, c}}
	if t.fl.Caseless {
		s = foldSet(s, t.fl.UTF8)
	}
	return piece{text: emitSet(s, false), w: width{1, 1}, single: true}
}

// quantifierAhead reports whether a {n}, {n,} or {n,m} quantifier starts at the position.
func (t *translator) quantifierAhead() bool {
	_, _, n := t.braces()
	return n > 0
}

// braces parses {n}, {n,} or {n,m} at the position; n == 0 when there is none (a literal '{').
func (t *translator) braces() (lo, hi, n int) {
	if t.peek(0) != '{' {
		return 0, 0, 0
	}
	i := t.pos + 1
	digits := func() (int, int, bool) {
		start, v := i, 0
		for i < len(t.src) && t.src[i] >= '0' && t.src[i] <= '9' {
			v = min(v*10+int(t.src[i]-'0'), 1<<30)
			i++
		}
		return v, i - start, i > start
	}
	lo, _, ok := digits()
	if !ok {
		return 0, 0, 0
	}
	hi = lo
	if i < len(t.src) && t.src[i] == ',' {
		i++
		var nd int
		hi, nd, _ = digits()
		if nd == 0 {
			hi = -1
		}
	}
	if i >= len(t.src) || t.src[i] != '}' {
		return 0, 0, 0
	}
	return lo, hi, i + 1 - t.pos
}

func (t *translator) quantifierErrorAt() int {
	if _, _, n := t.braces(); n > 0 {
		return t.pos + n - 1
	}
	return t.pos
}

func (t *translator) quantify(a piece) piece {
	if !t.more() {
		return a
	}
	if a.noRepeat && (strings.ContainsRune("*+?", t.src[t.pos]) || t.quantifierAhead()) {
		t.fail("nothing to repeat", t.quantifierErrorAt())
	}
	var lo, hi int
	start := t.pos
	switch t.src[t.pos] {
	case '*':
		lo, hi = 0, -1
		t.pos++
	case '+':
		lo, hi = 1, -1
		t.pos++
	case '?':
		lo, hi = 0, 1
		t.pos++
	default:
		var n int
		if lo, hi, n = t.braces(); n == 0 {
			return a
		}
		if lo > 65535 || hi > 65535 {
			t.fail("number too big in {} quantifier", t.pos+n-1)
		}
		if hi >= 0 && hi < lo {
			t.fail("numbers out of order in {} quantifier", t.pos+n-1)
		}
		t.pos += n
	}
	lazy, possessive := t.ungreedy, false
	t.skipExtended()
	if t.more() && t.src[t.pos] == '?' {
		lazy = !lazy
		t.pos++
	} else if t.more() && t.src[t.pos] == '+' {
		possessive, lazy = true, false
		t.pos++
	}
	t.skipExtended()
	if t.more() && (strings.ContainsRune("*+?", t.src[t.pos]) || t.quantifierAhead()) {
		t.fail("nothing to repeat", t.quantifierErrorAt())
	}
	_ = start
	return t.applyQuantifier(a, lo, hi, lazy, possessive)
}

// atomic writes an atomic group as a lookahead that captures plus a back reference to it:
// regexp2's own (?>...) fails to backtrack into the zero-iterations choice of (?>a+)? .
func (t *translator) atomic(body string) string {
	t.natomic++
	name := fmt.Sprintf("goresty_a%d", t.natomic)
	return "(?:(?=(?<" + name + ">" + body + `))\k<` + name + ">)"
}

func (t *translator) applyQuantifier(a piece, lo, hi int, lazy, possessive bool) piece {
	text := a.text
	if !a.single {
		text = "(?:" + text + ")"
	}
	switch {
	case lo == 0 && hi == -1:
		text += "*"
	case lo == 1 && hi == -1:
		text += "+"
	case lo == 0 && hi == 1:
		text += "?"
	case hi == -1:
		text += fmt.Sprintf("{%d,}", lo)
	case lo == hi:
		text += fmt.Sprintf("{%d}", lo)
	default:
		text += fmt.Sprintf("{%d,%d}", lo, hi)
	}
	if lazy {
		text += "?"
	}
	if possessive {
		text = t.atomic(text)
	}
	w := width{a.w.min * lo, -1}
	if hi >= 0 && a.w.max >= 0 {
		w.max = a.w.max * hi
	}
	return piece{text: text, w: w, single: true, prefix: a.prefix, prefixW: a.prefixW}
}

// decodePattern turns the pattern into code points: bytes as Latin-1 without u, UTF-8 with it.
// offs[i] is the byte offset of rune i; offs[len] is the pattern length.
func decodePattern(p string, utf bool) (src []rune, offs []int, bad int) {
	src = make([]rune, 0, len(p))
	offs = make([]int, 0, len(p)+1)
	for i := 0; i < len(p); {
		if !utf {
			src, offs = append(src, rune(p[i])), append(offs, i)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(p[i:])
		if r == utf8.RuneError && n <= 1 {
			return nil, nil, i
		}
		src, offs = append(src, r), append(offs, i)
		i += n
	}
	return src, append(offs, len(p)), -1
}
