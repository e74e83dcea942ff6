package nginxconf

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goresty/goresty/cache"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/upstream"
)

// proxyPass is the content of a location with proxy_pass.
type proxyPass struct {
	d         *Directive
	proxy     upstream.Proxy // the settings; Group is set when the target is static
	url       *tmpl          // the target when it has variables
	uri       string         // the URI part of a static target
	hasURI    bool
	locPrefix string // the location's prefix, which the URI part replaces
	host      string // $proxy_host of a static target
	port      string
	set       []setHeader
	noHeaders bool // proxy_pass_request_headers off
	noBody    bool // proxy_pass_request_body off
	hide      []string
	pass      []string
	redirects []redirectRule
	intercept map[int]bool // proxy_intercept_errors: the statuses error_page answers here
	accel     bool         // X-Accel-Redirect from the upstream redirects internally
	rd        *redirector  // absolute_redirect and its siblings
	rc        *cache.Responses
	policy    *cache.Policy // without Key, Bypass and NoCache, set per request
	key       *tmpl         // proxy_cache_key; nil: nginx's default, the URL the request goes to
	bypass    []*tmpl
	noCache   []*tmpl
	dyn       *dynGroups
	scheme    string             // of a static target: "http://" or "https://"
	tls       *upstream.ProxyTLS // proxy_ssl_*, for https:// targets
	sslName   *tmpl              // proxy_ssl_name with variables
}

type setHeader struct {
	name  string
	value *tmpl
}

// redirectRule is one proxy_redirect replacement of a Location or Refresh field's prefix.
type redirectRule struct {
	from, to *tmpl
}

// proxyStartKey keeps the URI a request had when its location started (Request.SetValue): a
// URI changed in the location (rewrite ... break) is passed whole.
type proxyStartKey struct{}

