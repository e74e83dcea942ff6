package pattern

import "strconv"

// MaxCaptures is the most captures one pattern may open (LUA_MAXCAPTURES).
const MaxCaptures = 32

// maxCalls bounds the recursion of one match, as MAXCCALLS does in lua5.2;
// deeper patterns fail with "pattern too complex" instead of growing the stack.
const maxCalls = 200

// Capture lengths below zero mark captures that hold no text.
const (
	capUnfinished = -1
	capPosition   = -2
)

// Error is a malformed pattern or a misused capture. Its message is worded
// exactly as lua5.2 words it, for example "malformed pattern (missing ']')".
type Error struct {
	msg string
}

// Error returns the message as Lua words it.
func (e *Error) Error() string { return e.msg }

var (
	errEndsWithPercent = &Error{"malformed pattern (ends with '%')"}
	errMissingBracket  = &Error{"malformed pattern (missing ']')"}
	errBalanceArgs     = &Error{"malformed pattern (missing arguments to '%b')"}
	errFrontier        = &Error{"missing '[' after '%f' in pattern"}
	errTooComplex      = &Error{"pattern too complex"}
	errTooManyCaptures = &Error{"too many captures"}
	errPatternCapture  = &Error{"invalid pattern capture"}
	errUnfinished      = &Error{"unfinished capture"}
	errCaptureIndex    = &Error{"invalid capture index"}
)

type capture struct {
	init, len int
}

// Matcher matches one Lua 5.2 pattern against one subject, byte by byte.
// The zero value holds the empty pattern and the empty subject; Reset sets
// both. After a successful Find or MatchAt, NumCaptures and Capture give the
// values of the match. A Matcher does not allocate while it matches, so one
// can live on the stack or serve every match of a loop. It is not safe for
// concurrent use.
type Matcher struct {
	src     string
	pat     string
	depth   int
	level   int
	matched bool // the last Find or MatchAt matched subject[start:end]
	start   int
	end     int
	caps    [MaxCaptures]capture
}

// Reset makes m match pattern against subject and forgets the last match.
func (m *Matcher) Reset(subject, pattern string) {
	m.src, m.pat = subject, pattern
	m.matched, m.level = false, 0
}

// patAt returns the pattern byte at p, or 0 past its end, as reading a C
// string up to its terminator would.
func (m *Matcher) patAt(p int) byte {
	if p < len(m.pat) {
		return m.pat[p]
	}
	return 0
}

// srcAt is patAt for the subject.
func (m *Matcher) srcAt(s int) byte {
	if s < len(m.src) {
		return m.src[s]
	}
	return 0
}

// classEnd returns the index just past the single-character class at p.
func (m *Matcher) classEnd(p int) int {
	c := m.pat[p]
	p++
	switch c {
	case '%':
		if p >= len(m.pat) {
			panic(errEndsWithPercent)
		}
		return p + 1
	case '[':
		if m.patAt(p) == '^' {
			p++
		}
		for { // look for the closing ']'; the first byte never closes
			if p >= len(m.pat) {
				panic(errMissingBracket)
			}
			c := m.pat[p]
			p++
			if c == '%' && p < len(m.pat) {
				p++ // skip escapes such as "%]"
			}
			if m.patAt(p) == ']' {
				return p + 1
			}
		}
	}
	return p
}

// matchBracket reports whether c is in the set that opens at p ('[') and
// closes at ec (']').
func (m *Matcher) matchBracket(c byte, p, ec int) bool {
	in := true
	if m.pat[p+1] == '^' {
		in = false
		p++
	}
	for p++; p < ec; p++ {
		switch {
		case m.pat[p] == '%':
			p++
			if matchClass(c, m.pat[p]) {
				return in
			}
		case m.pat[p+1] == '-' && p+2 < ec:
			p += 2
			if m.pat[p-2] <= c && c <= m.pat[p] {
				return in
			}
		case m.pat[p] == c:
			return in
		}
	}
	return !in
}

// singleMatch reports whether the subject byte at s matches the class at p
// that ends at ep.
func (m *Matcher) singleMatch(s, p, ep int) bool {
	if s >= len(m.src) {
		return false
	}
	c := m.src[s]
	switch m.pat[p] {
	case '.':
		return true
	case '%':
		return matchClass(c, m.pat[p+1])
	case '[':
		return m.matchBracket(c, p, ep-1)
	}
	return m.pat[p] == c
}

// matchBalance matches %bxy, whose x is at p, at s; it returns the end or -1.
func (m *Matcher) matchBalance(s, p int) int {
	if p >= len(m.pat)-1 {
		panic(errBalanceArgs)
	}
	if m.srcAt(s) != m.pat[p] {
		return -1
	}
	b, e, cont := m.pat[p], m.pat[p+1], 1
	for s++; s < len(m.src); s++ {
		switch m.src[s] {
		case e:
			if cont--; cont == 0 {
				return s + 1
			}
		case b:
			cont++
		}
	}
	return -1
}

func (m *Matcher) maxExpand(s, p, ep int) int {
	i := m.span(s, p, ep)
	for ; i >= 0; i-- {
		if res := m.match(s+i, ep+1); res >= 0 {
			return res
		}
	}
	return -1
}

