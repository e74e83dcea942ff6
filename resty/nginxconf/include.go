package nginxconf

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// Option configures ParseFile.
type Option func(*options)

type options struct {
	prefix       string
	keepIncludes bool
}

// WithConfPrefix sets the directory that relative include paths are resolved
// against, nginx's configuration prefix. By default it is the directory of the
// file given to ParseFile, which is what nginx uses for "nginx -c FILE".
func WithConfPrefix(dir string) Option {
	return func(o *options) { o.prefix = dir }
}

// KeepIncludes makes ParseFile leave include directives in the tree instead of
// replacing them by the files they name.
func KeepIncludes() Option {
	return func(o *options) { o.keepIncludes = true }
}

// ParseFile reads the nginx configuration file at path and returns its
// top-level directives, with every include directive replaced by the
// directives of the files it names, in place, so that an included
// "location" lands in the enclosing "server" block.
//
// As in nginx, a relative include path is resolved against the configuration
// prefix (see WithConfPrefix), not against the including file's directory, so
// "include mime.types;" in any file means mime.types beside the main file. A
// path containing *, ? or [ is a glob pattern (glob(3) syntax, matches in byte
// order, a leading "." only matched explicitly); a pattern that matches
// nothing includes nothing, while a missing plain file is an error. A file
// that includes itself, directly or through others, is an error.
//
// Errors are *Error values naming the file and line, worded as nginx words
// them; a file that cannot be opened gives `open() "path" failed (reason)`
// and wraps the underlying error.
func ParseFile(path string, opts ...Option) ([]*Directive, error) {
	o := options{prefix: filepath.Dir(path)}
	for _, opt := range opts {
		opt(&o)
	}
	in := &includer{opts: o}
	return in.parseFile(path, scope{}, nil)
}

// includer expands include directives, keeping the chain of files being read
// to detect cycles.
type includer struct {
	opts  options
	stack []openFile
}

type openFile struct {
	name string
	info fs.FileInfo
}

// parseFile parses the file name into scope sc. at locates the include
// directive that names the file, for errors; it is nil for the main file.
func (in *includer) parseFile(name string, sc scope, at *Error) ([]*Directive, error) {
	data, info, err := readFile(name, at)
	if err != nil {
		return nil, err
	}
	for i, f := range in.stack {
		if os.SameFile(f.info, info) {
			chain := make([]string, 0, len(in.stack)-i+1)
			for _, g := range in.stack[i:] {
				chain = append(chain, g.name)
			}
			chain = append(chain, name)
			return nil, at.with(fmt.Sprintf("include cycle: %s", strings.Join(chain, " -> ")), nil)
		}
	}
	in.stack = append(in.stack, openFile{name: name, info: info})
	defer func() { in.stack = in.stack[:len(in.stack)-1] }()
	var inc includeFunc
	if !in.opts.keepIncludes {
		inc = in.include
	}
	return parseScope(data, name, inc, sc)
}

// include expands the include directive d.
func (in *includer) include(d *Directive, sc scope, endLine int) ([]*Directive, error) {
	at := &Error{File: d.File, Line: endLine}
	pattern := d.Args[0]
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(in.opts.prefix, pattern)
	}
	names := []string{pattern}
	if strings.ContainsAny(pattern, "*?[") {
		var err error
		if names, err = glob(pattern); err != nil {
			return nil, at.with(fmt.Sprintf("glob() %q failed", pattern), err)
		}
	}
	var out []*Directive
	for _, name := range names {
		ds, err := in.parseFile(name, sc, at)
		if err != nil {
			return nil, err
		}
		out = append(out, ds...)
	}
	return out, nil
}

// with returns a copy of the location at with a message and cause; a nil at
// gives an error without location.
func (at *Error) with(msg string, err error) *Error {
	if at == nil {
		return &Error{Msg: msg, Err: err}
	}
	return &Error{File: at.File, Line: at.Line, Msg: msg, Err: err}
}

func readFile(name string, at *Error) ([]byte, fs.FileInfo, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, at.with(fmt.Sprintf("open() \"%s\" failed (%s)", name, cause(err)), err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, at.with(fmt.Sprintf("fstat() \"%s\" failed (%s)", name, cause(err)), err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, nil, at.with(fmt.Sprintf("read() \"%s\" failed (%s)", name, cause(err)), err)
	}
	return data, info, nil
}

// cause returns the reason of a file error as nginx prints it, "2: No such
// file or directory", without the operation and path printed separately.
func cause(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg := errno.Error()
		if msg != "" {
			msg = strings.ToUpper(msg[:1]) + msg[1:]
		}
		return fmt.Sprintf("%d: %s", int(errno), msg)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// glob expands pattern as glob(3) does for nginx: sorted in byte order over
// whole paths, and a leading "." in a name matched only by a leading "." in
// the pattern. See globToGo for the pattern syntax.
func glob(pattern string) ([]string, error) {
	goPattern := globToGo(pattern)
	names, err := filepath.Glob(goPattern)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(filepath.Clean(goPattern), string(filepath.Separator))
	kept := names[:0]
	for _, n := range names {
		if !hiddenMatch(parts, strings.Split(n, string(filepath.Separator))) {
			kept = append(kept, n)
		}
	}
	sort.Strings(kept)
	return kept, nil
}

// globToGo rewrites a glob(3) pattern for filepath.Match: "[!...]" negates,
// "]" first in a class and "-" first or last in it are literal, and a "["
// without its "]" in the same path element is an ordinary character.
func globToGo(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '\\':
			b.WriteByte(c)
			if i+1 < len(p) {
				i++
				b.WriteByte(p[i])
			}
		case '[':
			end := classEnd(p, i)
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			writeClass(&b, p[i+1:end])
			i = end
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// classEnd returns the index of the "]" closing the class opened at p[open],
// or -1 when the class is not closed before the end of the path element.
func classEnd(p string, open int) int {
	j := open + 1
	if j < len(p) && (p[j] == '!' || p[j] == '^') {
		j++
	}
	if j < len(p) && p[j] == ']' {
		j++
	}
	for ; j < len(p) && p[j] != '/'; j++ {
		if p[j] == ']' {
			return j
		}
	}
	return -1
}

// writeClass writes the class with body (the text between the brackets) in
// filepath.Match syntax.
func writeClass(b *strings.Builder, body string) {
	b.WriteByte('[')
	if body != "" && (body[0] == '!' || body[0] == '^') {
		b.WriteByte('^')
		body = body[1:]
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		literal := c == ']' || c == '\\' || c == '-' && (i == 0 || i == len(body)-1)
		if literal {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte(']')
}

// hiddenMatch reports whether a name component starting with "." was matched
// by a pattern component that does not start with ".".
func hiddenMatch(pattern, name []string) bool {
	if len(pattern) != len(name) {
		return false
	}
	for i, p := range pattern {
		if strings.HasPrefix(name[i], ".") && !strings.HasPrefix(p, ".") {
			return true
		}
	}
	return false
}
