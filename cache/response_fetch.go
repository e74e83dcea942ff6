package cache

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// flight is a fetch in progress for a key: others may wait for it (Policy.Lock) or serve the
// stale response meanwhile (UPDATING).
type flight struct {
	done    chan struct{}
	started time.Time
}

// startFlight registers a fetch of key and reports whether the caller owns it; when another
// fetch is in progress (and younger than age, when age is set) it returns that one.
func (c *Responses) startFlight(key string, age time.Duration) (*flight, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.flights[key]; f != nil && (age <= 0 || time.Since(f.started) < age) {
		return f, false
	}
	f := &flight{done: make(chan struct{}), started: time.Now()}
	c.flights[key] = f
	return f, true
}

// flightOf returns the fetch of key in progress, or nil.
func (c *Responses) flightOf(key string) *flight {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flights[key]
}

// endFlight ends f, waking the requests waiting for it.
func (c *Responses) endFlight(key string, f *flight) {
	c.mu.Lock()
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	c.mu.Unlock()
	close(f.done)
}

// fetch is one request to the origin on behalf of the cache.
type fetch struct {
	c       *Responses
	p       *Policy
	key     string
	r       *http.Request // the client's request
	stale   *stored       // the expired response, if any
	now     int64
	status  *Status
	noStore bool
}

// miss fetches a key that has no response, one request at a time when p.Lock.
func (c *Responses) miss(w http.ResponseWriter, r *http.Request, p *Policy, origin Origin, key string, now int64, status *Status) error {
	j := fetch{c: c, p: p, key: key, r: r, now: now, status: status}
	if !p.Lock {
		return j.run(w, origin)
	}
	lockAge := p.LockAge
	if lockAge == 0 {
		lockAge = 5 * time.Second
	}
	f, mine := c.startFlight(key, lockAge)
	if mine {
		defer c.endFlight(key, f)
		return j.run(w, origin)
	}
	timeout := p.LockTimeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-f.done:
		now = c.now().Unix()
		if e, variant := c.lookup(key, r, now); e != nil {
			if s := e.response(variant); s != nil && now <= s.until {
				*status = StatusHit
				c.serveStored(w, r, s)
				return nil
			}
		}
		j.now = now
	case <-t.C:
		// nginx goes to the origin itself and does not store what it gets.
		j.noStore = true
	case <-r.Context().Done():
		return r.Context().Err()
	}
	return j.run(w, origin)
}

// expired fetches a key whose response s has expired, registering the fetch so that
// others may serve s meanwhile (UPDATING).
func (c *Responses) expired(w http.ResponseWriter, r *http.Request, p *Policy, origin Origin, key string, s *stored, now int64, status *Status) error {
	j := fetch{c: c, p: p, key: key, r: r, stale: s, now: now, status: status}
	if f, mine := c.startFlight(key, 0); mine {
		defer c.endFlight(key, f)
	}
	return j.run(w, origin)
}

// background refreshes the expired response s of key, while the client was served s;
// f is the flight the caller registered.
func (c *Responses) background(r *http.Request, p *Policy, origin Origin, key string, s *stored, now int64, f *flight) {
	defer c.bg.Done()
	defer c.endFlight(key, f)
	req := r.Clone(context.WithValue(context.WithoutCancel(r.Context()), backgroundKey{}, true))
	req.Method = http.MethodGet
	req.Body = http.NoBody
	var st Status
	j := fetch{c: c, p: p, key: key, r: req, stale: s, now: now, status: &st}
	_ = j.run(discard{}, origin)
}

// backgroundKey marks the context of a background update's request.
type backgroundKey struct{}

// Background reports whether req is a background update's request (Policy.BackgroundUpdate):
// its client was answered already, so an Origin must not use anything of the client's
// request beyond req itself.
func Background(req *http.Request) bool {
	b, _ := req.Context().Value(backgroundKey{}).(bool)
	return b
}

// ConditionalFields are the request fields nginx's proxy_cache clears from requests to the
// origin, so that what is stored is a whole response (the client's own validators are then
// answered from the stored one).
var ConditionalFields = []string{"If-Modified-Since", "If-Unmodified-Since", "If-None-Match", "If-Match", "Range", "If-Range"}

// originRequest returns the request the origin gets for j: without the client's
// conditional and range headers, a GET for a HEAD (unless KeepHead), and with the stale
// response's validators when it is revalidated.
func (j *fetch) originRequest() (*http.Request, bool) {
	r := j.r
	var lastModified, etag string
	if j.stale != nil && j.p.Revalidate {
		lastModified, etag = j.stale.validators()
	}
	revalidate := lastModified != "" || etag != ""
	clean := !revalidate
	for _, h := range ConditionalFields {
		if _, ok := r.Header[h]; ok {
			clean = false
		}
	}
	head := r.Method == http.MethodHead && !j.p.KeepHead
	if clean && !head {
		return r, false
	}
	out := new(http.Request)
	*out = *r
	if head {
		out.Method = http.MethodGet
	}
	if !clean {
		out.Header = r.Header.Clone()
		for _, h := range ConditionalFields {
			delete(out.Header, h)
		}
		if revalidate {
			if lastModified != "" {
				out.Header.Set("If-Modified-Since", lastModified)
			}
			if etag != "" {
				out.Header.Set("If-None-Match", etag)
			}
		}
	}
	return out, revalidate
}

