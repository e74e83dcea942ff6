package nginxconf

import (
	"sort"
	"strings"

	"github.com/dlclark/regexp2/v2"

	"github.com/goresty/goresty/resty"
)

// locKind is a location's modifier.
type locKind uint8

const (
	locPrefix  locKind = iota
	locExact           // =
	locNoRegex         // ^~
	locRegex           // ~ and ~*
	locNamed           // @name
)

// locNode is a location block, with its nested locations.
type locNode struct {
	d        *Directive
	kind     locKind
	path     string // the path, the regex, or "@name"
	caseless bool
	re       *capRegex
	lvl      *level
	prog     *program
	content  *resty.Hook
	proxy    []resty.Hook // set-phase hooks of proxy_pass
	try      *tryFiles
	internal bool
	parent   *locNode
	children []*locNode
	depth    int
	match    string // resty.Location.Match once flattened
	env      *env
}

// parseLocationArgs reads location [=|~|~*|^~] uri and location @name, including the glued
// forms nginx accepts ("=/x", "~*\.png$").
func parseLocationArgs(d *Directive) (locKind, string, bool, error) {
	a := d.Args
	if len(a) == 2 {
		switch a[0] {
		case "=":
			return locExact, a[1], false, nil
		case "^~":
			return locNoRegex, a[1], false, nil
		case "~":
			return locRegex, a[1], false, nil
		case "~*":
			return locRegex, a[1], true, nil
		}
		return 0, "", false, d.Errorf("invalid location modifier %q", a[0])
	}
	s := a[0]
	switch {
	case strings.HasPrefix(s, "=") && len(s) > 1:
		return locExact, s[1:], false, nil
	case strings.HasPrefix(s, "^~") && len(s) > 2:
		return locNoRegex, s[2:], false, nil
	case strings.HasPrefix(s, "~*") && len(s) > 2:
		return locRegex, s[2:], true, nil
	case strings.HasPrefix(s, "~") && len(s) > 1:
		return locRegex, s[1:], false, nil
	case strings.HasPrefix(s, "@"):
		return locNamed, s, false, nil
	}
	return locPrefix, s, false, nil
}

