package pattern

// Capture is one value of a match: subject[Start:End] is the captured text;
// for a position capture "()" Position is set and Start == End is the byte
// offset, which Lua reports as Start+1.
type Capture struct {
	Start, End int
	Position   bool
}

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
