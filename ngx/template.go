package ngx

import (
	"fmt"
	"strings"
)

// Template is a directive value with nginx variables in it ("$scheme://$host$uri",
// "${name}_x"), parsed once and expanded per request.
type Template struct {
	parts []templatePart
	plain bool
}

type templatePart struct {
	literal string
	name    string // variable name; empty for a literal
}

// ParseTemplate parses s with nginx's rules: "$name" (letters, digits, "_") or "${name}";
// "$1".."$9" are regex captures.
func ParseTemplate(s string) (*Template, error) {
	t := &Template{}
	for s != "" {
		i := strings.IndexByte(s, '$')
		if i < 0 {
			t.parts = append(t.parts, templatePart{literal: s})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, templatePart{literal: s[:i]})
		}
		s = s[i+1:]
		var name string
		switch {
		case strings.HasPrefix(s, "{"):
			end := strings.IndexByte(s, '}')
			if end < 0 {
				return nil, fmt.Errorf("the closing bracket in %q variable is missing", s)
			}
			name, s = s[1:end], s[end+1:]
		case s != "" && s[0] >= '1' && s[0] <= '9':
			name, s = s[:1], s[1:]
		default:
			n := 0
			for n < len(s) && isVarChar(s[n]) {
				n++
			}
			name, s = s[:n], s[n:]
		}
		if name == "" {
			return nil, fmt.Errorf("invalid variable name in %q", s)
		}
		t.parts = append(t.parts, templatePart{name: name})
	}
	t.plain = len(t.parts) <= 1 && (len(t.parts) == 0 || t.parts[0].name == "")
	return t, nil
}

func isVarChar(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// Expand returns the template's value for r; undefined variables expand to "".
func (t *Template) Expand(r *Request) string {
	if t.plain {
		if len(t.parts) == 0 {
			return ""
		}
		return t.parts[0].literal
	}
	var b strings.Builder
	for _, p := range t.parts {
		if p.name == "" {
			b.WriteString(p.literal)
			continue
		}
		v, _ := r.Var(p.name)
		b.WriteString(v)
	}
	return b.String()
}

// HasVars reports whether the template refers to any variable.
func (t *Template) HasVars() bool { return !t.plain }
