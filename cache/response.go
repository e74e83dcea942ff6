package cache

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goresty/goresty/ngx"

	"github.com/dgraph-io/ristretto/v2"
)

// Responses is a response cache in the manner of nginx's proxy_cache: it stores the
// responses of an origin (the next handler, or a proxy) in memory, keyed per Policy, and
// answers later requests from them while they are fresh. Freshness comes from the
// response's X-Accel-Expires, Cache-Control and Expires headers, or from Policy.Valid, in
// whole seconds as in nginx (X-Accel-Expires is for the cache only: it is not passed on nor
// stored); responses with Set-Cookie or "Vary: *" are not stored, and Vary
// keeps one response per variant. Expired responses may still be served (Policy.UseStale),
// refreshed in the background or revalidated, and concurrent misses may be collapsed into
// one fetch (Policy.Lock).
//
// Responses are held in a ristretto cache of MaxSize bytes: when it is full, ristretto's
// admission policy decides between a new response and the ones it would evict, so a
// response may not be stored; that only costs a later miss. A response not requested for
// Inactive is dropped, fresh or not, as nginx's inactive parameter drops it.
//
// A Responses is safe for concurrent use; one may serve many locations, each with its own
// Policy, as one keys_zone serves many locations in nginx.
type Responses struct {
	store    *ristretto.Cache[string, *entry]
	inactive int64 // seconds
	maxBody  int64
	now      func() time.Time

	mu      sync.Mutex
	flights map[string]*flight
	bg      sync.WaitGroup
	closed  atomic.Bool
}

// ResponsesOptions configures NewResponses.
type ResponsesOptions struct {
	// MaxSize is the most bytes of responses (bodies and headers) kept (max_size); 0 means
	// 64 MiB.
	MaxSize int64
	// MaxBody is the largest body stored; a larger response is passed on without being
	// stored. 0 means MaxSize/8.
	MaxBody int64
	// Inactive drops a response not requested for this long (inactive=); 0 means 10
	// minutes, nginx's default.
	Inactive time.Duration
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
}

// Status is a request's cache status, nginx's $upstream_cache_status.
type Status string

// The statuses of $upstream_cache_status.
const (
	// StatusNone: the cache was not used (the method is not cached).
	StatusNone        Status = ""
	StatusMiss        Status = "MISS"
	StatusBypass      Status = "BYPASS"
	StatusExpired     Status = "EXPIRED"
	StatusStale       Status = "STALE"
	StatusUpdating    Status = "UPDATING"
	StatusRevalidated Status = "REVALIDATED"
	StatusHit         Status = "HIT"
)

// Origin writes the response of a request the cache could not answer. It returns an error,
// and writes nothing, when the origin failed (a proxy's connection error, say): Serve then
// answers with a stale response if Policy.UseStale allows, or returns the error. An error
// whose Timeout method returns true counts as a timeout for StaleTimeout.
type Origin func(w http.ResponseWriter, r *http.Request) error

// ErrClosed is returned by Serve after Close.
var ErrClosed = errors.New("cache: responses cache closed")

// NewResponses returns an empty cache.
func NewResponses(o ResponsesOptions) (*Responses, error) {
	if o.MaxSize < 0 || o.MaxBody < 0 || o.Inactive < 0 {
		return nil, fmt.Errorf("cache: negative MaxSize, MaxBody or Inactive (%d, %d, %v)", o.MaxSize, o.MaxBody, o.Inactive)
	}
	if o.MaxSize == 0 {
		o.MaxSize = 64 << 20
	}
	if o.MaxBody == 0 {
		o.MaxBody = o.MaxSize / 8
	}
	if o.Inactive == 0 {
		o.Inactive = 10 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	store, err := ristretto.NewCache(&ristretto.Config[string, *entry]{
		NumCounters:        max(1000, o.MaxSize/1024*10),
		MaxCost:            o.MaxSize,
		BufferItems:        64,
		IgnoreInternalCost: true,
	})
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	return &Responses{store: store, inactive: int64(max(time.Second, o.Inactive) / time.Second),
		maxBody: o.MaxBody, now: o.Now, flights: make(map[string]*flight)}, nil
}

// Close waits for background updates and frees the cache.
func (c *Responses) Close() {
	c.mu.Lock()
	closed := c.closed.Swap(true)
	c.mu.Unlock()
	if closed {
		return
	}
	c.bg.Wait()
	c.store.Close()
}

// addBackground counts a background update about to start, unless the cache is closing.
func (c *Responses) addBackground() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		return false
	}
	c.bg.Add(1)
	return true
}

