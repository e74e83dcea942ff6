package luare

import (
	"fmt"
	"slices"
	"strings"
)

// prescan is what the translator knows of the whole pattern before translating it: how many
// capturing groups there are, the number of each name and where each group's content lies, so
// that forward references and subroutine calls work.
type prescan struct {
	ncap  int
	names map[string]int
	spans map[int][2]int // group number -> rune indexes of its content and of its ')'
}

// scanGroups counts and locates capturing groups (branch resets aside).
func scanGroups(src []rune) prescan {
	p := prescan{names: map[string]int{}, spans: map[int][2]int{}}
	var stack []openGroup
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\\':
			if i+1 < len(src) && src[i+1] == 'Q' {
				for i += 2; i+1 < len(src) && !(src[i] == '\\' && src[i+1] == 'E'); i++ {
				}
			}
			i++
		case '[':
			i = skipClass(src, i)
		case ')':
			if n := len(stack); n > 0 {
				if top := stack[n-1]; top.num > 0 {
					p.spans[top.num] = [2]int{top.start, i}
				}
				stack = stack[:n-1]
			}
		case '(':
			i, stack = p.open(src, i, stack)
		}
	}
	return p
}

// open handles the '(' at i and returns the index to continue from and the new stack.
// openGroup is a group being scanned: its number (0: not capturing) and where its content starts.
type openGroup struct{ num, start int }

func (p *prescan) open(src []rune, i int, stack []openGroup) (int, []openGroup) {
	at := func(k int) rune {
		if k < len(src) {
			return src[k]
		}
		return 0
	}
	if at(i+1) == '*' || at(i+1) == '?' && at(i+2) == '#' { // a verb or a comment: no group
		for i < len(src) && src[i] != ')' {
			i++
		}
		return i, stack
	}
	if at(i+1) != '?' {
		p.ncap++
		return i, append(stack, openGroup{p.ncap, i + 1})
	}
	if at(i+2) == '(' { // (?(cond)...: the condition's parentheses are no group either
		return i + 2, append(stack, openGroup{}, openGroup{})
	}
	start := -1
	switch {
	case at(i+2) == 'P' && at(i+3) == '<':
		start = i + 4
	case at(i+2) == '<' && at(i+3) != '=' && at(i+3) != '!', at(i+2) == '\'':
		start = i + 3
	}
	if start < 0 {
		return i, append(stack, openGroup{})
	}
	p.ncap++
	end := start
	for end < len(src) && isWordRune(src[end]) {
		end++
	}
	if _, dup := p.names[string(src[start:end])]; !dup {
		p.names[string(src[start:end])] = p.ncap
	}
	return i, append(stack, openGroup{p.ncap, end + 1})
}

// skipClass returns the index of the ']' that closes the class opened at i (or the end).
func skipClass(src []rune, i int) int {
	j := i + 1
	if j < len(src) && src[j] == '^' {
		j++
	}
	if j < len(src) && src[j] == ']' {
		j++
	}
	for ; j < len(src) && src[j] != ']'; j++ {
		if src[j] == '\\' {
			j++
		} else if src[j] == '[' && j+1 < len(src) && src[j+1] == ':' {
			if k := strings.Index(string(src[j:]), ":]"); k > 0 {
				j += len([]rune(string(src[j:])[:k])) + 1
			}
		}
	}
	return j
}

func isWordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// group parses from '(' to its ')'.
func (t *translator) group() piece {
	open := t.pos
	t.pos++
	if t.peek(0) == '*' {
		return t.verb(open)
	}
	if t.peek(0) != '?' {
		if t.noCapture {
			return t.enclosed("(?:", open, false)
		}
		t.ncap++
		return t.capture(t.ncap, open)
	}
	t.pos++
	c := t.peek(0)
	switch {
	case c == '#':
		for t.more() && t.src[t.pos] != ')' {
			t.pos++
		}
		if !t.more() {
			t.fail("missing ) after comment", len(t.src))
		}
		t.pos++
		return piece{empty: true}
	case c == ':':
		t.pos++
		return t.enclosed("(?:", open, false)
	case c == '>':
		t.pos++
		p := t.enclosed("(?:", open, false)
		p.text = t.atomic(p.text)
		return p
	case c == '|':
		t.pos++
		return t.branchReset(open)
	case c == '=' || c == '!':
		t.pos++
		p := t.enclosed("(?"+string(c), open, false)
		p.w = width{}
		return p
	case c == '<' && (t.peek(1) == '=' || t.peek(1) == '!'):
		t.pos += 2
		p := t.enclosed("(?<"+string(t.src[t.pos-1]), open, true)
		p.w = width{}
		return p
	case c == '<' || c == '\'' || (c == 'P' && t.peek(1) == '<'):
		if c == 'P' {
			t.pos++
		}
		return t.namedCapture()
	case c == 'P' && t.peek(1) == '=':
		t.pos += 2
		name := t.name(')')
		return t.backrefByName(name, t.pos-1)
	case c == '(':
		return t.conditional(open)
	case c == 'R' || c == '&' || c >= '0' && c <= '9' || c == 'P' && t.peek(1) == '>' ||
		(c == '+' || c == '-') && t.peek(1) >= '0' && t.peek(1) <= '9':
		return t.subroutine()
	case c == 'C': // a callout: without a callout function PCRE ignores it
		for t.more() && t.src[t.pos] != ')' {
			t.pos++
		}
		if !t.more() {
			t.fail("closing ) for (?C expected", t.pos)
		}
		t.pos++
		return piece{empty: true}
	}
	return t.options(open)
}

