package nginxconf

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/goresty/goresty/internal/ngxlua"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// env is what the directives of one level compile against: its variables' varScope and how it
// writes redirects.
type env struct {
	sc      *varScope
	rd      *redirector
	typer   *typer
	returns []*returnOp
}

// serverBuild builds one server block.
type serverBuild struct {
	ld   *loader
	srv  *Server
	lvl  *level
	env  *env
	name string   // first server_name: $server_name
	prog *program // the server's own rewrite directives
	// urlPages are the named locations that redirect to the URLs of error_page.
	urlPages []resty.Location
}

func (ld *loader) server(d *Directive, httpL *level) (*Server, error) {
	if err := checkBlock(d.Block, ctxServer); err != nil {
		return nil, err
	}
	lvl := newLevel()
	if err := ld.levelDirectives(d.Block, lvl, ctxServer); err != nil {
		return nil, err
	}
	lvl.inherit(httpL)
	srv := &Server{File: d.File, Line: d.Line, KeepaliveTimeout: *lvl.keepalive}
	if err := ld.listenAndNames(d, srv); err != nil {
		return nil, err
	}
	sb := &serverBuild{ld: ld, srv: srv, lvl: lvl}
	if len(srv.Names) > 0 {
		sb.name = srv.Names[0]
	}
	var err error
	if sb.env, err = sb.newEnv(lvl, nil); err != nil {
		return nil, err
	}
	if sb.prog, err = sb.program(d.Block, true, sb.env); err != nil {
		return nil, err
	}
	top, err := sb.locations(d.Block, nil, lvl)
	if err != nil {
		return nil, err
	}
	if !hasRoot(top) {
		root := &locNode{d: d, kind: locPrefix, path: "/", lvl: newLevel(), prog: &program{}}
		root.lvl.inherit(lvl)
		if root.env, err = sb.newEnv(root.lvl, root); err != nil {
			return nil, err
		}
		if tf := d.Find("try_files"); len(tf) > 0 {
			if root.try, err = sb.tryFiles(tf[0], root.env); err != nil {
				return nil, err
			}
		}
		top = append(top, root)
	}
	flat, err := flatten(top)
	if err != nil {
		return nil, err
	}
	if srv.Handler, err = sb.handler(d, flat); err != nil {
		return nil, err
	}
	return srv, nil
}

func hasRoot(top []*locNode) bool {
	for _, n := range top {
		if isStaticPrefix(n) && n.path == "/" {
			return true
		}
	}
	return false
}

// newEnv makes the env of a level: n is its location, nil for the server.
func (sb *serverBuild) newEnv(l *level, n *locNode) (*env, error) {
	e := &env{sc: &varScope{maps: sb.ld.maps}, rd: &redirector{absolute: *l.absRedirect,
		portIn: *l.portInRedirect, nameIn: *l.nameInRedirect, serverName: sb.name},
		typer: &typer{types: l.types, defaultType: *l.defaultType}}
	dr, err := sb.docRoot(l, n, e.sc)
	if err != nil {
		return nil, err
	}
	e.sc.root = dr
	return e, nil
}

// docRoot compiles the root or alias in effect at a level; nginx's default root is "html".
func (sb *serverBuild) docRoot(l *level, n *locNode, sc *varScope) (*docRoot, error) {
	if l.root == nil {
		return &docRoot{dir: literal(sb.ld.path("html"))}, nil
	}
	d := l.root.d
	dir := d.Args[0]
	if !strings.HasPrefix(dir, "$") {
		dir = sb.ld.path(dir)
		if strings.HasSuffix(d.Args[0], "/") && !strings.HasSuffix(dir, "/") {
			dir += "/"
		}
	}
	t, err := sb.ld.compile(d, dir, sc)
	if err != nil {
		return nil, err
	}
	dr := &docRoot{dir: t, alias: l.root.alias}
	if dr.alias && n != nil {
		if n.kind == locRegex {
			dr.regex = true
		} else {
			dr.locPrefix = n.path
		}
	}
	return dr, nil
}