// proxyPassHook reads proxy_pass of location n, with the location's proxy_* settings.
func (sb *serverBuild) proxyPass(d *Directive, n *locNode) (*resty.Hook, []resty.Hook, error) {
	ld := sb.ld
	px := &n.lvl.px
	pp := &proxyPass{d: d, dyn: ld.dyn, rd: n.env.rd}
	raw := d.Args[0]
	if d.ArgHasVars(0) {
		t, err := ld.compile(d, raw, n.env.sc)
		if err != nil {
			return nil, nil, err
		}
		pp.url = t
	} else {
		u, err := parseProxyURL(d, raw)
		if err != nil {
			return nil, nil, err
		}
		pp.host, pp.port, pp.uri, pp.hasURI, pp.scheme = u.host, u.port, u.uri, u.hasURI, u.scheme()
		if pp.hasURI && (n.kind == locRegex || n.kind == locNamed) {
			return nil, nil, d.Errorf("\"proxy_pass\" cannot have URI part in location given by regular expression, " +
				"or inside named location, or inside \"if\" statement, or inside \"limit_except\" block")
		}
		if g := ld.groups[u.host]; g != nil && u.port == "" {
			pp.proxy.Group = g
		} else if pp.proxy.Group, err = ld.dyn.group(u.hostPort()); err != nil {
			return nil, nil, d.Errorf("%v", err)
		}
	}
	if n.kind == locPrefix || n.kind == locNoRegex || n.kind == locExact {
		pp.locPrefix = n.path
	}
	if pp.url != nil || pp.scheme == "https://" {
		var err error
		if pp.tls, pp.sslName, err = ld.proxyTLS(&px.ssl, n); err != nil {
			return nil, nil, err
		}
		if pp.scheme == "https://" && pp.sslName == nil {
			pp.proxy.TLS = pp.tls
		}
	}
	if px.httpVersion != nil {
		pp.proxy.HTTPVersion = *px.httpVersion
	}
	pp.proxy.ConnectTimeout = deref(px.connect)
	pp.proxy.SendTimeout = deref(px.send)
	pp.proxy.ReadTimeout = deref(px.read)
	pp.proxy.NextUpstream = deref(px.next)
	pp.proxy.NextUpstreamTries = deref(px.tries)
	pp.proxy.NextUpstreamTimeout = deref(px.nextTimeout)
	pp.noHeaders = px.passHeaders != nil && !*px.passHeaders
	pp.noBody = px.passBody != nil && !*px.passBody
	for _, h := range upstream.DefaultHiddenHeaders {
		// With a cache, X-Accel-Expires goes to it, which reads it and drops it.
		if h != "X-Accel-Expires" || px.cache == nil || *px.cache == "off" {
			pp.hide = append(pp.hide, h)
		}
	}
	pp.hide = append(pp.hide, px.hide...)
	pp.accel = !deref(px.ignoreRedirect) && !containsFold(px.pass, "X-Accel-Redirect")
	pp.pass = px.pass
	for _, s := range px.setHeaders {
		v, err := ld.compile(s, s.Args[1], n.env.sc)
		if err != nil {
			return nil, nil, err
		}
		pp.set = append(pp.set, setHeader{name: s.Args[0], value: v})
	}
	if err := pp.readRedirects(ld, px.redirects, n, raw); err != nil {
		return nil, nil, err
	}
	if px.intercept != nil && *px.intercept {
		pp.intercept = map[int]bool{}
		for _, ep := range n.lvl.errorPages {
			codes, _, _, err := parseErrorPage(ep)
			if err != nil {
				return nil, nil, err
			}
			for _, c := range codes {
				pp.intercept[c] = true
			}
		}
	}
	if err := pp.readCache(ld, px, n); err != nil {
		return nil, nil, err
	}
	hk := resty.Content(pp.serve)
	start := resty.Hook{Phase: ngx.PhaseSet, Go: func(r *ngx.Request) error {
		r.SetValue(proxyStartKey{}, r.URI())
		return nil
	}}
	return &hk, []resty.Hook{start}, nil
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// proxyURL is a parsed proxy_pass target.
type proxyURL struct {
	host, port string // port "" when not written
	uri        string
	hasURI     bool
	tls        bool // https://
}

// defaultPort is the port of the URL's scheme.
func (u proxyURL) defaultPort() string {
	if u.tls {
		return "443"
	}
	return "80"
}

func (u proxyURL) hostPort() string {
	if u.port == "" {
		return u.host + ":" + u.defaultPort()
	}
	return u.host + ":" + u.port
}

// proxyHost is $proxy_host: host[:port] as written, without the scheme's default port.
func (u proxyURL) proxyHost() string {
	if u.port == "" || u.port == u.defaultPort() {
		return u.host
	}
	return u.host + ":" + u.port
}

// scheme is the URL's scheme, with "://".
func (u proxyURL) scheme() string {
	if u.tls {
		return "https://"
	}
	return "http://"
}

// parseProxyURL reads "http://host[:port][/uri]".
func parseProxyURL(d *Directive, raw string) (proxyURL, error) {
	var u proxyURL
	rest, ok := strings.CutPrefix(raw, "http://")
	if !ok {
		if rest, ok = strings.CutPrefix(raw, "https://"); !ok {
			return u, d.Errorf("invalid URL prefix in %q", raw)
		}
		u.tls = true
	}
	hostPort := rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		hostPort, u.uri, u.hasURI = rest[:i], rest[i:], true
	}
	if strings.HasPrefix(hostPort, "unix:") {
		return u, d.Errorf("unix: upstreams in \"proxy_pass\" are not supported yet")
	}
	u.host = hostPort
	if h, p, err := net.SplitHostPort(hostPort); err == nil {
		n, convErr := strconv.Atoi(p)
		if convErr != nil || n < 1 || n > 65535 {
			return u, d.Errorf("invalid port in upstream %q", hostPort)
		}
		u.host, u.port = h, p
	}
	if u.host == "" {
		return u, d.Errorf("no host in upstream %q", raw)
	}
	return u, nil
}

// dynGroups are the one-server groups of proxy_pass targets that name no upstream block, made
// at load for static targets and on first use for targets with variables; all are closed with
// the Config.
type dynGroups struct {
	blocks map[string]*upstream.Group // the upstream blocks, by name
	keys   map[*upstream.Group]*tmpl  // the balancing keys of hashing upstream blocks
	mu     sync.Mutex
	m      map[string]*upstream.Group
}

