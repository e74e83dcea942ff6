package nginxconf

import (
	"bufio"
	"io"
	"strings"
)

// Format writes ds in canonical form: one directive per line, blocks indented
// by four spaces, comments dropped, each name and argument bare when nginx
// would read it back unchanged and double-quoted otherwise. The Lua source of
// a *_by_lua_block directive is written byte for byte between its braces.
// Parsing the output gives back the same names, arguments, blocks and Lua
// source (only lines move).
func Format(w io.Writer, ds []*Directive) error {
	bw := bufio.NewWriter(w)
	for _, d := range ds {
		writeDirective(bw, d, 0)
	}
	return bw.Flush()
}

// String returns d, and its block, in the canonical form of Format.
func (d *Directive) String() string {
	var b strings.Builder
	bw := bufio.NewWriter(&b)
	writeDirective(bw, d, 0)
	bw.Flush() // a strings.Builder does not fail
	return b.String()
}

func writeDirective(w *bufio.Writer, d *Directive, depth int) {
	for range depth {
		w.WriteString("    ")
	}
	w.WriteString(Quote(d.Name))
	for _, a := range d.Args {
		w.WriteByte(' ')
		w.WriteString(Quote(a))
	}
	switch {
	case d.Lua != nil:
		w.WriteString(" {")
		w.WriteString(d.Lua.Source)
		w.WriteString("}\n")
	case !d.HasBlock:
		w.WriteString(";\n")
	case len(d.Block) == 0:
		w.WriteString(" {}\n")
	default:
		w.WriteString(" {\n")
		for _, c := range d.Block {
			writeDirective(w, c, depth+1)
		}
		for range depth {
			w.WriteString("    ")
		}
		w.WriteString("}\n")
	}
}

// Quote returns s as a configuration token that nginx reads back as s: s
// itself when that is safe, otherwise s in double quotes with ", \ and the
// control characters tab, CR and LF escaped.
func Quote(s string) string {
	if isBare(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// isBare reports whether nginx reads s, unquoted, as exactly one token equal
// to s. It is conservative: quotes and backslashes always get quoted.
func isBare(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '#', '}':
		return false
	}
	variable := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isSpace(c), c == ';', c == '"', c == '\'', c == '\\':
			return false
		case c == '{':
			// Inside a token "{" is a terminator unless it follows "$".
			if !variable || i == 0 {
				return false
			}
			continue
		}
		variable = c == '$'
	}
	return true
}
