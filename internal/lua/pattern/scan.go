package pattern

import "strings"

// scanner skips subject positions where a match cannot start, so that a
// search does not enter the matcher at every byte. It only skips positions
// where lua5.2's matcher would fail at once, without error or side effect:
// those where the first single-character class of the pattern (after any
// opening captures) does not match and may not match empty.
type scanner struct {
	q, ep int  // the first class is pat[q:ep]
	lit   int  // its byte when it is a plain character, else -1
	on    bool // whether positions can be skipped at all
}

// newScanner inspects the pattern from p0 on. Like the first match attempt
// it replaces, it raises the errors of a malformed first class.
func (m *Matcher) newScanner(p0 int) scanner {
	q, level := p0, 0
	for q < len(m.pat) && m.pat[q] == '(' && level < MaxCaptures-1 {
		if m.patAt(q+1) == ')' {
			q++
		}
		q++
		level++
	}
	if q >= len(m.pat) {
		return scanner{}
	}
	switch c := m.pat[q]; c {
	case '(', ')':
		return scanner{}
	case '$':
		if q+1 == len(m.pat) {
			return scanner{}
		}
	case '%':
		if d := m.patAt(q + 1); d == 'b' || d == 'f' || (d >= '0' && d <= '9') {
			return scanner{}
		}
	}
	ep := m.classEnd(q)
	if s := m.patAt(ep); s == '*' || s == '?' || s == '-' {
		return scanner{}
	}
	sc := scanner{q: q, ep: ep, lit: -1, on: true}
	if c := m.pat[q]; c != '.' && c != '%' && c != '[' {
		sc.lit = int(c)
	}
	return sc
}

// next returns the first position from s on where a match may start, or
// len(subject)+1 when there is none.
func (m *Matcher) next(sc *scanner, s int) int {
	if !sc.on {
		return s
	}
	if sc.lit >= 0 {
		if s >= len(m.src) {
			return len(m.src) + 1
		}
		if i := strings.IndexByte(m.src[s:], byte(sc.lit)); i >= 0 {
			return s + i
		}
		return len(m.src) + 1
	}
	for s < len(m.src) && !m.singleMatch(s, sc.q, sc.ep) {
		s++
	}
	if s == len(m.src) {
		return s + 1 // a class never matches past the end
	}
	return s
}