// Handler returns next behind the cache with Policy p: a middleware for net/http.
func (c *Responses) Handler(p Policy, next http.Handler) http.Handler {
	origin := func(w http.ResponseWriter, r *http.Request) error { next.ServeHTTP(w, r); return nil }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := c.Serve(w, r, &p, origin, nil); err != nil {
			http.Error(w, http.StatusText(http.StatusBadGateway), http.StatusBadGateway)
		}
	})
}

// Serve answers r from the cache or from origin, by Policy p, and sets *status (when status
// is not nil) before anything is written to w, so that header filters see it. It returns
// origin's error when origin failed and no stale response could be served; then nothing has
// been written to w.
func (c *Responses) Serve(w http.ResponseWriter, r *http.Request, p *Policy, origin Origin, status *Status) error {
	if status == nil {
		status = new(Status)
	}
	if c.closed.Load() {
		return ErrClosed
	}
	if !p.methodCached(r.Method) {
		*status = StatusNone
		return origin(w, r)
	}
	now := c.now().Unix()
	key := p.key(r)
	if p.Bypass != nil && p.Bypass(r) {
		*status = StatusBypass
		j := fetch{c: c, p: p, key: key, r: r, now: now, status: status}
		return j.run(w, origin)
	}
	e, variant := c.lookup(key, r, now)
	if e == nil {
		e = c.newEntry(key, now)
	}
	uses := e.uses.Add(1)
	s := e.response(variant)
	switch {
	case s == nil:
		*status = StatusMiss
		if uses < int64(max(1, p.MinUses)) {
			j := fetch{c: c, p: p, key: key, r: r, now: now, status: status, noStore: true}
			return j.run(w, origin)
		}
		return c.miss(w, r, p, origin, key, now, status)
	case now <= s.until:
		*status = StatusHit
		c.serveStored(w, r, s)
		return nil
	}
	// Expired: served as it is while another request refreshes it (UPDATING), or at once
	// while a background fetch refreshes it (STALE), or else fetched again (EXPIRED).
	updatingOK := p.UseStale&StaleUpdating != 0 || now <= s.until+s.updating
	if updatingOK && c.flightOf(key) != nil {
		*status = StatusUpdating
		c.serveStored(w, r, s)
		return nil
	}
	if updatingOK && p.BackgroundUpdate && c.addBackground() {
		if f, mine := c.startFlight(key, 0); mine {
			*status = StatusStale
			c.serveStored(w, r, s)
			go c.background(r, p, origin, key, s, now, f)
			return nil
		}
		c.bg.Done()
	}
	*status = StatusExpired
	return c.expired(w, r, p, origin, key, s, now, status)
}

// entry is what the store holds under a key: how often it was requested and its response, or
// the names of the request headers its responses vary by.
type entry struct {
	uses     atomic.Int64
	lastUse  atomic.Int64 // Unix seconds
	mu       sync.Mutex
	vary     string             // the Vary of the last stored response
	plain    *stored            // the response when vary is empty
	variants map[string]*stored // responses by variant when vary is not empty
	_        [0]func()          // not comparable
}