// enclosed translates the inside of a group up to its ')' and wraps it in prefix...).
func (t *translator) enclosed(prefix string, open int, lookbehind bool) piece {
	saved, savedU := t.fl, t.ungreedy
	body, w, branches := t.alternation()
	t.fl, t.ungreedy = saved, savedU
	if !t.more() {
		t.fail("missing )", len(t.src))
	}
	if lookbehind {
		for _, b := range branches {
			if !b.fixed() {
				t.fail("lookbehind assertion is not fixed length", t.pos)
			}
		}
	}
	t.pos++
	return piece{text: prefix + body + ")", w: w, single: true}
}

func (t *translator) capture(num, open int) piece {
	p := t.enclosed(fmt.Sprintf("(?<%d>", num), open, false)
	return p
}

func (t *translator) namedCapture() piece {
	term := '>'
	if t.src[t.pos] == '\'' {
		term = '\''
	}
	t.pos++
	name := t.name(term)
	if t.noCapture {
		return t.enclosed("(?:", t.pos, false)
	}
	for _, e := range t.names {
		if e.name == name && !t.fl.DupNames {
			t.fail("two named subpatterns have the same name", t.pos-1)
		}
	}
	t.ncap++
	t.names = append(t.names, nameEntry{name, t.ncap})
	return t.capture(t.ncap, t.pos)
}

// name reads a group name ended by term and leaves the position after term.
func (t *translator) name(term rune) string {
	start := t.pos
	if t.more() && t.src[t.pos] >= '0' && t.src[t.pos] <= '9' {
		t.fail("group name must start with a non-digit", t.pos)
	}
	for t.more() && isWordRune(t.src[t.pos]) {
		t.pos++
	}
	if t.pos-start > 32 {
		t.fail("subpattern name is too long (maximum 32 characters)", t.pos)
	}
	if !t.more() || t.src[t.pos] != term {
		t.fail("syntax error in subpattern name (missing terminator)", t.pos)
	}
	t.pos++
	return string(t.src[start : t.pos-1])
}

// branchReset numbers the captures of each branch of (?|...) from the same start.
func (t *translator) branchReset(open int) piece {
	saved, savedU := t.fl, t.ungreedy
	base, top := t.ncap, t.ncap
	var parts []string
	var w width
	for first := true; ; first = false {
		t.ncap = base
		s, bw := t.sequence()
		parts = append(parts, s)
		top = max(top, t.ncap)
		if first {
			w = bw
		} else {
			w.min = min(w.min, bw.min)
			if w.max >= 0 && (bw.max < 0 || bw.max > w.max) {
				w.max = bw.max
			}
		}
		if !t.more() || t.src[t.pos] != '|' {
			break
		}
		t.pos++
	}
	t.ncap = top
	t.fl, t.ungreedy = saved, savedU
	if !t.more() {
		t.fail("missing )", len(t.src))
	}
	t.pos++
	return piece{text: "(?:" + strings.Join(parts, "|") + ")", w: w, single: true}
}