func (g *dynGroups) group(addr string) (*upstream.Group, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if gr := g.m[addr]; gr != nil {
		return gr, nil
	}
	gr, err := upstream.NewGroup(addr, []upstream.Server{{Addr: addr}})
	if err != nil {
		return nil, err
	}
	if g.m == nil {
		g.m = map[string]*upstream.Group{}
	}
	g.m[addr] = gr
	return gr, nil
}

func (g *dynGroups) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, gr := range g.m {
		gr.Close()
	}
	g.m = nil
}

// readRedirects compiles proxy_redirect: "default" (the target's URL to the location's
// prefix), "off", or pairs of text.
func (pp *proxyPass) readRedirects(ld *loader, ds []*Directive, n *locNode, raw string) error {
	def := len(ds) == 0
	for _, d := range ds {
		switch {
		case len(d.Args) == 1 && d.Args[0] == "off":
			if len(ds) > 1 {
				return d.Errorf("invalid parameter %q", "off")
			}
			return nil
		case len(d.Args) == 1 && d.Args[0] == "default":
			def = true
		case len(d.Args) == 2:
			if strings.HasPrefix(d.Args[0], "~") {
				return d.Errorf("regular expressions in \"proxy_redirect\" are not supported yet")
			}
			from, err := ld.compile(d, d.Args[0], n.env.sc)
			if err != nil {
				return err
			}
			to, err := ld.compile(d, d.Args[1], n.env.sc)
			if err != nil {
				return err
			}
			pp.redirects = append(pp.redirects, redirectRule{from: from, to: to})
		default:
			return d.Errorf("invalid number of arguments in %q directive", d.Name)
		}
	}
	if def && pp.url == nil {
		// nginx's default: the target's URL with its URI part becomes the location's prefix,
		// the target without one, "/".
		if pp.hasURI {
			if pp.locPrefix != "" {
				pp.redirects = append(pp.redirects, redirectRule{from: literal(raw), to: literal(pp.locPrefix)})
			}
		} else {
			pp.redirects = append(pp.redirects, redirectRule{from: literal(raw + "/"), to: literal("/")})
		}
	}
	return nil
}

// serve is the content hook: the request goes to the upstream, through the cache when the
// location has one.
func (pp *proxyPass) serve(r *ngx.Request) error {
	defer r.SetValue(proxyVarsKey{}, nil)
	// nginx's not_modified filter leaves proxied responses alone unless they are cacheable,
	// and then the cache answers conditional requests itself.
	r.DisableNotModified()
	target, err := pp.target(r)
	if err != nil {
		r.Log(ngx.LevelErr, err.Error())
		return r.Exit(http.StatusBadGateway)
	}
	out, err := pp.outgoing(r, target)
	if err != nil {
		if errors.Is(err, ngx.ErrBodyTooLarge) {
			return r.Exit(http.StatusRequestEntityTooLarge)
		}
		return err
	}
	if pp.rc == nil {
		err = pp.exchange(r, r.ResponseWriter(), out, target)
	} else {
		err = pp.cached(r, out, target)
	}
	var pe *upstream.ProxyError
	if errors.As(err, &pe) {
		return r.Exit(pe.Status)
	}
	return err
}

// proxyVarsKey keeps $proxy_host, $proxy_port and $proxy_add_x_forwarded_for
// (Request.SetValue) while the request to the upstream is made: as in nginx, they have values
// only in the proxy module's own directives (proxy_set_header, proxy_cache_key, ...), not in
// other phases.
type proxyVarsKey struct{}

type proxyVars struct{ host, port, xff string }

// variable returns the value of a proxy variable.
func (v *proxyVars) variable(name string) string {
	switch name {
	case "proxy_host":
		return v.host
	case "proxy_port":
		return v.port
	}
	return v.xff
}

// proxyTarget is where one request goes.
type proxyTarget struct {
	proxy  *upstream.Proxy
	scheme string // "http://" or "https://"
	host   string // $proxy_host
	uri    string
	method string
}

