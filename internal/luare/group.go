package luare

import (
	"fmt"
	"strings"
)

// prescan is what the translator knows of the whole pattern before translating it: how many
// capturing groups there are and the number of each name, so that forward references work.
type prescan struct {
	ncap  int
	names map[string]int
}

// scanGroups counts capturing groups and numbers the named ones (branch resets aside).
func scanGroups(src []rune) prescan {
	p := prescan{names: map[string]int{}}
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
		case '(':
			if i+1 < len(src) && (src[i+1] == '*') {
				continue
			}
			if i+1 >= len(src) || src[i+1] != '?' {
				p.ncap++
				continue
			}
			if i+2 < len(src) && src[i+2] == '(' {
				i += 2 // the condition of (?(...)...) is not a group
				continue
			}
			rest := string(src[i+2 : min(len(src), i+4)])
			start := -1
			switch {
			case strings.HasPrefix(rest, "P<"):
				start = i + 4
			case strings.HasPrefix(rest, "<") && !strings.HasPrefix(rest, "<=") && !strings.HasPrefix(rest, "<!"),
				strings.HasPrefix(rest, "'"):
				start = i + 3
			}
			if start >= 0 {
				p.ncap++
				end := start
				for end < len(src) && isWordRune(src[end]) {
					end++
				}
				if _, dup := p.names[string(src[start:end])]; !dup {
					p.names[string(src[start:end])] = p.ncap
				}
			}
		}
	}
	return p
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
	case c == 'C':
		t.fail("callouts are not supported", t.pos)
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

// subroutine rejects (?R), (?1), (?-1), (?&name) and (?P>name): regexp2 cannot recurse.
func (t *translator) subroutine() piece {
	start := t.pos
	for t.more() && t.src[t.pos] != ')' {
		t.pos++
	}
	if !t.more() {
		t.fail("(?R or (?[+-]digits must be followed by )", t.pos)
	}
	body := string(t.src[start:t.pos])
	switch {
	case strings.HasPrefix(body, "&"):
		if _, ok := t.pre.names[body[1:]]; !ok {
			t.fail("reference to non-existent subpattern", t.pos)
		}
	case strings.HasPrefix(body, "P>"):
		if _, ok := t.pre.names[body[2:]]; !ok {
			t.fail("reference to non-existent subpattern", t.pos)
		}
	}
	t.fail("subroutine calls and recursion are not supported", start)
	return piece{}
}
