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
// itself when that is safe, otherwise s in double quotes with ", the control
// characters tab, CR and LF, and the backslashes nginx would misread escaped.
// A backslash before an ordinary character is written as is, so regexes such
// as \d+\.html keep their spelling.
func Quote(s string) string {
	if isBare(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			if i+1 == len(s) || !plainAfterBackslash(s[i+1]) {
				b.WriteByte('\\')
			}
			b.WriteByte('\\')
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

// plainAfterBackslash reports whether a backslash followed by c is kept as is
// by nginx and c written as itself: c is not one of the escapes \" \' \\ \t
// \r \n, nor a byte that Quote writes as an escape.
func plainAfterBackslash(c byte) bool {
	return strings.IndexByte("\"'\\trn\t\r\n", c) < 0
}

// isBare reports whether nginx reads s, unquoted, as exactly one token equal
// to s. It follows ngx_conf_read_token: "{" ends a word unless it follows
// "$", a backslash makes the next byte part of the word, and only the first
// byte of a word may start a comment, a quoted word or a block end.
func isBare(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '#', '}', '"', '\'':
		return false
	}
	variable := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '{' && variable {
			continue
		}
		variable = false
		switch {
		case c == '\\':
			if i+1 == len(s) || !plainAfterBackslash(s[i+1]) {
				return false
			}
			i++
		case c == '$':
			variable = true
		case isSpace(c), c == ';', c == '{':
			return false
		}
	}
	return true
}