// handler builds the server's resty.Handler from its flattened locations.
func (sb *serverBuild) handler(d *Directive, flat []*locNode) (*resty.Handler, error) {
	noCodeCache := !*sb.lvl.codeCache
	for _, n := range flat {
		if _, ok := n.lvl.lua[ngx.PhaseBodyFilter]; ok {
			for _, o := range sb.env.returns {
				o.noLength = true
			}
		}
		noCodeCache = noCodeCache || !*n.lvl.codeCache
	}
	pages, err := sb.errorPages(sb.lvl.errorPages)
	if err != nil {
		return nil, err
	}
	cfg := resty.Config{
		ErrorPages:   pages,
		MaxBodySize:  restyBodySize(*sb.lvl.maxBody),
		DefaultType:  restyType(*sb.lvl.defaultType),
		ServerTokens: sb.serverTokens(),
		Server:       sb.serverTokens(),
		Hooks:        sb.ld.hooks,
		Lua: resty.LuaConfig{PackagePath: sb.ld.luaPath, Prefix: sb.ld.prefix + "/",
			Timeout: sb.ld.opts.LuaTimeout, NoCodeCache: noCodeCache, Sockets: sb.ld.sockets},
	}
	cfg.Variables = sb.ld.declared()
	cfg.SharedDicts = sb.ld.cfg.storeMap()
	cfg.UnderscoresInHeaders = *sb.lvl.underscores
	cfg.ServerName = sb.name
	logs := sb.lvl.errorLogs
	el := sb.ld.errLog
	if len(logs) > 0 {
		if el, err = sb.ld.openErrorLog(logs...); err != nil {
			return nil, err
		}
	}
	cfg.Logger = sb.ld.logger(el, sb.name)
	for _, n := range flat {
		loc, err := sb.restyLocation(n)
		if err != nil {
			return nil, err
		}
		cfg.Locations = append(cfg.Locations, loc)
		sb.srv.matches = append(sb.srv.matches, loc.Match)
	}
	cfg.Locations = append(cfg.Locations, sb.urlPages...)
	h, err := resty.New(cfg)
	if err != nil {
		return nil, d.Errorf("%v", err)
	}
	return h, nil
}

// restyBodySize is client_max_body_size as resty.Location.MaxBodySize spells it: nginx's 0
// (no limit) is negative there. resty checks it when a location starts, except in the
// location of an error page, as nginx, which discards the body it refused.
func restyBodySize(n int64) int64 {
	if n == 0 {
		return -1
	}
	return n
}

// ownBodyCheck reports whether the loader checks client_max_body_size of location n itself
// (bodyLimitHook), where nginx checks it: after the server's rewrite directives and the
// internal directive, and never in a named location, which nginx enters without a location
// search. resty checks it before the location's hooks, which is the same place when neither
// kind of directive precedes it.
func (sb *serverBuild) ownBodyCheck(n *locNode) bool {
	return len(sb.prog.items) > 0 || n.internal || n.kind == locNamed
}

// bodyLimitHook is client_max_body_size, limit, of a location the loader checks itself
// (ownBodyCheck): check tells whether the request's Content-Length is checked here.
func bodyLimitHook(limit int64, check bool) resty.Hook {
	return resty.Hook{Phase: ngx.PhaseSet, Go: func(r *ngx.Request) error {
		r.SetMaxBodySize(limit)
		n := r.HTTPRequest().ContentLength
		if !check || limit == 0 || n <= limit || r.ErrorPageUsed() {
			return nil
		}
		r.Log(ngx.LevelErr, "client intended to send too large body: "+strconv.FormatInt(n, 10)+" bytes")
		return r.Exit(http.StatusRequestEntityTooLarge)
	}}
}

func (sb *serverBuild) serverTokens() string {
	t := sb.ld.opts.ServerTokens
	if t == "" {
		t = "goresty"
	}
	if !*sb.lvl.serverTokens {
		t, _, _ = strings.Cut(t, "/")
	}
	return t
}

