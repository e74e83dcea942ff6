package nginxconf

import (
	"strconv"
	"strings"
	"time"

	"github.com/goresty/goresty/cache"
	"github.com/goresty/goresty/upstream"
)

// proxyLevel holds the proxy_* directives of one level; each is inherited on its own, as
// nginx merges them.
type proxyLevel struct {
	setHeaders  []*Directive
	httpVersion *string
	connect     *time.Duration
	send        *time.Duration
	read        *time.Duration
	hide, pass  []string
	next        *upstream.NextUpstream
	tries       *int
	nextTimeout *time.Duration
	passHeaders *bool
	passBody    *bool
	intercept   *bool
	redirects   []*Directive
	cache       *string // zone name, or "off"
	cacheKey    *Directive
	cacheValid  []cache.Valid
	methods     []string
	minUses     *int
	bypass      []*Directive
	noCache     []*Directive
	useStale    *cache.Stale
	bgUpdate    *bool
	lock        *bool
	lockTimeout *time.Duration
	lockAge     *time.Duration
	revalidate  *bool
	convertHead *bool
	ignore      *cache.Ignore
	// ignoreRedirect is proxy_ignore_headers X-Accel-Redirect.
	ignoreRedirect *bool
	ssl            proxySSL
}

// inherit fills what p does not set from its parent q.
func (p *proxyLevel) inherit(q *proxyLevel) {
	inheritSlice(&p.setHeaders, q.setHeaders)
	inheritPtr(&p.httpVersion, q.httpVersion)
	inheritPtr(&p.connect, q.connect)
	inheritPtr(&p.send, q.send)
	inheritPtr(&p.read, q.read)
	inheritSlice(&p.hide, q.hide)
	inheritSlice(&p.pass, q.pass)
	inheritPtr(&p.next, q.next)
	inheritPtr(&p.tries, q.tries)
	inheritPtr(&p.nextTimeout, q.nextTimeout)
	inheritPtr(&p.passHeaders, q.passHeaders)
	inheritPtr(&p.passBody, q.passBody)
	inheritPtr(&p.intercept, q.intercept)
	inheritSlice(&p.redirects, q.redirects)
	inheritPtr(&p.cache, q.cache)
	inheritPtr(&p.cacheKey, q.cacheKey)
	inheritSlice(&p.cacheValid, q.cacheValid)
	inheritSlice(&p.methods, q.methods)
	inheritPtr(&p.minUses, q.minUses)
	inheritSlice(&p.bypass, q.bypass)
	inheritSlice(&p.noCache, q.noCache)
	inheritPtr(&p.useStale, q.useStale)
	inheritPtr(&p.bgUpdate, q.bgUpdate)
	inheritPtr(&p.lock, q.lock)
	inheritPtr(&p.lockTimeout, q.lockTimeout)
	inheritPtr(&p.lockAge, q.lockAge)
	inheritPtr(&p.revalidate, q.revalidate)
	inheritPtr(&p.convertHead, q.convertHead)
	inheritPtr(&p.ignore, q.ignore)
	inheritPtr(&p.ignoreRedirect, q.ignoreRedirect)
	p.ssl.inherit(&q.ssl)
}

func inheritSlice[T any](dst *[]T, parent []T) {
	if *dst == nil {
		*dst = parent
	}
}