// locations reads the location blocks of a server or location block.
func (sb *serverBuild) locations(ds []*Directive, parent *locNode, parentLvl *level) ([]*locNode, error) {
	var out []*locNode
	for _, d := range ds {
		if d.Name != "location" {
			continue
		}
		n, err := sb.location(d, parent, parentLvl)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func (sb *serverBuild) location(d *Directive, parent *locNode, parentLvl *level) (*locNode, error) {
	kind, path, caseless, err := parseLocationArgs(d)
	if err != nil {
		return nil, err
	}
	n := &locNode{d: d, kind: kind, path: path, caseless: caseless, parent: parent}
	if err := nestingAllowed(n); err != nil {
		return nil, err
	}
	if kind == locRegex {
		if n.re, err = compileRegex(path, caseless); err != nil {
			return nil, d.Errorf("pcre_compile() failed in %q: %v", path, err)
		}
	}
	if parent != nil {
		n.depth = parent.depth + 1
	}
	if err := checkBlock(d.Block, ctxLocation); err != nil {
		return nil, err
	}
	n.lvl = newLevel()
	if err := sb.ld.levelDirectives(d.Block, n.lvl, ctxLocation); err != nil {
		return nil, err
	}
	n.lvl.inherit(parentLvl)
	if n.env, err = sb.newEnv(n.lvl, n); err != nil {
		return nil, err
	}
	if n.prog, err = sb.program(d.Block, false, n.env); err != nil {
		return nil, err
	}
	for _, c := range d.Block {
		switch {
		case c.Name == "internal":
			n.internal = true
		case c.Name == "try_files":
			if n.try, err = sb.tryFiles(c, n.env); err != nil {
				return nil, err
			}
		case strings.HasPrefix(c.Name, "content_by_lua"):
			hk, err := sb.ld.luaHook(c)
			if err != nil {
				return nil, err
			}
			n.content, n.proxy = &hk, nil
		case c.Name == "proxy_pass":
			if n.content, n.proxy, err = sb.proxyPass(c, n); err != nil {
				return nil, err
			}
		}
	}
	if n.children, err = sb.locations(d.Block, n, n.lvl); err != nil {
		return nil, err
	}
	return n, nil
}

// nestingAllowed applies nginx's rules for a location inside another.
func nestingAllowed(n *locNode) error {
	p, d := n.parent, n.d
	if p == nil {
		return nil
	}
	switch {
	case p.kind == locExact:
		return d.Errorf("location %q cannot be inside the exact location %q", n.path, p.path)
	case p.kind == locNamed:
		return d.Errorf("location %q cannot be inside the named location %q", n.path, p.path)
	case n.kind == locNamed:
		return d.Errorf("named location %q can be on the server level only", n.path)
	case n.kind != locRegex && !strings.HasPrefix(n.path, p.path):
		return d.Errorf("location %q is outside location %q", n.path, p.path)
	case p.kind == locRegex && n.kind != locRegex:
		return d.Errorf("location %q inside the regex location %q is not supported yet", n.path, p.path)
	case p.kind == locNoRegex:
		return d.Errorf("location %q inside the \"^~\" location %q is not supported yet", n.path, p.path)
	}
	return nil
}

// flatten turns the location tree into resty's flat list, in which nginx's nested search is
// reproduced: nested prefix and exact locations keep their paths (the search of the longest
// prefix then finds them only inside their parent, which checkFlat makes sure of), and nested
// regexes get a guard that matches only URIs nginx would look for them with. Regexes are
// ordered as nginx tries them: those nested in the deepest prefix first, a regex's own nested
// regexes just before it, the server's regexes last.
func flatten(top []*locNode) ([]*locNode, error) {
	var all []*locNode
	var walk func([]*locNode)
	walk = func(ns []*locNode) {
		for _, n := range ns {
			all = append(all, n)
			walk(n.children)
		}
	}
	walk(top)
	if err := checkFlat(all); err != nil {
		return nil, err
	}
	var statics, nested []*locNode
	for _, n := range all {
		switch {
		case n.kind != locRegex:
			n.match = staticMatch(n)
			statics = append(statics, n)
		case n.parent != nil && n.parent.kind != locRegex:
			nested = append(nested, n)
		}
	}
	sort.SliceStable(nested, func(i, j int) bool { return nested[i].depth > nested[j].depth })
	var regexes []*locNode
	var expand func(n *locNode, guard string)
	expand = func(n *locNode, guard string) {
		own := guard
		if own == "" {
			own = `\A`
		}
		own += "(?=[\\s\\S]*?" + caseGroup(n.path, n.caseless) + ")"
		for _, c := range n.children {
			expand(c, own)
		}
		if guard == "" {
			n.match = regexMatch(n)
		} else {
			n.match = "~ " + guard + "[\\s\\S]*?" + caseGroup(n.path, n.caseless)
		}
		regexes = append(regexes, n)
	}
	for _, n := range nested {
		expand(n, prefixGuard(n.parent, all))
	}
	for _, n := range top {
		if n.kind == locRegex {
			expand(n, "")
		}
	}
	return append(statics, regexes...), nil
}

func staticMatch(n *locNode) string {
	switch {
	case n.kind == locExact:
		return "= " + n.path
	case n.kind == locNamed:
		return n.path
	case n.kind == locNoRegex && n.parent == nil:
		return "^~ " + n.path
	}
	// A nested ^~ stops only the regexes nested beside it (prefixGuard), not the server's.
	return n.path
}

func regexMatch(n *locNode) string {
	if n.caseless {
		return "~* " + n.path
	}
	return "~ " + n.path
}

func caseGroup(expr string, caseless bool) string {
	if caseless {
		return "(?i:" + expr + ")"
	}
	return "(?-i:" + expr + ")"
}

// prefixGuard is a regex prefix that matches at the start of exactly the URIs whose nested
// search passes through prefix location p and none of its "^~" children.
func prefixGuard(p *locNode, all []*locNode) string {
	var b strings.Builder
	b.WriteString(`\A(?-i:(?=`)
	b.WriteString(regexp2.Escape(p.path))
	b.WriteString(")")
	for _, q := range all {
		if isStaticPrefix(q) && len(q.path) > len(p.path) && strings.HasPrefix(q.path, p.path) &&
			!isDescendant(q, p) {
			b.WriteString("(?!" + regexp2.Escape(q.path) + ")")
		}
	}
	for _, x := range p.children {
		if x.kind != locNoRegex {
			continue
		}
		b.WriteString("(?!(?=" + regexp2.Escape(x.path) + ")")
		for _, y := range p.children {
			if isStaticPrefix(y) && len(y.path) > len(x.path) && strings.HasPrefix(y.path, x.path) {
				b.WriteString("(?!" + regexp2.Escape(y.path) + ")")
			}
		}
		b.WriteString(")")
	}
	b.WriteString(")")
	return b.String()
}

func isStaticPrefix(n *locNode) bool { return n.kind == locPrefix || n.kind == locNoRegex }

func isDescendant(n, of *locNode) bool {
	for p := n.parent; p != nil; p = p.parent {
		if p == of {
			return true
		}
	}
	return false
}

// checkFlat refuses the nestings the flat list cannot reproduce: a location nested in prefix
// Y whose path starts with the path of a longer sibling X of Y (nginx picks X, the flat search
// the nested one), and the same path at two levels.
func checkFlat(all []*locNode) error {
	seen := map[string]*locNode{}
	for _, n := range all {
		if n.kind == locRegex {
			continue
		}
		key := n.path
		if n.kind == locExact || n.kind == locNamed {
			key = "=" + n.path
		}
		if prev, dup := seen[key]; dup {
			if prev.parent == n.parent {
				return n.d.Errorf("duplicate location %q", n.path)
			}
			return n.d.Errorf("location %q nested in another with the same path is not supported yet", n.path)
		}
		seen[key] = n
	}
	for _, n := range all {
		if n.parent == nil || n.kind == locRegex {
			continue
		}
		for y := n.parent; y != nil; y = y.parent {
			for _, x := range siblings(y, all) {
				if x != y && isStaticPrefix(x) && len(x.path) > len(y.path) &&
					strings.HasPrefix(x.path, y.path) && strings.HasPrefix(n.path, x.path) {
					return n.d.Errorf("location %q nested in %q is hidden by location %q; not supported yet",
						n.path, y.path, x.path)
				}
			}
		}
	}
	return nil
}

// siblings returns the locations at y's level.
func siblings(y *locNode, all []*locNode) []*locNode {
	var out []*locNode
	for _, n := range all {
		if n.parent == y.parent {
			out = append(out, n)
		}
	}
	return out
}
