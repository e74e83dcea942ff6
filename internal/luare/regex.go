package luare

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
)

// Regex is a compiled ngx.re pattern. It is immutable and safe for concurrent use.
type Regex struct {
	pattern string
	flags   Flags
	re      *regexp2.Regexp
	ncap    int
	names   []nameEntry     // sorted by name, then group number, as PCRE's name table
	kGroup  int             // regexp2 number of the \K marker group, or -1
	longest *regexp2.Regexp // d option: the pattern anchored at both ends, to find the longest match
}

// backtrackLimit bounds regexp2's backtracking stack (in ints); past it a match fails with
// "pcre_exec() failed: -8", as PCRE's match limit does.
const backtrackLimit = 1 << 22

var defaultCache = newCache(DefaultCacheSize)

// Compile returns the compiled form of pattern under the ngx.re options opts, from a bounded LRU
// cache shared by all callers (OpenResty caches only with the "o" option; caching always gives
// the same results, faster). A pattern error reads as OpenResty's, for example
// `pcre_compile() failed: missing ) in "("`; an unknown option letter gives
// `unknown flag "Q" (flags "Q")`, which the Lua binding raises rather than returns.
func Compile(pattern, opts string) (*Regex, error) {
	key := opts + "\x00" + pattern
	if e, ok := defaultCache.get(key); ok {
		return e.re, e.err
	}
	fl, err := ParseFlags(opts)
	if err != nil {
		return nil, err
	}
	re, err := compile(pattern, fl)
	defaultCache.put(&cacheEntry{key: key, re: re, err: err})
	return re, err
}

// flagError tells an option-string error (raised in Lua) from a pattern error (returned).
func isFlagError(err error) bool { return strings.HasPrefix(err.Error(), "unknown flag") }

func compile(pattern string, fl Flags) (*Regex, error) {
	skip, unsupported := startVerbs(pattern, &fl)
	if unsupported != "" {
		return nil, compileError(pattern, "(*"+unsupported+") newline conventions are not supported", skip)
	}
	src, offs, bad := decodePattern(pattern, fl.UTF8)
	if bad >= 0 {
		return nil, compileError(pattern, "invalid UTF-8 string", bad)
	}
	out, ncap, names, kUsed, serr := translate(src, fl, len([]rune(pattern[:skip])))
	if serr != nil {
		return nil, compileError(pattern, serr.msg, offs[min(serr.at, len(src))])
	}
	re, err := regexp2.Compile(out, regexp2.OptionMaxBacktrackingStackSize(backtrackLimit))
	if err != nil {
		return nil, compileError(pattern, err.Error(), len(pattern))
	}
	r := &Regex{pattern: pattern, flags: fl, re: re, ncap: ncap, kGroup: -1}
	if kUsed {
		r.kGroup = re.GroupNumberFromName(kGroupName)
	}
	if fl.DFA {
		// PCRE's DFA matcher reports the longest match at the first position that matches, and
		// no groups: OpenResty's captures table then holds [0] only.
		r.longest, err = regexp2.Compile(`\G(?:`+out+`)\z`, regexp2.OptionMaxBacktrackingStackSize(backtrackLimit))
		if err != nil {
			return nil, compileError(pattern, err.Error(), len(pattern))
		}
		r.ncap, names = 0, nil
	}
	r.names = slices.Clone(names)
	slices.SortStableFunc(r.names, func(a, b nameEntry) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return a.num - b.num
	})
	return r, nil
}

// maxErrLen is the size of OpenResty's error buffer: longer messages are cut.
const maxErrLen = 127

func compileError(pattern, reason string, at int) error {
	msg := fmt.Sprintf(`pcre_compile() failed: %s in "%s"`, reason, pattern)
	if at < len(pattern) {
		msg += fmt.Sprintf(` at "%s"`, pattern[at:])
	}
	if len(msg) > maxErrLen {
		msg = msg[:maxErrLen]
	}
	return errors.New(msg)
}

// Pattern returns the source pattern.
func (r *Regex) Pattern() string { return r.pattern }

// NumCaptures returns the number of capturing groups.
func (r *Regex) NumCaptures() int { return r.ncap }

// Name is a named group: its name and its group number.
type Name struct {
	Name  string
	Group int
}

// Names returns the named groups in PCRE's name-table order (by name, then group number).
func (r *Regex) Names() []Name {
	out := make([]Name, len(r.names))
	for i, e := range r.names {
		out[i] = Name{e.name, e.num}
	}
	return out
}

// Exec errors, worded as OpenResty's "pcre_exec() failed: N" with PCRE's error codes.
var (
	errBadUTF8       = errors.New("pcre_exec() failed: -10")
	errBadUTF8Offset = errors.New("pcre_exec() failed: -11")
	errBadOffset     = errors.New("pcre_exec() failed: -24")
	errMatchLimit    = errors.New("pcre_exec() failed: -8")
)

