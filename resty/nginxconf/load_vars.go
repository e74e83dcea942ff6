package nginxconf

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// builtinVars are the variables package ngx defines, plus the ones this loader adds (varScope
// variables), plus nginx variables that exist without a value here (upstream_*). A directive
// that names any other variable, not defined by set or set_by_lua, fails as in nginx with
// `unknown "name" variable`.
var builtinVars = map[string]bool{
	"uri": true, "document_uri": true, "request_uri": true, "args": true, "query_string": true,
	"is_args": true, "host": true, "hostname": true, "remote_addr": true, "remote_port": true,
	"server_addr": true, "server_port": true, "request_method": true, "scheme": true,
	"https": true, "server_protocol": true, "content_type": true, "content_length": true,
	"request_body": true, "status": true, "request_time": true, "body_bytes_sent": true,
	"msec": true, "time_local": true, "time_iso8601": true, "nginx_version": true,
	"request": true, "remote_user": true, "pid": true, "bytes_sent": true,
	"request_length": true, "request_id": true, "binary_remote_addr": true, "limit_rate": true,
	"request_completion": true, "server_name": true,
	// Added by varScope.
	"document_root": true, "realpath_root": true, "request_filename": true,
	"limit_req_status": true,
	// Provided by proxy_pass.
	"proxy_host": true, "proxy_port": true, "proxy_add_x_forwarded_for": true,
	// Known to nginx, empty here.
	"upstream_addr": true, "upstream_status": true, "upstream_response_time": true,
	"upstream_connect_time": true, "upstream_header_time": true, "upstream_cache_status": true,
	"connection": true, "connection_requests": true, "pipe": true,
}

// writableBuiltins are the built-in variables set may assign.
var writableBuiltins = map[string]bool{"args": true, "query_string": true, "limit_rate": true}

// varPrefixes are the families of variables with a name after the prefix.
var varPrefixes = []string{"arg_", "http_", "cookie_", "sent_http_", "upstream_http_"}

// knownVar reports whether name is a variable nginx would accept in a directive.
func (ld *loader) knownVar(name string) bool {
	if builtinVars[name] || ld.vars[name] || ld.maps[name] != nil {
		return true
	}
	if len(name) == 1 && name[0] >= '1' && name[0] <= '9' {
		return true
	}
	for _, p := range varPrefixes {
		if strings.HasPrefix(name, p) && len(name) > len(p) {
			return true
		}
	}
	return false
}

// namedGroupRe finds the named groups of regexes, (?<name>...), (?P<name>...), (?'name'...).
var namedGroupRe = regexp.MustCompile(`\(\?P?(?:<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')`)

// collectVars records the variables set and set_by_lua define anywhere under ds, and the
// named groups of regexes: nginx variables are global to the configuration.
func collectVars(ds []*Directive, vars map[string]bool) {
	Walk(ds, func(d *Directive, _ []*Directive) bool {
		fam, _ := luaFamily(d.Name)
		if (d.Name == "set" || fam == "set_by_lua") && len(d.Args) > 0 {
			vars[strings.TrimPrefix(d.Args[0], "$")] = true
		}
		var regexes []string
		switch d.Name {
		case "location", "rewrite", "if", "server_name":
			regexes = d.Args
		case "map":
			for _, e := range d.Block {
				regexes = append(regexes, e.Name)
			}
		}
		for _, a := range regexes {
			for _, m := range namedGroupRe.FindAllStringSubmatch(a, -1) {
				vars[m[1]+m[2]] = true
			}
		}
		return d.Name != "map"
	})
}

// declared returns the user variables the handler must let hooks assign: those set and
// set_by_lua define, the named regex groups, the maps and the loader's own variables for Lua.
func (ld *loader) declared() []string {
	out := append([]string(nil), scopeVars...)
	for name := range ld.vars {
		out = append(out, name)
	}
	for name := range ld.maps {
		out = append(out, name)
	}
	return out
}

// varScope resolves the variables that depend on where a directive is: the location's
// document root and the maps. It is shared by the templates of one location.
type varScope struct {
	maps map[string]*mapVar
	root *docRoot // nil: no root known (server level before locations)
}

