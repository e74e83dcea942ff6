package resty

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dlclark/regexp2/v2"
)

// matchKind is a location's modifier.
type matchKind uint8

const (
	matchPrefix matchKind = iota
	matchExact
	matchPrefixNoRegex // ^~
	matchRegex         // ~ and ~*
	matchNamed         // @name
)

// pattern is a compiled regular expression of a location; Go's regexp when it accepts the
// expression, else a PCRE-compatible one, as nginx uses PCRE.
type pattern struct {
	re  *regexp.Regexp
	re2 *regexp2.Regexp
}

// captures returns the submatches of s ("" for a group that did not take part) and the names
// of the groups.
func (p *pattern) captures(s string) (caps, names []string) {
	if p.re != nil {
		return p.re.FindStringSubmatch(s), p.re.SubexpNames()
	}
	m, err := p.re2.FindStringMatch(s)
	if err != nil || m == nil {
		return nil, nil
	}
	groups := m.Groups()
	caps = make([]string, len(groups))
	names = make([]string, len(groups))
	for i, g := range groups {
		caps[i] = g.String()
		if g.Name != strconv.Itoa(i) {
			names[i] = g.Name
		}
	}
	return caps, names
}

func (p *pattern) match(s string) bool {
	if p.re != nil {
		return p.re.MatchString(s)
	}
	ok, err := p.re2.MatchString(s)
	return err == nil && ok
}

// parseMatch splits a Location.Match into its modifier and path or expression.
func parseMatch(m string) (matchKind, string, *pattern, error) {
	m = strings.TrimSpace(m)
	var kind matchKind
	var rest string
	switch {
	case strings.HasPrefix(m, "@"):
		if len(m) == 1 {
			return 0, "", nil, fmt.Errorf("empty named location")
		}
		return matchNamed, m, nil, nil
	case strings.HasPrefix(m, "^~"):
		kind, rest = matchPrefixNoRegex, m[2:]
	case strings.HasPrefix(m, "~*"):
		kind, rest = matchRegex, m[2:]
	case strings.HasPrefix(m, "~"):
		kind, rest = matchRegex, m[1:]
	case strings.HasPrefix(m, "="):
		kind, rest = matchExact, m[1:]
	default:
		kind, rest = matchPrefix, m
	}
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return 0, "", nil, fmt.Errorf("missing path")
	}
	if kind != matchRegex {
		return kind, rest, nil, nil
	}
	expr := rest
	if strings.HasPrefix(m, "~*") {
		expr = "(?i)" + rest
	}
	if re, err := regexp.Compile(expr); err == nil {
		return kind, rest, &pattern{re: re}, nil
	}
	opt := regexp2.RegexOptions(0)
	if strings.HasPrefix(m, "~*") {
		opt = regexp2.IgnoreCase
	}
	re2, err := regexp2.Compile(rest, opt)
	if err != nil {
		return 0, "", nil, fmt.Errorf("invalid regex %q: %w", rest, err)
	}
	return kind, rest, &pattern{re2: re2}, nil
}

// router finds the location of a path with nginx's rules.
type router struct {
	exact    map[string]*location
	prefixes []*location // longest first
	regexes  []*location // config order
	named    map[string]*location
	fallback *location // serves paths that match no location
}

func (rt *router) add(l *location) error {
	switch l.kind {
	case matchExact:
		if _, dup := rt.exact[l.path]; dup {
			return fmt.Errorf("duplicate location")
		}
		rt.exact[l.path] = l
	case matchNamed:
		if _, dup := rt.named[l.path]; dup {
			return fmt.Errorf("duplicate location")
		}
		rt.named[l.path] = l
	case matchRegex:
		rt.regexes = append(rt.regexes, l)
	default:
		for _, p := range rt.prefixes {
			if p.path == l.path {
				return fmt.Errorf("duplicate location")
			}
		}
		rt.prefixes = append(rt.prefixes, l)
	}
	return nil
}

// sort orders the prefixes longest first; ties cannot happen, duplicates are refused.
func (rt *router) sort() {
	sort.SliceStable(rt.prefixes, func(i, j int) bool {
		return len(rt.prefixes[i].path) > len(rt.prefixes[j].path)
	})
}

// match returns the location serving path.
func (rt *router) match(path string) *location {
	if l, ok := rt.exact[path]; ok {
		return l
	}
	var best *location
	for _, l := range rt.prefixes {
		if strings.HasPrefix(path, l.path) {
			best = l
			break
		}
	}
	if best != nil && best.kind == matchPrefixNoRegex {
		return best
	}
	for _, l := range rt.regexes {
		if l.re.match(path) {
			return l
		}
	}
	if best != nil {
		return best
	}
	return rt.fallback
}
