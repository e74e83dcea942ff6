package cache

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy is how one location uses a Responses cache: nginx's proxy_cache_* directives of a
// location. The zero value caches what the origin's headers say may be cached (Cache-Control
// max-age, Expires, X-Accel-Expires), for GET and HEAD, keyed by scheme, host and request URI.
type Policy struct {
	// Key returns the cache key of a request (proxy_cache_key). Nil means nginx's default
	// $scheme$proxy_host$request_uri, with the request's Host as the host.
	Key func(r *http.Request) string
	// Methods are the methods whose responses are cached besides GET and HEAD, which always
	// are (proxy_cache_methods). A request of another method passes to the origin without
	// the cache, and its Status is StatusNone.
	Methods []string
	// Valid gives the time responses of a status stay fresh when the origin's headers do not
	// say (proxy_cache_valid). The first rule whose Status matches wins; Status 0 matches
	// any status. Nil caches only what the headers allow.
	Valid []Valid
	// MinUses is how many requests for a key it takes before its response is stored
	// (proxy_cache_min_uses); 0 means 1.
	MinUses int
	// Bypass, when it returns true, sends the request to the origin even when a response is
	// cached (proxy_cache_bypass); the response is still stored. Status BYPASS.
	Bypass func(r *http.Request) bool
	// NoCache, when it returns true for a response, keeps it from being stored
	// (proxy_no_cache); h is the response's header as the origin wrote it.
	NoCache func(r *http.Request, status int, h http.Header) bool
	// UseStale lists when an expired response may be served instead of the origin's
	// (proxy_cache_use_stale).
	UseStale Stale
	// BackgroundUpdate answers a request for an expired response with it at once and
	// refreshes it in the background, when UseStale has StaleUpdating or the response's
	// Cache-Control has stale-while-revalidate (proxy_cache_background_update).
	BackgroundUpdate bool
	// Lock lets one request at a time fetch a key that is not cached; the others wait for
	// its response, up to LockTimeout, and then go to the origin themselves without storing
	// what they get (proxy_cache_lock).
	Lock bool
	// LockTimeout is how long a request waits for the lock (proxy_cache_lock_timeout); 0
	// means 5s.
	LockTimeout time.Duration
	// LockAge is how long a fetch holds the lock before another request may try
	// (proxy_cache_lock_age); 0 means 5s.
	LockAge time.Duration
	// Revalidate refreshes an expired response with a conditional request (If-Modified-Since,
	// If-None-Match) when it has Last-Modified or ETag; a 304 renews it (status REVALIDATED)
	// (proxy_cache_revalidate).
	Revalidate bool
	// Ignore lists origin headers whose caching meaning is ignored (proxy_ignore_headers).
	Ignore Ignore
	// KeepHead passes HEAD requests to the origin as HEAD (proxy_cache_convert_head off); the
	// key should then tell HEAD from GET. By default a HEAD is fetched as a GET, so that the
	// stored response has its body for the GETs that follow.
	KeepHead bool
}

// Valid is one proxy_cache_valid rule: responses with Status stay fresh for TTL.
type Valid struct {
	// Status is the status the rule applies to; 0 means any status.
	Status int
	// TTL is how long a response stays fresh; 0 means it is not cached.
	TTL time.Duration
}

// ValidFor returns the rules of "proxy_cache_valid TTL" without statuses: 200, 301 and 302.
func ValidFor(ttl time.Duration) []Valid {
	return []Valid{{Status: 200, TTL: ttl}, {Status: 301, TTL: ttl}, {Status: 302, TTL: ttl}}
}

// Stale is a set of proxy_cache_use_stale conditions.
type Stale uint16

// The conditions of proxy_cache_use_stale.
const (
	// StaleError serves an expired response when the origin fails with an error.
	StaleError Stale = 1 << iota
	// StaleTimeout serves it when the origin fails with a timeout (an error whose
	// Timeout method reports true).
	StaleTimeout
	// StaleUpdating serves it while another request is refreshing it.
	StaleUpdating
	// StaleHTTP500 and the others serve it when the origin answers with that status.
	StaleHTTP500
	StaleHTTP502
	StaleHTTP503
	StaleHTTP504
	StaleHTTP403
	StaleHTTP404
	StaleHTTP429
)

// staleStatus maps the http_* conditions to their statuses.
var staleStatus = [...]struct {
	flag   Stale
	status int
}{{StaleHTTP500, 500}, {StaleHTTP502, 502}, {StaleHTTP503, 503}, {StaleHTTP504, 504},
	{StaleHTTP403, 403}, {StaleHTTP404, 404}, {StaleHTTP429, 429}}