// restyLocation builds the resty.Location of a flattened location: its hooks in nginx's order
// and its own settings.
func (sb *serverBuild) restyLocation(n *locNode) (resty.Location, error) {
	limits, err := sb.limitReqsOf(n.lvl, slices.Contains(luaVars(n), "limit_req_status"))
	if err != nil {
		return resty.Location{}, err
	}
	hs := sb.setHooks(n)
	hs = append(hs, sb.requestHooks(n, limits)...)
	filters, err := sb.filterHooks(n)
	if err != nil {
		return resty.Location{}, err
	}
	hs = append(hs, filters...)
	logs, err := sb.accessLogs(n.lvl, n.env)
	if err != nil {
		return resty.Location{}, err
	}
	if len(logs) > 0 {
		hs = append(hs, resty.Log(accessLogHook(logs, n.env.sc)))
	}
	loc := resty.Location{Match: n.match, Hooks: hs, DefaultType: restyType(*n.lvl.defaultType),
		MaxBodySize: restyBodySize(*n.lvl.maxBody)}
	if sb.ownBodyCheck(n) {
		loc.MaxBodySize = -1
	}
	if !sameDirectives(n.lvl.errorPages, sb.lvl.errorPages) {
		// The location's own error_page directives replace the server's.
		if loc.ErrorPages, err = sb.errorPages(n.lvl.errorPages); err != nil {
			return resty.Location{}, err
		}
	}
	return loc, nil
}

// setHooks are nginx's server rewrite, find-config checks and location rewrite directives.
func (sb *serverBuild) setHooks(n *locNode) []resty.Hook {
	hs := []resty.Hook{enterHook(n.env.typer)}
	if n.kind != locNamed { // a named location starts at its own rewrite phase
		hs = append(hs, sb.prog.hooks(true)...)
	}
	if sb.capturesAgain(n) {
		hs = append(hs, capturesHook(n.re))
	}
	if names := luaVars(n); len(names) > 0 {
		hs = append(hs, scopeVarsHook(names, n.env.sc))
	}
	if n.internal {
		hs = append(hs, resty.Hook{Phase: ngx.PhaseSet, Go: internalOnly})
	}
	if sb.ownBodyCheck(n) {
		hs = append(hs, bodyLimitHook(*n.lvl.maxBody, n.kind != locNamed))
	}
	hs = append(hs, n.proxy...)
	if n.lvl.socketLog != nil && !*n.lvl.socketLog {
		hs = append(hs, resty.Hook{Phase: ngx.PhaseSet, Go: func(r *ngx.Request) error {
			r.SetValue(ngxlua.NoSocketErrorLog{}, true)
			return nil
		}})
	}
	return append(hs, n.prog.hooks(false)...)
}

// requestHooks are the rewrite, access and content phases.
func (sb *serverBuild) requestHooks(n *locNode, limits *limitReqs) []resty.Hook {
	l := n.lvl
	var hs []resty.Hook
	if *l.needBody {
		hs = append(hs, resty.Hook{Phase: ngx.PhaseRewrite, Go: readBody})
	}
	hs = appendLua(hs, l, ngx.PhaseRewrite)
	if n.prog.uriChanging {
		hs = append(hs, postRewriteHook())
	}
	if limits != nil { // nginx's preaccess phase
		hs = append(hs, limits.hook())
	}
	if len(l.rules) > 0 {
		hs = append(hs, accessRulesHook(l.rules))
	}
	hs = appendLua(hs, l, ngx.PhaseAccess)
	if n.try != nil {
		hs = append(hs, n.try.hook())
	}
	_, rewrite := l.lua[ngx.PhaseRewrite]
	if _, access := l.lua[ngx.PhaseAccess]; rewrite || access {
		// ngx.req.set_uri may have changed the URI, and with it the type.
		hs = append(hs, resty.Content(func(r *ngx.Request) error {
			n.env.typer.set(r)
			return nil
		}))
	}
	if n.content != nil {
		return append(hs, *n.content)
	}
	return append(hs, sb.static(n).hook())
}

// filterHooks are the header and body filters: header_filter_by_lua, then expires and add_header (nginx's headers filter runs after
// Lua's), then body_filter_by_lua and log_by_lua.
func (sb *serverBuild) filterHooks(n *locNode) ([]resty.Hook, error) {
	l := n.lvl
	var hs []resty.Hook
	hs = appendLua(hs, l, ngx.PhaseHeaderFilter)
	if l.charset != nil && *l.charset != "off" {
		hs = append(hs, charsetHook(*l.charset, l.charsetTypes))
	}
	if l.expires != nil {
		hs = append(hs, l.expires.hook())
	}
	if len(l.addHeaders) > 0 {
		ahs, err := sb.addHeaders(l, n.env)
		if err != nil {
			return nil, err
		}
		hs = append(hs, addHeadersHook(ahs))
	}
	hs = appendLua(hs, l, ngx.PhaseBodyFilter)
	_, bodyFilter := l.lua[ngx.PhaseBodyFilter]
	for _, o := range n.env.returns {
		o.noLength = bodyFilter
	}
	return appendLua(hs, l, ngx.PhaseLog), nil
}