// Subject is a string prepared for repeated matching: its code points and their byte offsets.
type Subject struct {
	s     string
	runes []rune
	offs  []int // byte offset of each rune and of the end; nil when runes map 1:1 to bytes
}

// Prepare converts s for r. Without the u option every byte is one character, as in PCRE; with
// it s must be valid UTF-8 (unless U was given), else the error is "pcre_exec() failed: -10".
func (r *Regex) Prepare(s string) (*Subject, error) {
	sub := &Subject{}
	return sub, r.prepareInto(sub, s)
}

// prepareInto fills sub for s, reusing sub's buffers.
func (r *Regex) prepareInto(sub *Subject, s string) error {
	sub.s, sub.offs = s, nil
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if !r.flags.UTF8 || ascii {
		sub.runes = slices.Grow(sub.runes[:0], len(s))[:len(s)]
		for i := 0; i < len(s); i++ {
			sub.runes[i] = rune(s[i])
		}
		return nil
	}
	if !r.flags.NoUTF8Chk && !utf8.ValidString(s) {
		return errBadUTF8
	}
	sub.runes = slices.Grow(sub.runes[:0], len(s))
	sub.offs = make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		sub.runes, sub.offs = append(sub.runes, c), append(sub.offs, i)
		i += n
	}
	sub.offs = append(sub.offs, len(s))
	return nil
}

// subjects recycles the rune buffers of one-shot matches (ExecString).
var subjects = sync.Pool{New: func() any { return new(Subject) }}

// maxPooledRunes keeps huge subjects' buffers out of the pool.
const maxPooledRunes = 64 << 10

// String returns the subject text.
func (s *Subject) String() string { return s.s }

func (s *Subject) byteAt(runeIndex int) int {
	if s.offs == nil {
		return runeIndex
	}
	return s.offs[runeIndex]
}

func (s *Subject) runeAt(byteOffset int) (int, bool) {
	if s.offs == nil {
		return byteOffset, true
	}
	i, ok := slices.BinarySearch(s.offs, byteOffset)
	return i, ok
}

// Exec matches r against sub from byte offset pos and returns the match as PCRE's ovector: byte
// offsets start, end for the whole match and each group, -1 for groups that did not take part.
// It returns nil, nil when there is no match.
func (r *Regex) Exec(sub *Subject, pos int) ([]int, error) {
	if pos < 0 || pos > len(sub.s) {
		return nil, errBadOffset
	}
	start, ok := sub.runeAt(pos)
	if !ok {
		return nil, errBadUTF8Offset
	}
	var ovec []int
	err := r.re.FindRunesMatches(sub.runes, start, func(v regexp2.MatchView) bool {
		ovec = make([]int, 2*(r.ncap+1))
		for g := 0; g <= r.ncap; g++ {
			i, n, ok := v.GroupRange(g)
			if !ok {
				ovec[2*g], ovec[2*g+1] = -1, -1
				continue
			}
			ovec[2*g], ovec[2*g+1] = sub.byteAt(i), sub.byteAt(i+n)
		}
		if r.kGroup >= 0 {
			if i, _, ok := v.GroupRange(r.kGroup); ok {
				ovec[0] = sub.byteAt(i)
			}
		}
		return false
	})
	if err != nil {
		return nil, errMatchLimit
	}
	if ovec != nil && r.longest != nil {
		r.extend(sub, ovec)
	}
	return ovec, nil
}

// maxDFAScan bounds how far past a match the d option looks for a longer one.
const maxDFAScan = 64 << 10

// extend moves the end of a d-option match to the longest end at which the pattern, anchored at
// the match start, also matches. Lookaheads see the subject cut at each candidate end.
func (r *Regex) extend(sub *Subject, ovec []int) {
	start, _ := sub.runeAt(ovec[0])
	end, _ := sub.runeAt(ovec[1])
	for e := min(len(sub.runes), end+maxDFAScan); e > end; e-- {
		found := false
		_ = r.longest.FindRunesMatches(sub.runes[:e], start, func(regexp2.MatchView) bool {
			found = true
			return false
		})
		if found {
			ovec[1] = sub.byteAt(e)
			return
		}
	}
}

// ExecString prepares s and matches r from byte offset pos; see Exec.
func (r *Regex) ExecString(s string, pos int) ([]int, error) {
	sub := subjects.Get().(*Subject)
	defer func() {
		if cap(sub.runes) <= maxPooledRunes {
			sub.s, sub.offs = "", nil
			subjects.Put(sub)
		}
	}()
	if err := r.prepareInto(sub, s); err != nil {
		return nil, err
	}
	return r.Exec(sub, pos)
}