// forStatus reports whether s lets a response of status be replaced by a stale one.
func (s Stale) forStatus(status int) bool {
	for _, f := range staleStatus {
		if f.status == status {
			return s&f.flag != 0
		}
	}
	return false
}

// Ignore is a set of proxy_ignore_headers names.
type Ignore uint8

// The headers proxy_ignore_headers may ignore.
const (
	IgnoreXAccelExpires Ignore = 1 << iota
	IgnoreExpires
	IgnoreCacheControl
	IgnoreSetCookie
	IgnoreVary
)

// methodCached reports whether p caches responses to method.
func (p *Policy) methodCached(method string) bool {
	if method == http.MethodGet || method == http.MethodHead {
		return true
	}
	for _, m := range p.Methods {
		if m == method {
			return true
		}
	}
	return false
}

// key returns r's cache key.
func (p *Policy) key(r *http.Request) string {
	if p.Key != nil {
		return p.Key(r)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + r.Host + r.URL.RequestURI()
}

// validFor returns the time a response of status stays fresh by the Valid rules.
func (p *Policy) validFor(status int) time.Duration {
	for _, v := range p.Valid {
		if v.Status == 0 || v.Status == status {
			return v.TTL
		}
	}
	return 0
}

// freshness is what a response's headers say about caching it.
type freshness struct {
	cacheable bool
	until     int64 // whole seconds of Unix time: fresh while now <= until; 0 means unknown
	updating  int64 // stale-while-revalidate, seconds
	onError   int64 // stale-if-error, seconds
	vary      string
}

// headerFreshness reads h as nginx's upstream module reads a cacheable response's headers, at
// now (whole seconds): X-Accel-Expires first, then Cache-Control, then Expires; Set-Cookie
// and "Vary: *" make it uncacheable.
func headerFreshness(h http.Header, now int64, ign Ignore) freshness {
	f := freshness{cacheable: true}
	if ign&IgnoreSetCookie == 0 && len(h["Set-Cookie"]) > 0 {
		return freshness{}
	}
	if ign&IgnoreVary == 0 {
		if vs := h.Values("Vary"); len(vs) > 0 {
			f.vary = strings.Join(vs, ",")
			if strings.TrimSpace(f.vary) == "*" || len(f.vary) > 128 {
				return freshness{}
			}
		}
	}
	if ign&IgnoreXAccelExpires == 0 {
		if v, ok := h["X-Accel-Expires"]; ok && len(v) > 0 {
			s := v[0]
			abs := strings.HasPrefix(s, "@")
			n, err := strconv.ParseInt(strings.TrimPrefix(s, "@"), 10, 64)
			switch {
			case err != nil || n < 0:
			case abs:
				f.until = n
				return f
			case n == 0:
				return freshness{}
			default:
				f.until = now + n
				return f
			}
		}
	}
	if ign&IgnoreCacheControl == 0 {
		for _, v := range h.Values("Cache-Control") {
			if !cacheControl(&f, v, now) {
				return freshness{}
			}
		}
		if f.until != 0 {
			return f
		}
	}
	if ign&IgnoreExpires == 0 {
		if v := h.Get("Expires"); v != "" {
			t, err := http.ParseTime(v)
			if err != nil || t.Unix() < now {
				return freshness{}
			}
			f.until = t.Unix()
		}
	}
	return f
}

// cacheControl applies one Cache-Control value to f and reports whether the response stays
// cacheable. s-maxage wins over max-age, as in nginx.
func cacheControl(f *freshness, v string, now int64) bool {
	sMax := int64(-1)
	maxAge := int64(-1)
	for part := range strings.SplitSeq(v, ",") {
		name, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		name = strings.ToLower(name)
		switch name {
		case "no-cache", "no-store", "private":
			return false
		case "s-maxage", "max-age", "stale-while-revalidate", "stale-if-error":
			n, err := strconv.ParseInt(strings.Trim(val, `"`), 10, 64)
			if err != nil || n < 0 {
				if name == "s-maxage" || name == "max-age" {
					return false
				}
				continue
			}
			switch name {
			case "s-maxage":
				sMax = n
			case "max-age":
				maxAge = n
			case "stale-while-revalidate":
				f.updating = n
			default:
				f.onError = n
			}
		}
	}
	age := maxAge
	if sMax >= 0 {
		age = sMax
	}
	switch {
	case age == 0:
		return false
	case age > 0:
		f.until = now + age
	}
	return true
}
