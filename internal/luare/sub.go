package luare

import (
	"errors"
	"strings"
)

// ErrTemplate is the error for a replacement template that ngx.re.sub cannot compile; the
// error CompileTemplate returns is a *TemplateError that matches it.
var ErrTemplate = errors.New("failed to compile the replacement template")

// TemplateError is a template that does not compile. Its message is ErrTemplate's, what
// ngx.re.sub returns; Log is the line nginx writes to the error log about it.
type TemplateError struct {
	Log string
}

// Error is ErrTemplate's message, what ngx.re.sub returns.
func (e *TemplateError) Error() string { return ErrTemplate.Error() }

// Is makes errors.Is(err, ErrTemplate) hold.
func (e *TemplateError) Is(target error) bool { return target == ErrTemplate }

// Template is a compiled ngx.re.sub replacement: literal text, $N or ${N} (group N, empty when
// the group did not take part or does not exist) and $$ (a dollar sign). OpenResty does not
// support named groups in templates: "${name}" and "$name" fail to compile, as they do there.
type Template struct {
	parts []templatePart
}

type templatePart struct {
	lit   string
	group int // -1 for a literal
}

// CompileTemplate compiles a replacement template, reading it as lua-nginx-module's script
// compiler does; errors are *TemplateError.
func CompileTemplate(s string) (*Template, error) {
	t := &Template{}
	var lit strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' {
			lit.WriteByte(s[i])
			i++
			continue
		}
		if i++; i < len(s) && s[i] == '$' {
			lit.WriteByte('$')
			i++
			continue
		}
		n, next, err := templateVar(s, i)
		if err != nil {
			return nil, err
		}
		if lit.Len() > 0 {
			t.parts = append(t.parts, templatePart{lit: lit.String(), group: -1})
			lit.Reset()
		}
		t.parts = append(t.parts, templatePart{group: n})
		i = next
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, templatePart{lit: lit.String(), group: -1})
	}
	return t, nil
}

// templateVar reads the variable after a '$' at s[i:] ("1", "{12}") and returns its group and
// where the text after it starts. A name stops at the first character that cannot be in it:
// digits for a number, letters, digits and '_' for a name (which is an error: named groups are
// not supported), or the closing '}' of a braced one.
func templateVar(s string, i int) (group, next int, err error) {
	invalid := &TemplateError{Log: `lua script: invalid capturing variable name found in "` + s + `"`}
	if i == len(s) {
		return 0, 0, invalid
	}
	numeric, braced := isDigit(s[i]), s[i] == '{'
	if braced {
		if i++; i == len(s) {
			return 0, 0, invalid
		}
		numeric = isDigit(s[i])
	}
	start, end := i, -1
	for ; i < len(s); i++ {
		c := s[i]
		if c == '}' && braced {
			end, braced = i, false
			i++
			break
		}
		if numeric {
			if isDigit(c) {
				group = min(group*10+int(c-'0'), 1<<20)
				continue
			}
			break
		}
		if !isDigit(c) && c != '_' && (c|0x20 < 'a' || c|0x20 > 'z') {
			break
		}
	}
	if end < 0 {
		end = i
	}
	name := s[start:end]
	switch {
	case braced:
		return 0, 0, &TemplateError{Log: `the closing bracket in "` + name + `" variable is missing`}
	case name == "":
		return 0, 0, invalid
	case !numeric:
		return 0, 0, &TemplateError{Log: `attempt to use named capturing variable "` + name +
			`" (named captures not supported yet)`}
	}
	return group, i, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Expand appends the template's text for a match (ovector of subject) to b.
func (t *Template) Expand(b *strings.Builder, subject string, ovec []int) {
	for _, p := range t.parts {
		if p.group < 0 {
			b.WriteString(p.lit)
			continue
		}
		if 2*p.group+1 < len(ovec) && ovec[2*p.group] >= 0 {
			b.WriteString(subject[ovec[2*p.group]:ovec[2*p.group+1]])
		}
	}
}

// Replace walks the matches of r in sub as ngx.re.sub (global false: the first match only) and
// ngx.re.gsub do, writing repl's text for each match, and returns the new string and the number
// of matches. After an empty match the search goes on one byte further, as in OpenResty (in UTF-8
// mode that can land inside a character, which fails with "pcre_exec() failed: -11").
func (r *Regex) Replace(sub *Subject, global bool, repl func(b *strings.Builder, ovec []int) error) (string, int, error) {
	s := sub.s
	var b strings.Builder
	pos, cp, count := 0, 0, 0
	for {
		ovec, err := r.Exec(sub, pos)
		if err != nil {
			return "", 0, err
		}
		if ovec == nil {
			break
		}
		count++
		if ovec[0] > cp {
			b.WriteString(s[cp:ovec[0]])
		}
		if err := repl(&b, ovec); err != nil {
			return "", 0, err
		}
		cp, pos = ovec[1], ovec[1]
		if pos == ovec[0] {
			pos++
			if pos > len(s) {
				break
			}
		}
		if !global {
			break
		}
	}
	if count == 0 {
		return s, 0, nil
	}
	if cp < len(s) {
		b.WriteString(s[cp:])
	}
	return b.String(), count, nil
}

// Sub is ngx.re.sub in Go: it replaces the first match of pattern in subject by the template
// replace and returns the result and the number of replacements (0 or 1).
func Sub(subject, pattern, replace, opts string) (string, int, error) {
	return substitute(subject, pattern, replace, opts, false)
}

// Gsub is ngx.re.gsub in Go: as Sub, for every match.
func Gsub(subject, pattern, replace, opts string) (string, int, error) {
	return substitute(subject, pattern, replace, opts, true)
}

func substitute(subject, pattern, replace, opts string, global bool) (string, int, error) {
	re, err := Compile(pattern, opts)
	if err != nil {
		return "", 0, err
	}
	tpl, err := CompileTemplate(replace)
	if err != nil {
		return "", 0, err
	}
	sub, err := re.Prepare(subject)
	if err != nil {
		return "", 0, err
	}
	return re.Replace(sub, global, func(b *strings.Builder, ovec []int) error {
		tpl.Expand(b, subject, ovec)
		return nil
	})
}

// Find is ngx.re.find in Go: the byte offsets [start, end) of the first match of pattern in
// subject at or after byte offset pos, or -1, -1 when there is none.
func Find(subject, pattern, opts string, pos int) (start, end int, err error) {
	re, err := Compile(pattern, opts)
	if err != nil {
		return -1, -1, err
	}
	ovec, err := re.ExecString(subject, pos)
	if err != nil || ovec == nil {
		return -1, -1, err
	}
	return ovec[0], ovec[1], nil
}

// Match is ngx.re.match in Go: the captures of the first match of pattern in subject at or after
// byte offset pos (index 0 is the whole match; a group that did not take part has ok false), or
// nil when there is no match.
func Match(subject, pattern, opts string, pos int) (caps []Capture, err error) {
	re, err := Compile(pattern, opts)
	if err != nil {
		return nil, err
	}
	ovec, err := re.ExecString(subject, pos)
	if err != nil || ovec == nil {
		return nil, err
	}
	caps = make([]Capture, len(ovec)/2)
	for i := range caps {
		if ovec[2*i] >= 0 {
			caps[i] = Capture{Text: subject[ovec[2*i]:ovec[2*i+1]], OK: true}
		}
	}
	return caps, nil
}

// Capture is one group of a match: its text, and OK false when the group did not take part.
type Capture struct {
	Text string
	OK   bool
}
