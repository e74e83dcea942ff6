package pattern

import (
	"strconv"
	"strings"
	"sync"
)

// Capture is one value of a match: subject[Start:End] is the captured text;
// for a position capture "()" Position is set and Start == End is the byte
// offset, which Lua reports as Start+1.
type Capture struct {
	Start, End int
	Position   bool
}

var errTooLarge = &Error{"resulting string too large"}

// catch turns a pattern error raised inside the matcher into *err.
func catch(err *error) {
	if r := recover(); r != nil {
		e, ok := r.(*Error)
		if !ok {
			panic(r)
		}
		*err = e
	}
}

// anchor returns where matching starts in the pattern: after a leading '^',
// which anchors string.find, string.match and string.gsub at their start.
func (m *Matcher) anchor() (p0 int, anchored bool) {
	if len(m.pat) > 0 && m.pat[0] == '^' {
		return 1, true
	}
	return 0, false
}

// matchAt matches the pattern from p0 on at subject offset s.
func (m *Matcher) matchAt(s, p0 int) int {
	m.matched, m.level, m.depth = false, 0, maxCalls
	e := m.match(s, p0)
	m.matched, m.start, m.end = e >= 0, s, e
	return e
}

// find is Find without the recovery of errors.
func (m *Matcher) find(init int) (start, end int) {
	p0, anchored := m.anchor()
	if anchored {
		if e := m.matchAt(init, p0); e >= 0 {
			return init, e
		}
		return -1, -1
	}
	sc := m.newScanner(p0)
	for s := init; ; s++ {
		if s = m.next(&sc, s); s > len(m.src) {
			m.matched = false
			return -1, -1
		}
		if e := m.matchAt(s, p0); e >= 0 {
			return s, e
		}
		if s >= len(m.src) {
			return -1, -1
		}
	}
}

// MatchAt matches the pattern with the subject starting exactly at byte
// offset pos, as string.gmatch does at each position: a leading '^' is an
// ordinary character here. It returns the end of the match, or -1 when the
// pattern does not match there or pos is outside [0, len(subject)].
func (m *Matcher) MatchAt(pos int) (end int, err error) {
	if pos < 0 || pos > len(m.src) {
		m.matched = false
		return -1, nil
	}
	defer catch(&err)
	return m.matchAt(pos, 0), nil
}

// Find returns the first match at or after byte offset init, as string.find
// does with the 0-based init: subject[start:end] is the match. A leading '^'
// anchors the pattern at init. start and end are -1 when nothing matches.
func (m *Matcher) Find(init int) (start, end int, err error) {
	if init < 0 || init > len(m.src) {
		m.matched = false
		return -1, -1, nil
	}
	defer catch(&err)
	start, end = m.find(init)
	return start, end, nil
}

// NumCaptures returns how many values the last successful match yields, as
// string.match counts them: its captures, or 1 (the whole match) when the
// pattern has none. It is 0 when the last match failed.
func (m *Matcher) NumCaptures() int {
	if !m.matched {
		return 0
	}
	return max(m.level, 1)
}

// Capture returns value i (from 0) of the last successful match; see
// NumCaptures. A capture that was never closed ("(a") is an error, worded
// "unfinished capture" as lua5.2 words it.
func (m *Matcher) Capture(i int) (c Capture, err error) {
	if i < 0 || i >= m.NumCaptures() {
		return Capture{}, errCaptureIndex
	}
	defer catch(&err)
	return m.capture(i, m.start, m.end), nil
}

// capture is lua5.2's push_onecapture: value i of the match subject[s:e].
func (m *Matcher) capture(i, s, e int) Capture {
	if i >= m.level {
		if i != 0 {
			panic(errCaptureIndex)
		}
		return Capture{Start: s, End: e}
	}
	c := m.caps[i]
	switch c.len {
	case capUnfinished:
		panic(errUnfinished)
	case capPosition:
		return Capture{Start: c.init, End: c.init, Position: true}
	}
	return Capture{Start: c.init, End: c.init + c.len}
}