func appendLua(hs []resty.Hook, l *level, p ngx.Phase) []resty.Hook {
	if hk, ok := l.lua[p]; ok {
		hs = append(hs, hk)
	}
	return hs
}

func (sb *serverBuild) static(n *locNode) *static {
	l := n.lvl
	s := &static{root: n.env.sc.root, types: l.types, defaultType: *l.defaultType,
		logNotFound: *l.logNotFound, redirect: n.env.rd}
	for _, name := range l.index {
		s.index = append(s.index, literal(name))
	}
	return s
}

func (sb *serverBuild) addHeaders(l *level, e *env) ([]*addHeader, error) {
	var out []*addHeader
	for _, d := range l.addHeaders {
		v, err := sb.ld.compile(d, d.Args[1], e.sc)
		if err != nil {
			return nil, err
		}
		out = append(out, &addHeader{name: d.Args[0], value: v, always: len(d.Args) == 3})
	}
	return out, nil
}

func (sb *serverBuild) accessLogs(l *level, e *env) ([]*accessLog, error) {
	if !l.accessLogSet {
		d := &Directive{Name: "access_log", Args: []string{"logs/access.log"}, File: sb.srv.File, Line: sb.srv.Line}
		al, err := sb.ld.accessLogDirective(d, e.sc)
		return []*accessLog{al}, err
	}
	var out []*accessLog
	for _, d := range l.accessLogs {
		al, err := sb.ld.accessLogDirective(d, e.sc)
		if err != nil {
			return nil, err
		}
		if al == nil { // off
			if len(l.accessLogs) > 1 {
				return nil, d.Errorf("invalid parameter %q", "off")
			}
			return nil, nil
		}
		out = append(out, al)
	}
	return out, nil
}

// enterHook starts a location: it forgets the rewrite state a previous location left and
// gives the response the type of the URI's extension.
func enterHook(t *typer) resty.Hook {
	return resty.Hook{Phase: ngx.PhaseSet, Go: func(r *ngx.Request) error {
		setState(r, 0, rwBreak|rwURIChanged)
		t.enter(r)
		return nil
	}}
}

// capturesAgain reports whether a regex location must set its captures again after resty set
// them: its named groups are variables; its groups lost their numbers in the flattened
// expression, which holds the groups of the regex it is nested in; or the server's rewrite
// directives, which run after resty matched the location, may have replaced $1..$9. A
// location regex without groups keeps the captures before it, as in nginx.
func (sb *serverBuild) capturesAgain(n *locNode) bool {
	switch {
	case n.kind != locRegex || n.re.groups() == 0:
		return false
	case len(n.re.named) > 0 || sb.prog.regex:
		return true
	}
	for p := n.parent; p != nil && p.kind == locRegex; p = p.parent {
		if p.re.groups() > 0 {
			return true
		}
	}
	return false
}

// capturesHook sets $1..$9 and the named groups of a regex location's match.
func capturesHook(re *capRegex) resty.Hook {
	return resty.Hook{Phase: ngx.PhaseSet, Go: func(r *ngx.Request) error {
		if groups, ok := re.match(r.URI()); ok {
			re.setCaptures(r, groups, true)
		}
		return nil
	}}
}

// internalOnly is the internal directive: requests from clients get 404. As in nginx, a
// request whose URI a rewrite changed is internal.
func internalOnly(r *ngx.Request) error {
	if r.IsInternal() {
		return nil
	}
	return r.Exit(404)
}

// readBody is lua_need_request_body on.
func readBody(r *ngx.Request) error {
	err := r.ReadBody()
	if errors.Is(err, ngx.ErrBodyTooLarge) {
		return r.Exit(413)
	}
	return err
}