// target resolves the request's group and URI and provides $proxy_host and $proxy_port.
func (pp *proxyPass) target(r *ngx.Request) (*proxyTarget, error) {
	t := &proxyTarget{proxy: &pp.proxy, method: r.Method(), scheme: pp.scheme}
	host, port, uri, hasURI := pp.host, pp.port, pp.uri, pp.hasURI
	tlsTarget := pp.scheme == "https://"
	if pp.url != nil {
		raw := pp.url.expand(r)
		u, err := parseProxyURL(pp.d, raw)
		if err != nil {
			return nil, err
		}
		host, port, uri, hasURI = u.host, u.port, u.uri, u.hasURI
		t.scheme, tlsTarget = u.scheme(), u.tls
		p := pp.proxy
		p.TLS = nil
		if u.tls {
			p.TLS = pp.tls
		}
		if g := pp.dyn.named(host); g != nil && port == "" {
			p.Group = g
		} else {
			if net.ParseIP(strings.Trim(host, "[]")) == nil {
				return nil, errors.New("no resolver defined to resolve " + host)
			}
			if p.Group, err = pp.dyn.group(u.hostPort()); err != nil {
				return nil, err
			}
		}
		t.proxy = &p
	}
	t.host = proxyURL{host: host, port: port, tls: tlsTarget}.proxyHost()
	if port == "" {
		port = proxyURL{tls: tlsTarget}.defaultPort()
	}
	if tlsTarget && pp.sslName != nil {
		// proxy_ssl_name with variables: this request's copy of the settings.
		p, conf := *t.proxy, *pp.tls
		conf.Name = pp.sslName.expand(r)
		p.TLS = &conf
		t.proxy = &p
	}
	xff, _ := r.Var("remote_addr")
	if prev := r.HTTPRequest().Header.Values("X-Forwarded-For"); len(prev) > 0 {
		xff = strings.Join(prev, ", ") + ", " + xff
	}
	r.SetValue(proxyVarsKey{}, &proxyVars{host: t.host, port: port, xff: xff})
	t.uri = pp.requestURI(r, uri, hasURI)
	return t, nil
}

// requestURI is the request target sent upstream, by nginx's rules: the client's as it sent
// it when the URI is unchanged and the target has no URI part; else the URI, with the
// location's prefix replaced by the target's URI part when it has one and the URI was not
// changed in the location, escaped, with the arguments.
func (pp *proxyPass) requestURI(r *ngx.Request, uri string, hasURI bool) string {
	if pp.url != nil && hasURI {
		return uri
	}
	orig := r.HTTPRequest()
	if !hasURI && !r.IsInternal() && r.URI() == ngx.NormalizePath(orig.URL.Path) && r.Args() == orig.URL.RawQuery {
		if ru := r.RequestURI(); strings.HasPrefix(ru, "/") {
			return ru
		}
	}
	cur := r.URI()
	start, _ := r.Value(proxyStartKey{}).(string)
	var b strings.Builder
	if hasURI && start == cur && strings.HasPrefix(cur, pp.locPrefix) {
		b.WriteString(uri)
		cur = cur[len(pp.locPrefix):]
	}
	b.WriteString(ngx.EscapeURI(cur, false))
	if a := r.Args(); a != "" {
		b.WriteByte('?')
		b.WriteString(a)
	}
	return b.String()
}

// outgoing builds the request to the upstream: proxy_set_header's fields (nginx's defaults
// among them), the client's fields and body unless proxy_pass_request_* turn them off.
func (pp *proxyPass) outgoing(r *ngx.Request, t *proxyTarget) (*upstream.Outgoing, error) {
	out := &upstream.Outgoing{Method: t.method, URI: t.uri}
	length := int64(-1)
	if !pp.noBody {
		if err := r.ReadBody(); err != nil {
			return nil, err
		}
		if body := r.Body(); body != nil {
			out.Body, length = body, int64(len(body))
		}
	}
	set := make([]upstream.Field, 0, len(pp.set))
	for _, s := range pp.set {
		set = append(set, upstream.Field{Name: s.name, Value: s.value.expand(r)})
	}
	var h http.Header
	if !pp.noHeaders {
		h = r.HTTPRequest().Header
	}
	out.Header = upstream.DefaultFields(h, t.host, set, length)
	if key := pp.dyn.keys[t.proxy.Group]; key != nil {
		out.Key = key.expand(r)
	}
	return out, nil
}

