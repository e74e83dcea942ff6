package nginxconf

import (
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/dlclark/regexp2/v2"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// The rewrite module's directives (set, return, rewrite, break, if) become Go hooks of the set
// phase, in directive order, mixed with set_by_lua hooks.

// ctl is what an op tells the program to do next.
type ctl uint8

const (
	ctlNext  ctl = iota // run the next op
	ctlBreak            // stop the rewrite directives of this level (break, rewrite ... break)
	ctlExit             // the request ends or jumps: return the op's error
)

type op interface {
	run(r *ngx.Request) (ctl, error)
}

// program is the rewrite directives of one level (server or location) with its set_by_lua
// hooks, in order.
type program struct {
	items       []progItem
	uriChanging bool // holds a rewrite without flag, at location level: search again after it
	regex       bool // holds a rewrite or an if with a regex: it sets $1..$9
}

type progItem struct {
	ops []op        // a run of rewrite directives, or
	lua *resty.Hook // a set_by_lua hook
}

func (p *program) add(o op) {
	if n := len(p.items); n > 0 && p.items[n-1].lua == nil {
		p.items[n-1].ops = append(p.items[n-1].ops, o)
		return
	}
	p.items = append(p.items, progItem{ops: []op{o}})
}

// hooks returns the set-phase hooks that run the program. server marks the server level,
// whose URI changes lead to a new location search before the location's own directives run;
// its last hook is always a Go hook, which ends the server's directives.
func (p *program) hooks(server bool) []resty.Hook {
	items := p.items
	if server && len(items) > 0 && items[len(items)-1].lua != nil {
		items = append(items[:len(items):len(items)], progItem{})
	}
	var hs []resty.Hook
	for i, it := range items {
		if it.lua != nil {
			hs = append(hs, *it.lua)
			continue
		}
		ops, last := it.ops, server && i == len(items)-1
		hs = append(hs, resty.Hook{Phase: ngx.PhaseSet, Go: func(r *ngx.Request) error {
			// After a jump (rewrite ... last, ngx.req.set_uri(uri, true)) the server's
			// directives do not run again; after an internal redirect they do.
			if state(r)&rwBreak == 0 && !(server && r.Jumped()) {
				for _, o := range ops {
					c, err := o.run(r)
					if c == ctlExit {
						return err
					}
					if c == ctlBreak {
						setState(r, rwBreak, 0)
						break
					}
				}
			}
			if last {
				return serverEnd(r)
			}
			return nil
		}})
	}
	return hs
}

// The rewrite module's state of a request lives in an rwState kept with Request.SetValue
// (a uint8 in an interface does not allocate), so that it survives the jumps between
// locations.
type (
	rwState uint8
	rwKey   struct{}
)

const (
	rwBreak      rwState = 1 << iota // break or rewrite ... break stopped this level's directives
	rwURIChanged                     // a rewrite without flag changed the URI: search again
)

func state(r *ngx.Request) rwState {
	s, _ := r.Value(rwKey{}).(rwState)
	return s
}

// setState turns the flags of on on and those of off off.
func setState(r *ngx.Request, on, off rwState) {
	if s := state(r); s&^off|on != s {
		r.SetValue(rwKey{}, s&^off|on)
	}
}

// jump searches the location of r's URI again after a rewrite, as nginx's rewrite ... last and
// post_rewrite phase do: the server's rewrite directives do not run again (they do after an
// internal redirect, which is not a jump).
func jump(r *ngx.Request) error {
	setState(r, 0, rwURIChanged)
	return r.SetURIJump(r.URI())
}

// serverEnd ends the server's rewrite directives: when they changed the URI, the location is
// searched again (nginx's find_config after server_rewrite).
func serverEnd(r *ngx.Request) error {
	s := state(r)
	setState(r, 0, rwBreak)
	if s&rwURIChanged == 0 || r.Jumped() {
		return nil
	}
	return jump(r)
}

// postRewriteHook ends the rewrite phase of a location whose rewrite directives changed the
// URI without a flag: the location is searched again, as nginx's post_rewrite phase does.
func postRewriteHook() resty.Hook {
	return resty.Hook{Phase: ngx.PhaseRewrite, Go: func(r *ngx.Request) error {
		if state(r)&rwURIChanged == 0 {
			return nil
		}
		return jump(r)
	}}
}

// setOp is set $name value.
type setOp struct {
	name  string
	value *tmpl
}

func (o *setOp) run(r *ngx.Request) (ctl, error) {
	return ctlNext, r.SetVar(o.name, o.value.expand(r))
}

// returnOp is return code [text|url] and return url.
type returnOp struct {
	code     int
	text     *tmpl // nil: no text
	redirect *redirector
	noLength bool // body filters may change the length
}

func (o *returnOp) run(r *ngx.Request) (ctl, error) {
	switch {
	case o.code == 444:
		return ctlExit, r.Exit(ngx.CodeError)
	case o.text == nil:
		return ctlExit, r.Exit(o.code)
	case isRedirect(o.code):
		o.redirect.location(r, o.text.expand(r))
		return ctlExit, r.Exit(o.code)
	}
	body := o.text.expand(r)
	if err := r.SetStatus(o.code); err != nil {
		return ctlExit, err
	}
	if !o.noLength {
		_ = r.SetResponseHeader("Content-Length", strconv.Itoa(len(body)))
	}
	if r.Method() != http.MethodHead {
		if err := r.Print(body); err != nil {
			return ctlExit, err
		}
	}
	// The status sent, which an error_page may have replaced.
	return ctlExit, r.Exit(r.Status())
}

func isRedirect(code int) bool {
	switch code {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// rewriteOp is rewrite regex replacement [flag].
type rewriteOp struct {
	re       *capRegex
	repl     *tmpl
	flag     string // "", last, break, redirect, permanent
	external bool   // the replacement is a URL: a redirect
	dropArgs bool   // the replacement ends with "?": the request's arguments are not appended
	server   bool   // at server level: a URI change leads to a location search after all of them
	redirect *redirector
	typer    *typer // the location's types: the URI's extension picks the response's type
}

func (o *rewriteOp) run(r *ngx.Request) (ctl, error) {
	groups, ok := o.re.match(r.URI())
	o.re.setCaptures(r, groups, ok)
	if !ok {
		return ctlNext, nil
	}
	value := o.repl.expand(r)
	if o.external || o.flag == "redirect" || o.flag == "permanent" {
		if o.dropArgs {
			value = strings.TrimSuffix(value, "?")
		} else if args := r.Args(); args != "" {
			sep := "?"
			if strings.Contains(value, "?") {
				sep = "&"
			}
			value += sep + args
		}
		o.redirect.location(r, value)
		code := http.StatusFound
		if o.flag == "permanent" {
			code = http.StatusMovedPermanently
		}
		return ctlExit, r.Exit(code)
	}
	path, args, hasArgs := strings.Cut(value, "?")
	if hasArgs {
		if old := r.Args(); old != "" && !o.dropArgs {
			if args != "" {
				args += "&"
			}
			args += old
		}
		r.SetArgs(args)
	}
	r.SetURI(path)
	r.MarkInternal()
	if o.server {
		setState(r, rwURIChanged, 0)
		if o.flag == "last" || o.flag == "break" {
			return ctlBreak, nil
		}
		return ctlNext, nil
	}
	switch o.flag {
	case "last":
		return ctlExit, jump(r)
	case "break":
		setState(r, 0, rwURIChanged)
		o.typer.set(r)
		return ctlBreak, nil
	}
	setState(r, rwURIChanged, 0)
	o.typer.set(r)
	return ctlNext, nil
}

// breakOp is break. In a location it also cancels the new location search a rewrite without
// flag asked for, as nginx's break clears uri_changed.
type breakOp struct{ server bool }

func (o breakOp) run(r *ngx.Request) (ctl, error) {
	if !o.server {
		setState(r, 0, rwURIChanged)
	}
	return ctlBreak, nil
}

// ifOp is if (condition) { ... }.
type ifOp struct {
	cond cond
	body []op
}

func (o *ifOp) run(r *ngx.Request) (ctl, error) {
	if !o.cond(r) {
		return ctlNext, nil
	}
	for _, b := range o.body {
		if c, err := b.run(r); c != ctlNext {
			return c, err
		}
	}
	return ctlNext, nil
}

type cond func(r *ngx.Request) bool

// capRegex is a regular expression of nginx.conf (PCRE there): Go's regexp when it accepts the
// expression, else regexp2, as package resty compiles location regexes.
type capRegex struct {
	re    *regexp.Regexp
	re2   *regexp2.Regexp
	named []namedGroup // (?<name>...) groups: variables $name
}

type namedGroup struct {
	name  string
	index int
}

func compileRegex(expr string, caseless bool) (*capRegex, error) {
	goExpr := expr
	if caseless {
		goExpr = "(?i)" + expr
	}
	if re, err := regexp.Compile(goExpr); err == nil {
		c := &capRegex{re: re}
		for i, name := range re.SubexpNames() {
			if name != "" {
				c.named = append(c.named, namedGroup{name, i})
			}
		}
		return c, nil
	}
	opt := regexp2.RegexOptions(0)
	if caseless {
		opt = regexp2.IgnoreCase
	}
	re2, err := regexp2.Compile(expr, opt)
	if err != nil {
		return nil, err
	}
	c := &capRegex{re2: re2}
	for _, name := range re2.GetGroupNames() {
		if _, numeric := strconv.Atoi(name); numeric != nil {
			c.named = append(c.named, namedGroup{name, re2.GroupNumberFromName(name)})
		}
	}
	return c, nil
}

// setCaptures makes the groups of a match $1..$9 and the variables $name, as nginx does; the
// numbers past the match's groups are not found. A failed match empties $1..$9 and keeps the
// named ones, as nginx does.
func (c *capRegex) setCaptures(r *ngx.Request, groups []string, matched bool) {
	if !matched {
		r.SetCaptures(nil, nil)
		return
	}
	r.SetCaptures(groups, nil)
	for _, g := range c.named {
		if g.index < len(groups) {
			_ = r.SetVar(g.name, groups[g.index])
		}
	}
}

// groups reports how many capture groups the expression has.
func (c *capRegex) groups() int {
	if c.re != nil {
		return c.re.NumSubexp()
	}
	return len(c.re2.GetGroupNumbers()) - 1
}

// match returns the whole match and the groups of the first match in s.
func (c *capRegex) match(s string) ([]string, bool) {
	if c.re != nil {
		if c.re.NumSubexp() == 0 {
			return nil, c.re.MatchString(s)
		}
		m := c.re.FindStringSubmatch(s)
		return m, m != nil
	}
	m, err := c.re2.FindStringMatch(s)
	if err != nil || m == nil {
		return nil, false
	}
	gs := m.Groups()
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.String()
	}
	return out, true
}

// fileTest is the -f -d -e -x test of if.
func fileTest(op string, path *tmpl) cond {
	neg := strings.HasPrefix(op, "!")
	kind := strings.TrimPrefix(op, "!")
	return func(r *ngx.Request) bool {
		fi, err := os.Stat(path.expand(r))
		ok := false
		if err == nil {
			switch kind {
			case "-f":
				ok = fi.Mode().IsRegular()
			case "-d":
				ok = fi.IsDir()
			case "-e":
				ok = true
			case "-x":
				ok = fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
			}
		}
		return ok != neg
	}
}
