package luare

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
)

const maxRune = unicode.MaxRune

// rng is an inclusive range of code points (bytes, in non-UTF mode).
type rng struct{ lo, hi rune }

// rangeSet is a set of code points; normalize sorts and merges it.
type rangeSet []rng

func (s rangeSet) normalize() rangeSet {
	if len(s) < 2 {
		return s
	}
	s = slices.Clone(s)
	slices.SortFunc(s, func(a, b rng) int { return int(a.lo - b.lo) })
	out := s[:1]
	for _, r := range s[1:] {
		last := &out[len(out)-1]
		if r.lo <= last.hi+1 {
			last.hi = max(last.hi, r.hi)
		} else {
			out = append(out, r)
		}
	}
	return out
}

func (s rangeSet) negate() rangeSet {
	var out rangeSet
	next := rune(0)
	for _, r := range s.normalize() {
		if r.lo > next {
			out = append(out, rng{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= maxRune {
		out = append(out, rng{next, maxRune})
	}
	return out
}

func (s rangeSet) single() (rune, bool) {
	n := s.normalize()
	if len(n) == 1 && n[0].lo == n[0].hi {
		return n[0].lo, true
	}
	return 0, false
}

func set(pairs ...rune) rangeSet {
	var s rangeSet
	for i := 0; i+1 < len(pairs); i += 2 {
		s = append(s, rng{pairs[i], pairs[i+1]})
	}
	return s
}

// PCRE's shorthand classes without UCP: ASCII only, as its default character tables.
var (
	setDigit = set('0', '9')
	setWord  = set('0', '9', 'A', 'Z', '_', '_', 'a', 'z')
	setSpace = set('\t', '\r', ' ', ' ')
	setHSpc  = set('\t', '\t', ' ', ' ', 0xA0, 0xA0)
	setHSpcU = set('\t', '\t', ' ', ' ', 0xA0, 0xA0, 0x1680, 0x1680, 0x180E, 0x180E, 0x2000, 0x200A,
		0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000)
	setVSpc  = set('\n', '\r', 0x85, 0x85)
	setVSpcU = set('\n', '\r', 0x85, 0x85, 0x2028, 0x2029)
)

var posixClasses = map[string]rangeSet{
	"alpha":  set('A', 'Z', 'a', 'z'),
	"digit":  setDigit,
	"alnum":  set('0', '9', 'A', 'Z', 'a', 'z'),
	"upper":  set('A', 'Z'),
	"lower":  set('a', 'z'),
	"space":  setSpace,
	"blank":  set('\t', '\t', ' ', ' '),
	"cntrl":  set(0, 31, 127, 127),
	"graph":  set(33, 126),
	"print":  set(32, 126),
	"punct":  set(33, 47, 58, 64, 91, 96, 123, 126),
	"xdigit": set('0', '9', 'A', 'F', 'a', 'f'),
	"word":   setWord,
	"ascii":  set(0, 127),
}

// foldSet adds the other cases of every member: ASCII letters only in non-UTF mode (PCRE's
// default tables), Unicode simple case folding in UTF mode.
func foldSet(s rangeSet, utf bool) rangeSet {
	out := slices.Clone(s)
	if !utf {
		for _, r := range s {
			for _, span := range []rng{{'a', 'z'}, {'A', 'Z'}} {
				lo, hi := max(r.lo, span.lo), min(r.hi, span.hi)
				if lo <= hi {
					out = append(out, rng{lo ^ 0x20, hi ^ 0x20})
				}
			}
		}
		return out
	}
	folds := foldableRunes()
	for _, r := range s {
		i, _ := slices.BinarySearch(folds, r.lo)
		for ; i < len(folds) && folds[i] <= r.hi; i++ {
			for f := unicode.SimpleFold(folds[i]); f != folds[i]; f = unicode.SimpleFold(f) {
				out = append(out, rng{f, f})
			}
		}
	}
	return out
}

var foldableRunes = sync.OnceValue(func() []rune {
	var rs []rune
	for r := rune(0); r <= maxRune; r++ {
		if unicode.SimpleFold(r) != r {
			rs = append(rs, r)
		}
	}
	return rs
})

// classLit writes r for use inside or outside a .NET character class.
func classLit(b *strings.Builder, r rune) {
	switch {
	case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
		b.WriteRune(r)
	case r <= 0xFFFF:
		fmt.Fprintf(b, `\u%04X`, r)
	default:
		b.WriteRune(r)
	}
}

func literal(r rune) string {
	var b strings.Builder
	classLit(&b, r)
	return b.String()
}

// emitSet renders s as a .NET class (or a single literal), negated when neg.
func emitSet(s rangeSet, neg bool) string {
	s = s.normalize()
	if r, ok := s.single(); ok && !neg {
		return literal(r)
	}
	if len(s) == 0 {
		if neg {
			return `[\s\S]`
		}
		return `(?!)`
	}
	var b strings.Builder
	b.WriteByte('[')
	if neg {
		b.WriteByte('^')
	}
	for _, r := range s {
		classLit(&b, r.lo)
		if r.hi != r.lo {
			if r.hi > r.lo+1 {
				b.WriteByte('-')
			}
			classLit(&b, r.hi)
		}
	}
	b.WriteByte(']')
	return b.String()
}

var propertyCache sync.Map // name -> rangeSet

// property returns the code points of a PCRE Unicode property name, or false if unknown.
func property(name string) (rangeSet, bool) {
	if v, ok := propertyCache.Load(name); ok {
		return v.(rangeSet), true
	}
	s, ok := buildProperty(name)
	if ok {
		propertyCache.Store(name, s)
	}
	return s, ok
}

func fromTable(t *unicode.RangeTable) rangeSet {
	var s rangeSet
	for _, r := range t.R16 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			if r.Stride == 1 {
				s = append(s, rng{rune(r.Lo), rune(r.Hi)})
				break
			}
			s = append(s, rng{c, c})
		}
	}
	for _, r := range t.R32 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			if r.Stride == 1 {
				s = append(s, rng{rune(r.Lo), rune(r.Hi)})
				break
			}
			s = append(s, rng{c, c})
		}
	}
	return s
}

func buildProperty(name string) (rangeSet, bool) {
	cat := func(names ...string) rangeSet {
		var s rangeSet
		for _, n := range names {
			s = append(s, fromTable(unicode.Categories[n])...)
		}
		return s.normalize()
	}
	switch name {
	case "Any":
		return set(0, maxRune), true
	case "L&":
		return cat("Lu", "Ll", "Lt"), true
	case "Xan":
		return cat("L", "N"), true
	case "Xwd":
		return append(cat("L", "N"), rng{'_', '_'}).normalize(), true
	case "Xsp", "Xps":
		return append(cat("Z"), rng{'\t', '\r'}).normalize(), true
	case "Xuc":
		return set('$', '$', '@', '@', '`', '`', 0xA0, 0xD7FF, 0xE000, maxRune), true
	}
	if t, ok := unicode.Categories[name]; ok {
		return fromTable(t).normalize(), true
	}
	if t, ok := unicode.Scripts[name]; ok {
		return fromTable(t).normalize(), true
	}
	return nil, false
}