// exchange sends out to the upstream and writes the response to w, or returns the
// upstream.ProxyError of a failure, having written nothing.
func (pp *proxyPass) exchange(r *ngx.Request, w http.ResponseWriter, out *upstream.Outgoing, t *proxyTarget) error {
	resp, err := t.proxy.Do(r.Context(), out)
	if err != nil {
		var pe *upstream.ProxyError
		if errors.As(err, &pe) {
			logAttempts(r, pe.Attempts, t.scheme, t.uri)
			provideUpstreamVars(r, pe.Attempts, nil)
		}
		return err
	}
	defer resp.Body.Close()
	logAttempts(r, resp.Attempts, t.scheme, t.uri)
	provideUpstreamVars(r, resp.Attempts, resp.Header)
	if resp.Status == http.StatusSwitchingProtocols && r.HTTPRequest().Header.Get("Upgrade") != "" {
		return pp.tunnel(r, w, resp, t)
	}
	if xr := resp.Header.Get("X-Accel-Redirect"); xr != "" && pp.accel {
		return pp.accelRedirect(r, w, resp, xr)
	}
	if pp.intercept[resp.Status] {
		// proxy_intercept_errors: error_page answers instead of the upstream (a 401 keeps
		// the upstream's WWW-Authenticate, as in nginx).
		if v := resp.Header.Get("Www-Authenticate"); resp.Status == http.StatusUnauthorized && v != "" {
			_ = r.SetResponseHeader("WWW-Authenticate", v)
		}
		return &upstream.ProxyError{Status: resp.Status, Msg: "intercepted"}
	}
	dst := w.Header()
	upstream.CopyHeader(dst, resp.Header, pp.hide, pp.pass)
	if v := dst["Location"]; len(v) > 0 {
		if loc, ok := pp.rewriteRedirect(r, v[0]); ok {
			// nginx's header filter then makes a rewritten relative Location absolute.
			if pp.rd != nil && pp.rd.absolute && strings.HasPrefix(loc, "/") {
				loc = pp.rd.base(r) + loc
			}
			v[0] = loc
		}
	}
	if v := dst["Refresh"]; len(v) > 0 {
		if i := strings.Index(strings.ToLower(v[0]), "url="); i >= 0 {
			if u, ok := pp.rewriteRedirect(r, v[0][i+4:]); ok {
				v[0] = v[0][:i+4] + u
			}
		}
	}
	if _, ok := dst["Content-Type"]; !ok {
		dst["Content-Type"] = nil // nginx gives a proxied response no default type
	}
	w.WriteHeader(resp.Status)
	if _, err := resp.CopyBody(w); err != nil {
		r.Log(ngx.LevelErr, "upstream prematurely closed connection while reading upstream",
			slog.String("upstream", t.scheme+resp.Attempts[len(resp.Attempts)-1].Addr+t.uri))
	}
	return nil
}

// background is a background update of the cache (proxy_cache_background_update): the
// response goes to the cache only, and failures to the error log.
func (pp *proxyPass) background(req *http.Request, logger *slog.Logger, w http.ResponseWriter, out *upstream.Outgoing, t *proxyTarget) error {
	resp, err := t.proxy.Do(req.Context(), out)
	if err != nil {
		var pe *upstream.ProxyError
		if errors.As(err, &pe) {
			logger.LogAttrs(req.Context(), slog.LevelError, pe.Msg, slog.String("level", "error"),
				slog.String("upstream", t.scheme+pe.Addr+t.uri))
		}
		return err
	}
	defer resp.Body.Close()
	upstream.CopyHeader(w.Header(), resp.Header, pp.hide, pp.pass)
	w.WriteHeader(resp.Status)
	_, err = resp.CopyBody(w)
	return err
}