// setting reads one proxy_* directive of a level; it reports whether d was one.
func (p *proxyLevel) setting(d *Directive) (bool, error) {
	var err error
	switch d.Name {
	case "proxy_set_header":
		p.setHeaders = append(p.setHeaders, d)
	case "proxy_http_version":
		v := d.Args[0]
		if v != "1.0" && v != "1.1" {
			return true, d.Errorf("invalid value %q in %q directive, it must be \"1.0\" or \"1.1\"", v, d.Name)
		}
		p.httpVersion = &v
	case "proxy_connect_timeout", "proxy_send_timeout", "proxy_read_timeout",
		"proxy_next_upstream_timeout", "proxy_cache_lock_timeout", "proxy_cache_lock_age":
		var t time.Duration
		if t, err = parseTime(d, d.Args[0]); err == nil {
			*map[string]**time.Duration{"proxy_connect_timeout": &p.connect, "proxy_send_timeout": &p.send,
				"proxy_read_timeout": &p.read, "proxy_next_upstream_timeout": &p.nextTimeout,
				"proxy_cache_lock_timeout": &p.lockTimeout, "proxy_cache_lock_age": &p.lockAge}[d.Name] = &t
		}
	case "proxy_hide_header":
		p.hide = append(p.hide, d.Args[0])
	case "proxy_pass_header":
		p.pass = append(p.pass, d.Args[0])
	case "proxy_next_upstream":
		var n upstream.NextUpstream
		n, err = parseNextUpstream(d)
		p.next = &n
	case "proxy_next_upstream_tries", "proxy_cache_min_uses":
		n, convErr := strconv.Atoi(d.Args[0])
		if convErr != nil || n < 0 || d.Name == "proxy_cache_min_uses" && n == 0 {
			return true, d.Errorf("invalid value %q in %q directive", d.Args[0], d.Name)
		}
		if d.Name == "proxy_next_upstream_tries" {
			p.tries = &n
		} else {
			p.minUses = &n
		}
	case "proxy_pass_request_headers", "proxy_pass_request_body", "proxy_cache_background_update",
		"proxy_cache_lock", "proxy_cache_revalidate", "proxy_cache_convert_head", "proxy_intercept_errors":
		var on *bool
		if on, err = flagArg(d); err == nil {
			*map[string]**bool{"proxy_pass_request_headers": &p.passHeaders, "proxy_pass_request_body": &p.passBody,
				"proxy_intercept_errors":        &p.intercept,
				"proxy_cache_background_update": &p.bgUpdate, "proxy_cache_lock": &p.lock,
				"proxy_cache_revalidate": &p.revalidate, "proxy_cache_convert_head": &p.convertHead}[d.Name] = on
		}
	case "proxy_redirect":
		p.redirects = append(p.redirects, d)
	case "proxy_cache":
		v := d.Args[0]
		p.cache = &v
	case "proxy_cache_key":
		p.cacheKey = d
	case "proxy_cache_valid":
		var vs []cache.Valid
		vs, err = parseCacheValid(d)
		p.cacheValid = append(p.cacheValid, vs...)
	case "proxy_cache_methods":
		for _, m := range d.Args {
			switch m {
			case "GET", "HEAD", "POST", "PUT", "DELETE", "MKCOL", "COPY", "MOVE", "OPTIONS",
				"PROPFIND", "PROPPATCH", "LOCK", "UNLOCK", "PATCH", "TRACE":
				p.methods = append(p.methods, m)
			default:
				return true, d.Errorf("invalid value %q", m)
			}
		}
	case "proxy_cache_bypass":
		p.bypass = append(p.bypass, d)
	case "proxy_no_cache":
		p.noCache = append(p.noCache, d)
	case "proxy_cache_use_stale":
		var s cache.Stale
		s, err = parseUseStale(d)
		p.useStale = &s
	case "proxy_ignore_headers":
		var ig cache.Ignore
		ignoreRedirect := false
		for _, a := range d.Args {
			switch strings.ToLower(a) {
			case "x-accel-expires":
				ig |= cache.IgnoreXAccelExpires
			case "expires":
				ig |= cache.IgnoreExpires
			case "cache-control":
				ig |= cache.IgnoreCacheControl
			case "set-cookie":
				ig |= cache.IgnoreSetCookie
			case "vary":
				ig |= cache.IgnoreVary
			case "x-accel-redirect":
				ignoreRedirect = true
			case "x-accel-limit-rate", "x-accel-buffering", "x-accel-charset":
			default:
				return true, d.Errorf("invalid value %q in %q directive", a, d.Name)
			}
		}
		p.ignore, p.ignoreRedirect = &ig, &ignoreRedirect
	default:
		return p.ssl.setting(d)
	}
	return true, err
}

// parseNextUpstream reads proxy_next_upstream's flags.
func parseNextUpstream(d *Directive) (upstream.NextUpstream, error) {
	flags := map[string]upstream.NextUpstream{"error": upstream.NextError, "timeout": upstream.NextTimeout,
		"invalid_header": upstream.NextInvalidHeader, "http_500": upstream.NextHTTP500,
		"http_502": upstream.NextHTTP502, "http_503": upstream.NextHTTP503, "http_504": upstream.NextHTTP504,
		"http_403": upstream.NextHTTP403, "http_404": upstream.NextHTTP404, "http_429": upstream.NextHTTP429,
		"non_idempotent": upstream.NextNonIdempotent, "off": upstream.NextOff}
	n, err := parseFlags(d, flags)
	if err == nil && n&upstream.NextOff != 0 && n != upstream.NextOff {
		return 0, d.Errorf("invalid value %q", "off")
	}
	return n, err
}

// parseUseStale reads proxy_cache_use_stale's conditions.
func parseUseStale(d *Directive) (cache.Stale, error) {
	flags := map[string]cache.Stale{"error": cache.StaleError, "timeout": cache.StaleTimeout,
		"updating": cache.StaleUpdating, "http_500": cache.StaleHTTP500, "http_502": cache.StaleHTTP502,
		"http_503": cache.StaleHTTP503, "http_504": cache.StaleHTTP504, "http_403": cache.StaleHTTP403,
		"http_404": cache.StaleHTTP404, "http_429": cache.StaleHTTP429, "invalid_header": 0, "off": 0}
	return parseFlags(d, flags)
}

// parseFlags ORs the flags d's arguments name; an unknown one is an error, as nginx words it.
func parseFlags[F ~uint8 | ~uint16](d *Directive, flags map[string]F) (F, error) {
	var set F
	for _, a := range d.Args {
		f, ok := flags[a]
		if !ok {
			return 0, d.Errorf("invalid value %q", a)
		}
		set |= f
	}
	return set, nil
}

// parseCacheValid reads "proxy_cache_valid [code ...|any] time".
func parseCacheValid(d *Directive) ([]cache.Valid, error) {
	ttl, err := parseTime(d, d.Args[len(d.Args)-1])
	if err != nil {
		return nil, err
	}
	if len(d.Args) == 1 {
		return cache.ValidFor(ttl), nil
	}
	var out []cache.Valid
	for _, a := range d.Args[:len(d.Args)-1] {
		if a == "any" {
			out = append(out, cache.Valid{TTL: ttl})
			continue
		}
		n, err := strconv.Atoi(a)
		if err != nil || n < 100 || n > 599 {
			return nil, d.Errorf("invalid status %q", a)
		}
		out = append(out, cache.Valid{Status: n, TTL: ttl})
	}
	return out, nil
}