// tmpl is a directive value with variables, expanded per request.
type tmpl struct {
	parts []Part
	sc    *varScope
	plain bool
}

// compile parses a directive argument into a template, checking its variables.
func (ld *loader) compile(d *Directive, arg string, sc *varScope) (*tmpl, error) {
	parts, err := SplitVars(arg)
	if err != nil {
		return nil, d.Errorf("invalid variable name in %q", arg)
	}
	t := &tmpl{parts: parts, sc: sc, plain: true}
	for _, p := range parts {
		if p.Var == "" {
			continue
		}
		t.plain = false
		if !ld.knownVar(p.Var) {
			return nil, d.Errorf("unknown %q variable", p.Var)
		}
	}
	return t, nil
}

// literal returns a template of fixed text.
func literal(s string) *tmpl { return &tmpl{parts: []Part{{Literal: s}}, plain: true} }

// expand returns the template's value for r.
func (t *tmpl) expand(r *ngx.Request) string { return t.expandIn(r, t.sc) }

// expandIn returns the template's value for r with the variables of scope sc (a map's source
// and values take the scope of the directive that reads the map).
func (t *tmpl) expandIn(r *ngx.Request, sc *varScope) string {
	if t.plain {
		if len(t.parts) == 0 {
			return ""
		}
		return t.parts[0].Literal
	}
	var b strings.Builder
	for _, p := range t.parts {
		if p.Var == "" {
			b.WriteString(p.Literal)
			continue
		}
		v, _ := sc.lookup(r, p.Var)
		b.WriteString(v)
	}
	return b.String()
}

// lookup returns variable name's value for r and whether it has one.
func (sc *varScope) lookup(r *ngx.Request, name string) (string, bool) {
	if sc != nil {
		if m, ok := sc.maps[name]; ok {
			return m.eval(r, sc), true
		}
	}
	switch name {
	case "document_root", "realpath_root", "request_filename":
		if sc == nil || sc.root == nil {
			return "", false
		}
		return sc.root.variable(r, name)
	case "limit_req_status":
		s, ok := r.Value(limitStatusKey{}).(string)
		return s, ok
	case "proxy_host", "proxy_port", "proxy_add_x_forwarded_for":
		v, ok := r.Value(proxyVarsKey{}).(*proxyVars)
		if !ok || v == nil {
			return "", false
		}
		return v.variable(name), true
	}
	return r.Var(name)
}

// realpath resolves symbolic links as $realpath_root does.
func realpath(p string) string {
	if rp, err := filepath.EvalSymlinks(p); err == nil {
		return rp
	}
	return p
}

// scopeVars are the variables this loader computes (package ngx does not know them) that Lua
// code may read through ngx.var.
var scopeVars = []string{"document_root", "realpath_root", "request_filename", "limit_req_status"}

// luaVars returns the scope variables and maps that the Lua code of a location mentions.
func luaVars(n *locNode) []string {
	var srcs []string
	add := func(hk resty.Hook) {
		if hk.LuaFile != "" {
			b, _ := os.ReadFile(hk.LuaFile)
			srcs = append(srcs, string(b))
		}
		srcs = append(srcs, hk.Lua)
	}
	for _, hk := range n.lvl.lua {
		add(hk)
	}
	if n.content != nil {
		add(*n.content)
	}
	for _, it := range n.prog.items {
		if it.lua != nil {
			add(*it.lua)
		}
	}
	var out []string
	names := append([]string(nil), scopeVars...)
	for name := range n.env.sc.maps {
		names = append(names, name)
	}
	for _, name := range names {
		for _, src := range srcs {
			if strings.Contains(src, name) {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

// scopeVarsHook defines the scope variables a location's Lua code reads.
func scopeVarsHook(names []string, sc *varScope) resty.Hook {
	return resty.Hook{Phase: ngx.PhaseSet, Go: func(r *ngx.Request) error {
		for _, name := range names {
			if v, ok := sc.lookup(r, name); ok {
				_ = r.SetVar(name, v)
			}
		}
		return nil
	}}
}