// run sends j's request to origin and answers w with what it gets, a stale response or the
// revalidated one, storing what may be stored.
func (j *fetch) run(w http.ResponseWriter, origin Origin) error {
	req, revalidating := j.originRequest()
	fw := &fetchWriter{j: j, w: w, header: make(http.Header), revalidating: revalidating}
	err := origin(fw, req)
	if err != nil && !fw.wroteHeader {
		var t interface{ Timeout() bool }
		cond := StaleError
		if errors.As(err, &t) && t.Timeout() {
			cond = StaleTimeout
		}
		if j.stale != nil && (j.p.UseStale&cond != 0 || j.now <= j.stale.until+j.stale.onError) {
			*j.status = StatusStale
			j.c.serveStored(w, j.r, j.stale)
			return nil
		}
		return err
	}
	if !fw.wroteHeader {
		fw.WriteHeader(http.StatusOK)
	}
	switch fw.mode {
	case modeRevalidated:
		s := *j.stale
		f := headerFreshness(fw.header, j.now, j.p.Ignore)
		s.until = f.until
		if s.until == 0 {
			if ttl := j.p.validFor(s.status); ttl > 0 {
				s.until = j.now + int64(ttl/time.Second)
			}
		}
		*j.status = StatusRevalidated
		if s.until != 0 {
			j.c.save(j.key, j.r, &s, fw.vary, j.now)
		}
		j.c.serveStored(w, j.r, &s)
	case modeStale:
		*j.status = StatusStale
		j.c.serveStored(w, j.r, j.stale)
	case modeStore:
		if err == nil && !fw.tooBig {
			j.c.save(j.key, j.r, fw.s.withLength(), fw.vary, j.now)
		}
	}
	return err
}

// fetchWriter receives the origin's response: it passes it on to the client and keeps a
// copy to store, or holds it back when a stale or revalidated response answers instead.
type fetchWriter struct {
	j            *fetch
	w            http.ResponseWriter
	header       http.Header
	wroteHeader  bool
	revalidating bool
	mode         fetchMode
	s            *stored
	vary         string
	tooBig       bool
	noBody       bool // the client asked with HEAD, or gets a 304
}

type fetchMode uint8

const (
	modePass        fetchMode = iota // pass on, do not store
	modeStore                        // pass on and store
	modeStale                        // hold back: the stale response answers
	modeRevalidated                  // hold back: the origin's 304 renewed the stale response
)

// Header returns the origin's response header.
func (fw *fetchWriter) Header() http.Header { return fw.header }

// WriteHeader decides what becomes of the origin's response.
func (fw *fetchWriter) WriteHeader(code int) {
	if fw.wroteHeader {
		return
	}
	fw.wroteHeader = true
	j := fw.j
	if fw.revalidating && code == http.StatusNotModified {
		fw.mode = modeRevalidated
		return
	}
	if j.stale != nil && (j.p.UseStale.forStatus(code) ||
		code >= 500 && code <= 504 && j.now <= j.stale.until+j.stale.onError) {
		fw.mode = modeStale
		return
	}
	fw.mode = modePass
	if f := headerFreshness(fw.header, j.now, j.p.Ignore); f.cacheable && !j.noStore {
		until := f.until
		if until == 0 {
			if ttl := j.p.validFor(code); ttl > 0 {
				until = j.now + int64(ttl/time.Second)
			}
		}
		if until != 0 && (j.p.NoCache == nil || !j.p.NoCache(j.r, code, fw.header)) {
			fw.mode = modeStore
			fw.vary = f.vary
			fw.s = &stored{status: code, header: fw.header.Clone(), until: until,
				updating: f.updating, onError: f.onError}
			delete(fw.s.header, "Content-Length")
			fw.s.size = headerSize(fw.s.header)
		}
	}
	// X-Accel-Expires is for the cache, as in nginx: neither passed on nor stored.
	delete(fw.header, "X-Accel-Expires")
	if fw.s != nil {
		delete(fw.s.header, "X-Accel-Expires")
	}
	h := fw.w.Header()
	for k, v := range fw.header {
		h[k] = v
	}
	fw.noBody = fw.j.r.Method == http.MethodHead
	if fw.mode == modeStore && notModified(j.r, fw.s) {
		delete(h, "Content-Length")
		fw.noBody = true
		code = http.StatusNotModified
	}
	fw.w.WriteHeader(code)
}

// Write passes b on and keeps it for the store.
func (fw *fetchWriter) Write(b []byte) (int, error) {
	if !fw.wroteHeader {
		fw.WriteHeader(http.StatusOK)
	}
	switch fw.mode {
	case modeStale, modeRevalidated:
		return len(b), nil
	case modeStore:
		if !fw.tooBig {
			if int64(len(fw.s.body)+len(b)) > fw.j.c.maxBody {
				fw.tooBig, fw.s.body = true, nil
			} else {
				fw.s.body = append(fw.s.body, b...)
				fw.s.size += int64(len(b))
			}
		}
	}
	if fw.noBody {
		return len(b), nil
	}
	return fw.w.Write(b)
}

// Flush sends what was written so far to the client, when the client's writer can.
func (fw *fetchWriter) Flush() {
	if fw.mode == modeStale || fw.mode == modeRevalidated {
		return
	}
	if f, ok := fw.w.(http.Flusher); ok {
		f.Flush()
	}
}

// headerSize is about what h costs in memory.
func headerSize(h http.Header) int64 {
	n := int64(64)
	for k, vs := range h {
		n += int64(len(k)) + 16
		for _, v := range vs {
			n += int64(len(v)) + 16
		}
	}
	return n
}