// stored is one cached response.
type stored struct {
	status   int
	header   http.Header
	body     []byte
	until    int64 // fresh while now <= until (Unix seconds)
	updating int64
	onError  int64
	size     int64
	// contentLength is the Content-Length field of the body, made once.
	contentLength []string
}

// response returns the stored response for variant, or nil.
func (e *entry) response(variant string) *stored {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.vary == "" {
		return e.plain
	}
	return e.variants[variant]
}

// variantOf returns the variant of r for the header names of vary.
func variantOf(vary string, r *http.Request) string {
	if vary == "" {
		return ""
	}
	var b strings.Builder
	for name := range strings.SplitSeq(vary, ",") {
		name = strings.TrimSpace(name)
		b.WriteString(strings.ToLower(name))
		b.WriteByte(':')
		b.WriteString(strings.Join(r.Header.Values(name), ","))
		b.WriteByte('\n')
	}
	return b.String()
}

// lookup returns the entry of key, if it is there and was requested within Inactive, with
// r's variant of it.
func (c *Responses) lookup(key string, r *http.Request, now int64) (*entry, string) {
	e, ok := c.store.Get(key)
	if !ok {
		return nil, ""
	}
	if now-e.lastUse.Load() > c.inactive {
		c.store.Del(key)
		return nil, ""
	}
	e.lastUse.Store(now)
	e.mu.Lock()
	vary := e.vary
	e.mu.Unlock()
	return e, variantOf(vary, r)
}

// newEntry stores an entry for key that counts uses before a response is stored.
func (c *Responses) newEntry(key string, now int64) *entry {
	e := &entry{}
	e.lastUse.Store(now)
	c.store.Set(key, e, int64(len(key))+64)
	c.store.Wait()
	if got, ok := c.store.Get(key); ok {
		return got
	}
	return e
}

// save stores s for r under key.
func (c *Responses) save(key string, r *http.Request, s *stored, vary string, now int64) {
	e, _ := c.store.Get(key)
	if e == nil {
		e = &entry{}
		e.uses.Store(1)
	}
	e.lastUse.Store(now)
	e.mu.Lock()
	if vary != e.vary {
		e.plain, e.variants = nil, nil
		e.vary = vary
	}
	cost := int64(len(key)) + 64
	if vary == "" {
		e.plain = s
		cost += s.size
	} else {
		if e.variants == nil {
			e.variants = make(map[string]*stored)
		}
		e.variants[variantOf(vary, r)] = s
		for _, v := range e.variants {
			cost += v.size
		}
	}
	e.mu.Unlock()
	c.store.Set(key, e, cost)
	c.store.Wait()
}

// withLength sets s's Content-Length field from its body and returns s.
func (s *stored) withLength() *stored {
	s.contentLength = []string{strconv.Itoa(len(s.body))}
	return s
}

// serveStored writes s to w as nginx serves a cached response: its status and header, a
// Content-Length, 304 for a conditional request it satisfies, and no body for HEAD.
func (c *Responses) serveStored(w http.ResponseWriter, r *http.Request, s *stored) {
	h := w.Header()
	for k, v := range s.header {
		h[k] = v
	}
	if notModified(r, s) {
		delete(h, "Content-Length")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Length"] = s.contentLength
	w.WriteHeader(s.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(s.body)
	}
}

// notModified reports whether a conditional request r is answered with 304 by s, as nginx's
// not_modified filter answers a cached 200.
func notModified(r *http.Request, s *stored) bool {
	return s.status == http.StatusOK && ngx.Conditional(r.Header, s.header) == http.StatusNotModified
}

// validators returns the stored response's Last-Modified and ETag, which revalidation sends
// back; nginx keeps them for a 200 or 206 only.
func (s *stored) validators() (lastModified, etag string) {
	if s.status != http.StatusOK && s.status != http.StatusPartialContent {
		return "", ""
	}
	return s.header.Get("Last-Modified"), s.header.Get("Etag")
}

// discard is a ResponseWriter for background updates.
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}
