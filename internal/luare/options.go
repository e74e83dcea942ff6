package luare

import (
	"fmt"
	"strings"
)

// Flags are the compile options of an ngx.re call, parsed from its option string.
type Flags struct {
	Anchored  bool // a: match only at the start position
	Caseless  bool // i
	Multiline bool // m: ^ and $ match at line boundaries
	DotAll    bool // s: . matches \n
	Extended  bool // x: whitespace and # comments in the pattern are ignored
	UTF8      bool // u (and U): pattern and subject are UTF-8
	NoUTF8Chk bool // U: the subject is not checked for valid UTF-8
	DupNames  bool // D: named groups may share a name; the name maps to a list of captures
	JSCompat  bool // J: JavaScript-compatible: a back reference to an unset group matches ""
	// DFA (d) gives PCRE's DFA results: the longest match at the first position that matches,
	// and no groups (the captures table holds [0] only).
	DFA bool
	// Accepted without effect on results: o (compile once: patterns are always cached) and j (JIT).
	Once, JIT bool
	ucp       bool // (*UCP) at the start of the pattern: \d \w \s and POSIX classes use Unicode
}

// ParseFlags parses an ngx.re option string such as "jo" or "isu". An unknown letter gives the
// error OpenResty raises: unknown flag "Q" (flags "Qi").
func ParseFlags(opts string) (Flags, error) {
	var f Flags
	for i := 0; i < len(opts); i++ {
		switch opts[i] {
		case 'a':
			f.Anchored = true
		case 'i':
			f.Caseless = true
		case 'm':
			f.Multiline = true
		case 's':
			f.DotAll = true
		case 'x':
			f.Extended = true
		case 'u':
			f.UTF8 = true
		case 'U':
			f.UTF8, f.NoUTF8Chk = true, true
		case 'D':
			f.DupNames = true
		case 'J':
			f.JSCompat = true
		case 'o':
			f.Once = true
		case 'j':
			f.JIT = true
		case 'd':
			f.DFA = true
		default:
			return Flags{}, fmt.Errorf("unknown flag \"%s\" (flags \"%s\")", opts[i:i+1], opts)
		}
	}
	return f, nil
}

// startVerbs reads the option verbs PCRE accepts at the very start of a pattern, such as (*UTF8)
// and (*UCP), and returns their length. Newline conventions other than LF are not supported.
func startVerbs(pattern string, fl *Flags) (n int, unsupported string) {
	for strings.HasPrefix(pattern[n:], "(*") {
		end := strings.IndexByte(pattern[n:], ')')
		if end < 0 {
			return n, ""
		}
		name := pattern[n+2 : n+end]
		switch {
		case name == "UTF8" || name == "UTF":
			fl.UTF8 = true
		case name == "UCP":
			fl.ucp = true
		case name == "CR" || name == "CRLF" || name == "ANYCRLF" || name == "ANY":
			return n, name
		case name == "LF" || name == "NO_START_OPT" || name == "NO_AUTO_POSSESS" ||
			name == "BSR_ANYCRLF" || name == "BSR_UNICODE" ||
			strings.HasPrefix(name, "LIMIT_MATCH=") || strings.HasPrefix(name, "LIMIT_RECURSION="):
		default:
			return n, ""
		}
		n += end + 1
	}
	return n, ""
}
