package nginxconf

import (
	"strings"

	"github.com/goresty/goresty/ngx"
)

// mapVar is map string $var { ... }: a variable whose value is looked up, each time it is read,
// from the value of string: exact strings (ignoring case), then with hostnames the longest
// "*.example.com" and "example.*" wildcards, then regexes in order (whose captures become
// variables), else the default ("" without one).
type mapVar struct {
	name      string
	src       *tmpl
	exact     map[string]*tmpl
	head      []mapWild // "*.example.com" kept as ".example.com"
	tail      []mapWild // "www.example.*" kept as "www.example."
	res       []mapRegex
	def       *tmpl
	hostnames bool
}

type mapWild struct {
	part  string
	value *tmpl
}

type mapRegex struct {
	re    *capRegex
	value *tmpl
}

// mapBlock reads a map directive of the http block.
func (ld *loader) mapBlock(d *Directive) error {
	if len(d.Args) != 2 || !strings.HasPrefix(d.Args[1], "$") || len(d.Args[1]) == 1 {
		return d.Errorf("invalid number of arguments in %q directive", d.Name)
	}
	m := &mapVar{name: d.Args[1][1:], exact: map[string]*tmpl{}}
	if _, dup := ld.maps[m.name]; dup || builtinVars[m.name] {
		return d.Errorf("the duplicate %q variable", m.name)
	}
	var err error
	if m.src, err = ld.compile(d, d.Args[0], nil); err != nil {
		return err
	}
	for _, e := range d.Block {
		if err := ld.mapEntry(m, e); err != nil {
			return err
		}
	}
	ld.maps[m.name] = m
	return nil
}

func (ld *loader) mapEntry(m *mapVar, e *Directive) error {
	switch {
	case e.Name == "hostnames" && len(e.Args) == 0:
		m.hostnames = true
		return nil
	case e.Name == "volatile" && len(e.Args) == 0:
		return nil
	case e.HasBlock || len(e.Args) != 1:
		return e.Errorf("invalid number of the map parameters")
	}
	value, err := ld.compile(e, e.Args[0], nil)
	if err != nil {
		return err
	}
	key := e.Name
	switch {
	case key == "default":
		m.def = value
	case strings.HasPrefix(key, "~"):
		caseless := strings.HasPrefix(key, "~*")
		re, err := compileRegex(strings.TrimPrefix(strings.TrimPrefix(key, "~*"), "~"), caseless)
		if err != nil {
			return e.Errorf("pcre_compile() failed in %q: %v", key, err)
		}
		m.res = append(m.res, mapRegex{re: re, value: value})
	case m.hostnames && strings.HasPrefix(key, "*."):
		m.head = append(m.head, mapWild{strings.ToLower(key[1:]), value})
	case m.hostnames && strings.HasPrefix(key, "."):
		m.exact[strings.ToLower(key[1:])] = value
		m.head = append(m.head, mapWild{strings.ToLower(key), value})
	case m.hostnames && strings.HasSuffix(key, ".*"):
		m.tail = append(m.tail, mapWild{strings.ToLower(key[:len(key)-1]), value})
	default:
		key = strings.ToLower(strings.TrimPrefix(key, `\`))
		if _, dup := m.exact[key]; !dup {
			m.exact[key] = value
		}
	}
	return nil
}

// eval returns the map's value for r; sc resolves the variables of its source and values.
func (m *mapVar) eval(r *ngx.Request, sc *varScope) string {
	src := m.src.expandIn(r, sc)
	key := src
	if m.hostnames {
		key = strings.TrimSuffix(key, ".")
	}
	if v, ok := m.exact[strings.ToLower(key)]; ok {
		return v.expandIn(r, sc)
	}
	if m.hostnames {
		if v := longestWild(strings.ToLower(key), m.head, strings.HasSuffix); v != nil {
			return v.expandIn(r, sc)
		}
		if v := longestWild(strings.ToLower(key), m.tail, strings.HasPrefix); v != nil {
			return v.expandIn(r, sc)
		}
	}
	for _, x := range m.res {
		if groups, ok := x.re.match(src); ok {
			x.re.setCaptures(r, groups, true)
			return x.value.expandIn(r, sc)
		}
	}
	if m.def != nil {
		return m.def.expandIn(r, sc)
	}
	return ""
}

func longestWild(key string, ws []mapWild, fits func(s, w string) bool) *tmpl {
	var best *tmpl
	n := 0
	for _, w := range ws {
		if len(w.part) > n && len(key) > len(w.part) && fits(key, w.part) {
			best, n = w.value, len(w.part)
		}
	}
	return best
}
