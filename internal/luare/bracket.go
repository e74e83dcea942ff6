package luare

// classItem is one member of a bracket class: a single character or a set.
type classItem struct {
	set    rangeSet
	char   rune
	isChar bool
	nofold bool // Unicode properties are not affected by caseless matching
	at     int  // where the item starts
}

// class translates a bracket class; start is the '[' and the position is just after it.
func (t *translator) class(start int) string {
	if t.peek(0) == ':' || t.peek(0) == '.' || t.peek(0) == '=' {
		if t.posixEnd(t.pos) > 0 {
			t.fail("POSIX named classes are supported only within a class", start)
		}
	}
	neg := false
	if t.peek(0) == '^' {
		neg = true
		t.pos++
	}
	if t.fl.JSCompat && t.peek(0) == ']' { // JavaScript: [] matches nothing, [^] anything
		t.pos++
		return emitSet(nil, neg)
	}
	var fold, keep rangeSet
	add := func(it classItem) {
		s := it.set
		if it.isChar {
			s = rangeSet{{it.char, it.char}}
		}
		if it.nofold {
			keep = append(keep, s...)
		} else {
			fold = append(fold, s...)
		}
	}
	quote := false
	for first := true; ; first = false {
		t.skipQuoteMarks(&quote)
		if !t.more() {
			t.fail("missing terminating ] for character class", len(t.src))
		}
		if t.src[t.pos] == ']' && !first && !quote {
			t.pos++
			break
		}
		it := t.classMember(quote)
		t.skipQuoteMarks(&quote)
		if !it.isChar || quote || t.peek(0) != '-' || t.peek(1) == ']' || t.peek(1) == -1 {
			add(it)
			continue
		}
		t.pos++ // '-'
		t.skipQuoteMarks(&quote)
		if !t.more() {
			t.fail("missing terminating ] for character class", len(t.src))
		}
		hi := t.classMember(quote)
		if !hi.isChar {
			t.fail("invalid range in character class", t.pos-1)
		}
		if hi.char < it.char {
			t.fail("range out of order in character class", t.pos-1)
		}
		fold = append(fold, rng{it.char, hi.char})
	}
	if t.fl.Caseless {
		fold = foldSet(fold, t.fl.UTF8)
	}
	return emitSet(append(fold, keep...), neg)
}

// posixEnd returns the index after ":]" when a POSIX class [:name:] starts at i (on the ':'),
// or 0.
func (t *translator) posixEnd(i int) int {
	term := t.src[i]
	for j := i + 1; j+1 < len(t.src); j++ {
		if t.src[j] == term && t.src[j+1] == ']' {
			return j + 2
		}
		if t.src[j] == ']' || t.src[j] == '\\' || t.src[j] == '[' {
			return 0
		}
	}
	return 0
}

func (t *translator) classItem() classItem {
	at := t.pos
	c := t.src[t.pos]
	if c == '[' && (t.peek(1) == ':' || t.peek(1) == '.' || t.peek(1) == '=') {
		if end := t.posixEnd(t.pos + 1); end > 0 {
			return t.posixClass(end)
		}
	}
	if c != '\\' {
		t.pos++
		return classItem{char: c, isChar: true, at: at}
	}
	t.pos++
	if !t.more() {
		t.fail(`\ at end of pattern`, len(t.src))
	}
	e := t.src[t.pos]
	if s, ok := t.shorthand(e); ok {
		t.pos++
		return classItem{set: s, at: at}
	}
	switch e {
	case 'p', 'P':
		t.pos++
		return classItem{set: t.property(e == 'P'), nofold: true, at: at}
	case 'N':
		t.fail(`\N is not supported in a class`, t.pos)
	case 'R', 'X':
		t.fail("escape sequence is invalid in character class", t.pos)
	}
	if e >= '8' && e <= '9' {
		t.pos++
		return classItem{char: e, isChar: true, at: at}
	}
	return classItem{char: t.charEscape(true), isChar: true, at: at}
}

// skipQuoteMarks steps over \Q and \E inside a class, tracking whether a quote is open.
func (t *translator) skipQuoteMarks(quote *bool) {
	for {
		switch {
		case *quote && t.hasPrefix(`\E`):
			t.pos += 2
			*quote = false
		case !*quote && t.hasPrefix(`\Q`):
			t.pos += 2
			*quote = true
		case !*quote && t.hasPrefix(`\E`):
			t.pos += 2
		default:
			return
		}
	}
}

func (t *translator) classMember(quote bool) classItem {
	if quote {
		t.pos++
		return classItem{char: t.src[t.pos-1], isChar: true, at: t.pos - 1}
	}
	return t.classItem()
}

func (t *translator) posixClass(end int) classItem {
	at := t.pos
	nameStart := t.pos + 2
	neg := false
	if t.src[nameStart] == '^' {
		neg = true
		nameStart++
	}
	if t.src[t.pos+1] != ':' {
		t.fail("POSIX collating elements are not supported", t.pos)
	}
	name := string(t.src[nameStart : end-2])
	s, ok := posixClasses[name]
	if prop, isUCP := ucpPosix[name]; isUCP && t.fl.ucp {
		s, _ = property(prop)
	}
	if !ok {
		t.fail("unknown POSIX class name", nameStart)
	}
	t.pos = end
	if neg {
		s = s.negate()
	}
	return classItem{set: s, at: at}
}

// ucpPosix maps POSIX classes to the Unicode properties they mean after (*UCP).
var ucpPosix = map[string]string{"alnum": "Xan", "alpha": "L", "digit": "Nd", "lower": "Ll",
	"space": "Xps", "upper": "Lu", "word": "Xwd"}