// rewriteRedirect applies proxy_redirect to a Location or Refresh URL and reports whether a
// rule applied.
func (pp *proxyPass) rewriteRedirect(r *ngx.Request, v string) (string, bool) {
	for _, rr := range pp.redirects {
		from := rr.from.expand(r)
		if from != "" && strings.HasPrefix(v, from) {
			return rr.to.expand(r) + v[len(from):], true
		}
	}
	return v, false
}

// logAttempts writes the error-log lines of the failed tries, as nginx writes them: the
// failure at error level, "upstream server temporarily disabled" at warn.
func logAttempts(r *ngx.Request, as []upstream.Attempt, scheme, uri string) {
	for _, a := range as {
		if a.Err != "" {
			r.Log(ngx.LevelErr, a.Err, slog.String("upstream", scheme+a.Addr+uri))
		}
		if a.Disabled {
			r.Log(ngx.LevelWarn, "upstream server temporarily disabled", slog.String("upstream", scheme+a.Addr+uri))
		}
	}
}

// provideUpstreamVars makes $upstream_addr, $upstream_status, $upstream_connect_time,
// $upstream_header_time, $upstream_response_time and $upstream_http_NAME this request's,
// computed when read: $upstream_response_time read in the log phase covers the whole body.
func provideUpstreamVars(r *ngx.Request, as []upstream.Attempt, h http.Header) {
	if len(as) == 0 {
		return
	}
	u := &upstreamVars{as: as, h: h}
	r.ProvideVars("upstream_", u.get)
}

// upstreamVars are a request's upstream variables.
type upstreamVars struct {
	as []upstream.Attempt
	h  http.Header
}

// get returns variable name: the tries' values joined with ", " as nginx joins them, or the
// first field of the upstream's response of that name.
func (u *upstreamVars) get(name string) (string, bool) {
	each := func(f func(a upstream.Attempt) string) (string, bool) {
		var b strings.Builder
		for i, a := range u.as {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f(a))
		}
		return b.String(), true
	}
	switch name {
	case "upstream_addr":
		return each(func(a upstream.Attempt) string { return a.Addr })
	case "upstream_status":
		return each(func(a upstream.Attempt) string { return strconv.Itoa(a.Status) })
	case "upstream_connect_time":
		return each(func(a upstream.Attempt) string { return seconds(a.Connect) })
	case "upstream_header_time":
		return each(func(a upstream.Attempt) string { return seconds(a.Header) })
	case "upstream_response_time":
		return each(func(a upstream.Attempt) string { return seconds(a.Total) })
	}
	if field, ok := strings.CutPrefix(name, "upstream_http_"); ok && u.h != nil {
		if vs := u.h[textproto.CanonicalMIMEHeaderKey(strings.ReplaceAll(field, "_", "-"))]; len(vs) > 0 {
			return vs[0], true
		}
	}
	return "", false
}

// seconds formats a duration as nginx's upstream times: seconds with three decimals, "-"
// when not reached.
func seconds(d time.Duration) string {
	if d < 0 {
		return "-"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

// named returns the upstream block called name, for targets with variables.
func (g *dynGroups) named(name string) *upstream.Group { return g.blocks[name] }

// accelRedirectFields are the upstream's fields that go with an X-Accel-Redirect to the page
// it names, as nginx copies them.
var accelRedirectFields = []string{"Set-Cookie", "Content-Disposition", "Cache-Control", "Expires", "Accept-Ranges"}

// accelRedirect is nginx's X-Accel-Redirect: the upstream's body is dropped and the request
// is redirected internally to the URI (or named location) it names, as a GET unless it is a
// HEAD, with a few of the upstream's fields.
func (pp *proxyPass) accelRedirect(r *ngx.Request, w http.ResponseWriter, resp *upstream.Response, uri string) error {
	dst := w.Header()
	for _, name := range accelRedirectFields {
		if vs := resp.Header.Values(name); len(vs) > 0 {
			dst[name] = append([]string(nil), vs...)
		}
	}
	if r.Method() != http.MethodHead {
		r.SetMethod(http.MethodGet)
	}
	return r.Exec(uri)
}

// containsFold reports whether names holds name, in any case.
func containsFold(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}