// span returns how many bytes from s on match the class at p, which ends at
// ep; it is singleMatch in a loop, specialised per kind of class.
func (m *Matcher) span(s, p, ep int) int {
	rest := m.src[s:]
	switch c := m.pat[p]; c {
	case '.':
		return len(rest)
	case '%':
		cl := m.pat[p+1]
		for i := 0; i < len(rest); i++ {
			if !matchClass(rest[i], cl) {
				return i
			}
		}
	case '[':
		for i := 0; i < len(rest); i++ {
			if !m.matchBracket(rest[i], p, ep-1) {
				return i
			}
		}
	default:
		for i := 0; i < len(rest); i++ {
			if rest[i] != c {
				return i
			}
		}
	}
	return len(rest)
}

func (m *Matcher) minExpand(s, p, ep int) int {
	for {
		if res := m.match(s, ep+1); res >= 0 {
			return res
		}
		if !m.singleMatch(s, p, ep) {
			return -1
		}
		s++
	}
}

func (m *Matcher) startCapture(s, p, what int) int {
	if m.level >= MaxCaptures {
		panic(errTooManyCaptures)
	}
	m.caps[m.level] = capture{init: s, len: what}
	m.level++
	res := m.match(s, p)
	if res < 0 {
		m.level--
	}
	return res
}

func (m *Matcher) endCapture(s, p int) int {
	l := m.level - 1
	for l >= 0 && m.caps[l].len != capUnfinished {
		l--
	}
	if l < 0 {
		panic(errPatternCapture)
	}
	m.caps[l].len = s - m.caps[l].init
	res := m.match(s, p)
	if res < 0 {
		m.caps[l].len = capUnfinished
	}
	return res
}

// matchCapture matches the back-reference %d (d is the digit byte) at s.
func (m *Matcher) matchCapture(s int, d byte) int {
	l := int(d) - '1'
	if l < 0 || l >= m.level || m.caps[l].len == capUnfinished {
		panic(&Error{"invalid capture index %" + strconv.Itoa(l+1)})
	}
	c := m.caps[l]
	if c.len == capPosition || len(m.src)-s < c.len || m.src[c.init:c.init+c.len] != m.src[s:s+c.len] {
		return -1
	}
	return s + c.len
}

// match returns the end of the match of the pattern from p on with the
// subject from s on, or -1. It mirrors lua5.2's do_match: the cases that C
// handles with "goto init" loop here, so the recursion depth (and thus
// "pattern too complex") is the same as lua5.2's.
func (m *Matcher) match(s, p int) int {
	if m.depth == 0 {
		panic(errTooComplex)
	}
	m.depth--
	for more := true; more && p < len(m.pat); {
		switch m.pat[p] {
		case '(':
			if m.patAt(p+1) == ')' {
				s = m.startCapture(s, p+2, capPosition)
			} else {
				s = m.startCapture(s, p+1, capUnfinished)
			}
			more = false
		case ')':
			s = m.endCapture(s, p+1)
			more = false
		case '$':
			if p+1 == len(m.pat) {
				if s != len(m.src) {
					s = -1
				}
				more = false
				break
			}
			s, p, more = m.matchDefault(s, p)
		case '%':
			s, p, more = m.matchEscape(s, p)
		default:
			s, p, more = m.matchDefault(s, p)
		}
	}
	m.depth++
	return s
}

// matchEscape handles %b, %f and back-references at p; other escapes are
// single-character classes. more reports whether matching goes on at (s, p).
func (m *Matcher) matchEscape(s, p int) (int, int, bool) {
	switch c := m.patAt(p + 1); {
	case c == 'b':
		if s = m.matchBalance(s, p+2); s >= 0 {
			return s, p + 4, true
		}
		return -1, p, false
	case c == 'f':
		p += 2
		if m.patAt(p) != '[' {
			panic(errFrontier)
		}
		ep := m.classEnd(p)
		var prev byte
		if s > 0 {
			prev = m.src[s-1]
		}
		if !m.matchBracket(prev, p, ep-1) && m.matchBracket(m.srcAt(s), p, ep-1) {
			return s, ep, true
		}
		return -1, p, false
	case c >= '0' && c <= '9':
		if s = m.matchCapture(s, c); s >= 0 {
			return s, p + 2, true
		}
		return -1, p, false
	}
	return m.matchDefault(s, p)
}

// matchDefault matches a single-character class at p with its optional
// suffix '*', '+', '-' or '?'.
func (m *Matcher) matchDefault(s, p int) (int, int, bool) {
	ep := m.classEnd(p)
	suffix := m.patAt(ep)
	if !m.singleMatch(s, p, ep) {
		if suffix == '*' || suffix == '?' || suffix == '-' {
			return s, ep + 1, true // accepts the empty match
		}
		return -1, p, false
	}
	switch suffix {
	case '?':
		if res := m.match(s+1, ep+1); res >= 0 {
			return res, p, false
		}
		return s, ep + 1, true
	case '+':
		return m.maxExpand(s+1, p, ep), p, false
	case '*':
		return m.maxExpand(s, p, ep), p, false
	case '-':
		return m.minExpand(s, p, ep), p, false
	}
	return s + 1, ep, true
}