// options handles (?imsxJUX-imsx) and (?imsx-imsx:...).
func (t *translator) options(open int) piece {
	on := true
	fl, ung := t.fl, t.ungreedy
	for t.more() {
		c := t.src[t.pos]
		switch c {
		case 'i':
			fl.Caseless = on
		case 'm':
			fl.Multiline = on
		case 's':
			fl.DotAll = on
		case 'x':
			fl.Extended = on
		case 'J':
			fl.DupNames = on
		case 'U':
			ung = on
		case 'X':
		case '-':
			if !on {
				t.fail("unrecognized character after (? or (?-", t.pos)
			}
			on = false
		case ')':
			t.pos++
			t.fl, t.ungreedy = fl, ung
			return piece{empty: true, noRepeat: true}
		case ':':
			t.pos++
			saved, savedU := t.fl, t.ungreedy
			t.fl, t.ungreedy = fl, ung
			p := t.enclosed("(?:", open, false)
			t.fl, t.ungreedy = saved, savedU
			return p
		default:
			t.fail("unrecognized character after (? or (?-", t.pos)
		}
		t.pos++
	}
	t.fail("unrecognized character after (? or (?-", len(t.src))
	return piece{}
}

// verb handles (*FAIL) and friends; the backtracking-control verbs have no .NET equivalent.
func (t *translator) verb(open int) piece {
	end := t.pos
	for end < len(t.src) && t.src[end] != ')' {
		end++
	}
	if end >= len(t.src) {
		t.fail("(*VERB) not recognized or malformed", len(t.src))
	}
	name := string(t.src[t.pos+1 : end])
	t.pos = end + 1
	switch name {
	case "FAIL", "F":
		return piece{text: "(?!)"}
	case "ACCEPT", "COMMIT", "PRUNE", "SKIP", "THEN":
		t.fail("(*"+name+") is not supported", end)
	}
	if i := strings.IndexByte(name, ':'); i >= 0 && strings.Contains("MARK PRUNE SKIP THEN", name[:i]) && i > 0 {
		t.fail("(*"+name[:i]+") is not supported", end)
	}
	t.fail("(*VERB) not recognized or malformed", end)
	return piece{}
}

// subroutine handles (?n), (?+n), (?-n), (?&name) and (?P>name): a call of the group's pattern,
// atomic and without captures, as in PCRE. Recursion ((?R) or a call from inside the group)
// is not supported: regexp2 cannot recurse.
func (t *translator) subroutine() piece {
	start := t.pos
	for t.more() && t.src[t.pos] != ')' {
		t.pos++
	}
	if !t.more() {
		t.fail("(?R or (?[+-]digits must be followed by )", t.pos)
	}
	ref := string(t.src[start:t.pos])
	t.pos++
	switch {
	case strings.HasPrefix(ref, "&"):
		return t.callName(ref[1:], t.pos-1)
	case strings.HasPrefix(ref, "P>"):
		return t.callName(ref[2:], t.pos-1)
	}
	return t.callNumber(ref, start)
}

func (t *translator) callName(name string, at int) piece {
	n, ok := t.pre.names[name]
	if !ok {
		t.failLate("reference to non-existent subpattern", at)
		return piece{text: "(?!)"}
	}
	return t.call(n, at)
}

// callNumber resolves "R", "n", "+n" or "-n".
func (t *translator) callNumber(ref string, at int) piece {
	if ref == "R" || ref == "0" {
		t.fail("recursive subroutine calls are not supported", at)
	}
	n := 0
	digits := strings.TrimLeft(ref, "+-")
	for _, c := range digits {
		if c < '0' || c > '9' {
			t.fail("(?R or (?[+-]digits must be followed by )", at)
		}
		n = min(n*10+int(c-'0'), 1<<20)
	}
	switch {
	case strings.HasPrefix(ref, "+"):
		n += t.ncap
	case strings.HasPrefix(ref, "-"):
		n = t.ncap - n + 1
	}
	if n <= 0 || n > t.pre.ncap {
		t.failLate("reference to non-existent subpattern", at+len([]rune(ref)))
		return piece{text: "(?!)"}
	}
	return t.call(n, at)
}

// call inlines group n's pattern.
func (t *translator) call(n, at int) piece {
	span, ok := t.pre.spans[n]
	if !ok || (span[0] <= at && at <= span[1]) || slices.Contains(t.calls, n) {
		t.fail("recursive subroutine calls are not supported", at)
	}
	saved, savedU, savedPos, savedNC := t.fl, t.ungreedy, t.pos, t.noCapture
	t.fl, t.ungreedy, t.pos, t.noCapture = t.baseFlags, false, span[0], true
	t.calls = append(t.calls, n)
	body, w, _ := t.alternation()
	t.calls = t.calls[:len(t.calls)-1]
	t.fl, t.ungreedy, t.pos, t.noCapture = saved, savedU, savedPos, savedNC
	return piece{text: t.atomic(body), w: w, single: true}
}
