package pattern

import (
	"strconv"
	"strings"
	"sync"
)

var errTooLarge = &Error{"resulting string too large"}

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