// Gsub returns a copy of s in which the first n matches of pattern (every
// match when n < 0) are replaced by repl, and the number of matches, as
// string.gsub does with a string replacement: in repl, %0 stands for the
// whole match, %1 to %9 for the captures and %% for a '%'.
func Gsub(s, pattern, repl string, n int) (result string, count int, err error) {
	var m Matcher
	m.Reset(s, pattern)
	w := newBuffer(0)
	defer catch(&err)
	count = m.gsub(w, n, func(s, e int) { m.addString(w, repl, s, e) })
	if count == 0 {
		w.release()
		return s, 0, nil
	}
	return w.String(), count, nil
}

// gsub runs string.gsub's loop, adding to w the subject with the first maxN
// matches (all when maxN < 0) replaced by what add writes for each.
func (m *Matcher) gsub(w *buffer, maxN int, add func(s, e int)) int {
	p0, anchored := m.anchor()
	var sc scanner
	if !anchored && maxN != 0 {
		sc = m.newScanner(p0)
	}
	src, copied, n := 0, 0, 0
	for maxN < 0 || n < maxN {
		if src = m.next(&sc, src); src > len(m.src) {
			break // no match from here on
		}
		e := m.matchAt(src, p0)
		if e >= 0 {
			n++
			w.add(m.src[copied:src])
			add(src, e)
			copied = e
		}
		if e > src {
			src = e
		} else if src < len(m.src) {
			src++ // the byte stays; it is copied with the next run
		} else {
			break
		}
		if anchored {
			break
		}
	}
	if n == 0 {
		w.check(len(m.src)) // the result is the subject itself
		return 0
	}
	w.add(m.src[copied:])
	return n
}

// addString adds the string replacement repl for the match subject[s:e].
func (m *Matcher) addString(w *buffer, repl string, s, e int) {
	for {
		j := strings.IndexByte(repl, '%')
		if j < 0 {
			w.add(repl)
			return
		}
		w.add(repl[:j])
		var d byte
		if j+1 < len(repl) {
			d = repl[j+1]
		}
		switch {
		case d == '0':
			w.add(m.src[s:e])
		case d >= '1' && d <= '9':
			c := m.capture(int(d-'1'), s, e)
			if c.Position {
				w.addInt(c.Start + 1)
			} else {
				w.add(m.src[c.Start:c.End])
			}
		case d == '%':
			w.add("%")
		default:
			panic(&Error{"invalid use of '%' in replacement string"})
		}
		repl = repl[j+2:]
	}
}

// buffer builds a result that may not grow past max bytes (0: no limit).
type buffer struct {
	b      []byte
	max    int
	pooled *[]byte // where b came from in bufferPool
}

// bufferPool keeps result buffers between calls; a result costs one copy.
var bufferPool = sync.Pool{New: func() any { return new([]byte) }}

// maxPooled is the largest buffer kept for reuse.
const maxPooled = 1 << 16

func newBuffer(max int) *buffer {
	p := bufferPool.Get().(*[]byte)
	return &buffer{b: (*p)[:0], max: max, pooled: p}
}

// String returns the result and gives the buffer back for reuse.
func (w *buffer) String() string {
	s := string(w.b)
	w.release()
	return s
}

// release gives the buffer back for reuse; w is empty afterwards.
func (w *buffer) release() {
	if cap(w.b) <= maxPooled {
		*w.pooled = w.b[:0]
		bufferPool.Put(w.pooled)
	}
	w.b, w.pooled = nil, nil
}

// check raises "resulting string too large" if a result of n bytes is.
func (w *buffer) check(n int) {
	if w.max > 0 && n > w.max {
		panic(errTooLarge)
	}
}

func (w *buffer) add(s string) {
	n := len(w.b)
	w.check(n + len(s))
	if n+len(s) <= cap(w.b) {
		w.b = w.b[:n+len(s)] // reslicing in place stores no pointer
		copy(w.b[n:], s)
		return
	}
	w.b = append(w.b, s...)
}

func (w *buffer) addInt(i int) {
	var a [20]byte
	w.add(string(strconv.AppendInt(a[:0], int64(i), 10)))
}
