package nginxconf

import (
	"net/http"
	"slices"

	"github.com/goresty/goresty/cache"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/upstream"
)

// readCache builds the location's cache policy from proxy_cache and its siblings.
func (pp *proxyPass) readCache(ld *loader, px *proxyLevel, n *locNode) error {
	if px.cache == nil || *px.cache == "off" {
		return nil
	}
	rc := ld.caches[*px.cache]
	if rc == nil {
		return pp.d.Errorf("\"proxy_cache\" zone %q is unknown", *px.cache)
	}
	pp.rc = rc
	p := &cache.Policy{Valid: px.cacheValid, Methods: px.methods, MinUses: deref(px.minUses),
		UseStale: deref(px.useStale), BackgroundUpdate: deref(px.bgUpdate), Lock: deref(px.lock),
		LockTimeout: deref(px.lockTimeout), LockAge: deref(px.lockAge), Revalidate: deref(px.revalidate),
		KeepHead: px.convertHead != nil && !*px.convertHead, Ignore: deref(px.ignore)}
	var err error
	if px.cacheKey != nil {
		if pp.key, err = ld.compile(px.cacheKey, px.cacheKey.Args[0], n.env.sc); err != nil {
			return err
		}
	}
	if pp.bypass, err = conditions(ld, px.bypass, n); err != nil {
		return err
	}
	if pp.noCache, err = conditions(ld, px.noCache, n); err != nil {
		return err
	}
	pp.policy = p
	return nil
}

// conditions compiles the arguments of proxy_cache_bypass or proxy_no_cache.
func conditions(ld *loader, ds []*Directive, n *locNode) ([]*tmpl, error) {
	var out []*tmpl
	for _, d := range ds {
		for _, a := range d.Args {
			t, err := ld.compile(d, a, n.env.sc)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// anyTrue reports whether a value of ts is neither empty nor "0", as nginx tests them.
func anyTrue(r *ngx.Request, ts []*tmpl) bool {
	for _, t := range ts {
		if v := t.expand(r); v != "" && v != "0" {
			return true
		}
	}
	return false
}

// cached serves the request through the location's cache.
func (pp *proxyPass) cached(r *ngx.Request, out *upstream.Outgoing, target *proxyTarget) error {
	var st cache.Status
	p := *pp.policy
	key := target.scheme + target.host + target.uri
	if pp.key != nil {
		key = pp.key.expand(r)
	}
	p.Key = func(*http.Request) string { return key }
	if pp.bypass != nil {
		bypass := anyTrue(r, pp.bypass)
		p.Bypass = func(*http.Request) bool { return bypass }
	}
	logger := r.Logger()
	origin := func(w http.ResponseWriter, req *http.Request) error {
		o := *out
		if req.Method != o.Method { // a HEAD fetched as a GET
			o.Method = req.Method
		}
		o.Header = cacheFields(out.Header, req.Header)
		if cache.Background(req) {
			// The request may be over: nothing of it is touched, errors go to the log.
			o.Body = nil
			return pp.background(req, logger, w, &o, target)
		}
		return pp.exchange(r, w, &o, target)
	}
	if pp.noCache != nil {
		// Evaluated once the response is in: $upstream_http_* have values then.
		p.NoCache = func(req *http.Request, _ int, _ http.Header) bool {
			return !cache.Background(req) && anyTrue(r, pp.noCache)
		}
	}
	w := &cacheStatusWriter{ResponseWriter: r.ResponseWriter(), r: r, st: &st}
	err := pp.rc.Serve(w, r.HTTPRequest(), &p, origin, &st)
	if st != cache.StatusNone {
		r.ProvideVar("upstream_cache_status", string(st))
	}
	return err
}

// cacheFields are the fields of a request the cache sends: without the client's conditional
// and range fields (nginx's proxy_cache clears them, so that what is stored is whole), with
// the validators of a revalidation (req is the cache's request).
func cacheFields(fields []upstream.Field, h http.Header) []upstream.Field {
	out := make([]upstream.Field, 0, len(fields)+2)
	for _, f := range fields {
		if !slices.Contains(cache.ConditionalFields, http.CanonicalHeaderKey(f.Name)) {
			out = append(out, f)
		}
	}
	for _, name := range [...]string{"If-Modified-Since", "If-None-Match"} {
		if v := h[name]; len(v) > 0 {
			out = append(out, upstream.Field{Name: name, Value: v[0]})
		}
	}
	return out
}

// cacheStatusWriter provides $upstream_cache_status before the header filters run.
type cacheStatusWriter struct {
	http.ResponseWriter
	r  *ngx.Request
	st *cache.Status
}

func (w *cacheStatusWriter) WriteHeader(code int) {
	if *w.st != cache.StatusNone {
		w.r.ProvideVar("upstream_cache_status", string(*w.st))
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *cacheStatusWriter) Write(b []byte) (int, error) { return w.ResponseWriter.Write(b) }

// Flush passes a flush on.
func (w *cacheStatusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
