package cache

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clock is a settable time for the cache.
type clock struct{ t atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.t.Store(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) now() time.Time      { return time.Unix(0, c.t.Load()) }
func (c *clock) add(d time.Duration) { c.t.Add(int64(d)) }
func (c *clock) httpTime(d int) string {
	return c.now().Add(time.Duration(d) * time.Second).UTC().Format(http.TimeFormat)
}

// backend is an origin that counts its calls and answers what its fields say.
type backend struct {
	mu     sync.Mutex
	calls  int
	status []int // status of each call; the last repeats
	header http.Header
	err    []error // error of each call (nil: answer); the last repeats
	seen   []*http.Request
	gate   chan struct{} // when set, each call waits for it
}

func (b *backend) origin(w http.ResponseWriter, r *http.Request) error {
	b.mu.Lock()
	b.calls++
	n := b.calls
	b.seen = append(b.seen, r)
	st := 200
	if len(b.status) > 0 {
		st = b.status[min(n, len(b.status))-1]
	}
	var err error
	if len(b.err) > 0 {
		err = b.err[min(n, len(b.err))-1]
	}
	h := b.header.Clone()
	gate := b.gate
	b.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if err != nil {
		return err
	}
	for k, v := range h {
		w.Header()[k] = v
	}
	w.WriteHeader(st)
	fmt.Fprintf(w, "n=%d %s", n, r.Method)
	return nil
}

func (b *backend) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls
}

func newResponses(t *testing.T, o ResponsesOptions) *Responses {
	t.Helper()
	c, err := NewResponses(o)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// get sends one request through c and returns the status, the response and the body.
func send(t *testing.T, c *Responses, p *Policy, b *backend, method, target string, hdr ...string) (Status, *httptest.ResponseRecorder, error) {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	var st Status
	err := c.Serve(w, r, p, b.origin, &st)
	return st, w, err
}

// sequence runs the requests and returns "STATUS code body" for each.
func sequence(t *testing.T, c *Responses, p *Policy, b *backend, n int, step func(i int)) []string {
	t.Helper()
	var out []string
	for i := range n {
		if step != nil {
			step(i)
		}
		st, w, err := send(t, c, p, b, "GET", "/x")
		require.NoError(t, err)
		out = append(out, fmt.Sprintf("%s %d %s", st, w.Code, w.Body.String()))
	}
	return out
}

// TestResponsesFreshnessHeaders checks which responses nginx stores (each case was run on
// nginx 1.22 with proxy_cache in front of a Lua backend: three GETs, MISS then HIT or MISS).
func TestResponsesFreshnessHeaders(t *testing.T) {
	clk := newClock()
	valid := ValidFor(time.Minute)
	tests := []struct {
		name   string
		valid  []Valid
		status int
		header []string
		cached bool
	}{
		{"max-age", nil, 200, []string{"Cache-Control", "max-age=60"}, true},
		{"nothing says", nil, 200, nil, false},
		{"valid 200", valid, 200, nil, true},
		{"valid 200, not 404", valid, 404, nil, false},
		{"404 with max-age", nil, 404, []string{"Cache-Control", "max-age=60"}, true},
		{"500 with max-age", nil, 500, []string{"Cache-Control", "max-age=60"}, true},
		{"302 with max-age", nil, 302, []string{"Cache-Control", "max-age=9"}, true},
		{"set-cookie", valid, 200, []string{"Set-Cookie", "a=1"}, false},
		{"no-cache", valid, 200, []string{"Cache-Control", "no-cache"}, false},
		{"private", valid, 200, []string{"Cache-Control", "private"}, false},
		{"no-store", valid, 200, []string{"Cache-Control", "no-store"}, false},
		{"max-age=0", valid, 200, []string{"Cache-Control", "max-age=0"}, false},
		{"s-maxage wins", nil, 200, []string{"Cache-Control", "s-maxage=10, max-age=0"}, true},
		{"x-accel-expires 0", valid, 200, []string{"X-Accel-Expires", "0"}, false},
		{"x-accel-expires 5", nil, 200, []string{"X-Accel-Expires", "5"}, true},
		{"x-accel-expires over no-cache", nil, 200, []string{"X-Accel-Expires", "5", "Cache-Control", "no-cache"}, true},
		{"x-accel-expires absolute", nil, 200, []string{"X-Accel-Expires", "@" + strconv.FormatInt(clk.now().Unix()+30, 10)}, true},
		{"vary star", valid, 200, []string{"Vary", "*"}, false},
		{"vary accept", valid, 200, []string{"Vary", "Accept"}, true},
		{"expires future", nil, 200, []string{"Expires", clk.httpTime(30)}, true},
		{"expires past", nil, 200, []string{"Expires", clk.httpTime(-30)}, false},
		{"expires bad", nil, 200, []string{"Expires", "soon"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newResponses(t, ResponsesOptions{Now: clk.now})
			b := &backend{status: []int{tt.status}, header: http.Header{}}
			for i := 0; i < len(tt.header); i += 2 {
				b.header.Add(tt.header[i], tt.header[i+1])
			}
			got := sequence(t, c, &Policy{Valid: tt.valid}, b, 3, nil)
			want := []string{"MISS %d n=1 GET", "MISS %d n=2 GET", "MISS %d n=3 GET"}
			if tt.cached {
				want = []string{"MISS %d n=1 GET", "HIT %d n=1 GET", "HIT %d n=1 GET"}
			}
			for i := range want {
				want[i] = fmt.Sprintf(want[i], tt.status)
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestResponsesExpiryInWholeSeconds(t *testing.T) {
	clk := newClock()
	clk.add(900 * time.Millisecond) // 12:00:00.9: valid until 12:00:01, expired from 12:00:02
	c := newResponses(t, ResponsesOptions{Now: clk.now})
	b := &backend{header: http.Header{"X-Accel-Expires": {"1"}}}
	got := sequence(t, c, &Policy{}, b, 4, func(i int) {
		if i > 0 {
			clk.add(500 * time.Millisecond)
		}
	})
	// At 12:00:01.4 and 12:00:01.9 it is still fresh (now <= until, in seconds), expired
	// at 12:00:02.4.
	assert.Equal(t, []string{"MISS 200 n=1 GET", "HIT 200 n=1 GET", "HIT 200 n=1 GET", "EXPIRED 200 n=2 GET"}, got)
}

func TestResponsesHitHeadersAndHead(t *testing.T) {
	clk := newClock()
	c := newResponses(t, ResponsesOptions{Now: clk.now})
	b := &backend{header: http.Header{"Cache-Control": {"max-age=60"}, "X-Up": {"1"}}}
	p := &Policy{}
	st, w, err := send(t, c, p, b, "HEAD", "/x")
	require.NoError(t, err)
	assert.Equal(t, StatusMiss, st)
	assert.Empty(t, w.Body.String(), "HEAD gets no body")
	assert.Equal(t, "GET", b.seen[0].Method, "a HEAD is fetched as a GET")

	st, w, err = send(t, c, p, b, "GET", "/x")
	require.NoError(t, err)
	assert.Equal(t, StatusHit, st)
	assert.Equal(t, "n=1 GET", w.Body.String(), "the GET is answered with the body the HEAD fetched")
	assert.Equal(t, "7", w.Header().Get("Content-Length"))
	assert.Equal(t, "1", w.Header().Get("X-Up"))

	st, w, err = send(t, c, p, b, "HEAD", "/x")
	require.NoError(t, err)
	assert.Equal(t, StatusHit, st)
	assert.Empty(t, w.Body.String())
	assert.Equal(t, "7", w.Header().Get("Content-Length"))

	// KeepHead passes HEAD on.
	b2 := &backend{header: http.Header{"Cache-Control": {"max-age=60"}}}
	p2 := &Policy{KeepHead: true, Key: func(r *http.Request) string { return r.Method + r.URL.Path }}
	_, _, err = send(t, c, p2, b2, "HEAD", "/y")
	require.NoError(t, err)
	assert.Equal(t, "HEAD", b2.seen[0].Method)
}

func TestResponsesMethods(t *testing.T) {
	c := newResponses(t, ResponsesOptions{})
	b := &backend{header: http.Header{"Cache-Control": {"max-age=60"}}}
	for range 2 {
		st, _, err := send(t, c, &Policy{}, b, "POST", "/x")
		require.NoError(t, err)
		assert.Equal(t, StatusNone, st)
	}
	assert.Equal(t, 2, b.count())
	p := &Policy{Methods: []string{"POST"}}
	st1, _, _ := send(t, c, p, b, "POST", "/p")
	st2, w, _ := send(t, c, p, b, "POST", "/p")
	assert.Equal(t, []Status{StatusMiss, StatusHit}, []Status{st1, st2})
	assert.Equal(t, "n=3 POST", w.Body.String())
}

func TestResponsesMinUsesBypassNoCache(t *testing.T) {
	c := newResponses(t, ResponsesOptions{})
	b := &backend{}
	p := &Policy{Valid: ValidFor(time.Minute), MinUses: 2}
	assert.Equal(t, []string{"MISS 200 n=1 GET", "MISS 200 n=2 GET", "HIT 200 n=2 GET", "HIT 200 n=2 GET"},
		sequence(t, c, p, b, 4, nil), "as nginx: stored at the second use")

	bypass := false
	c2 := newResponses(t, ResponsesOptions{})
	b2 := &backend{}
	p2 := &Policy{Valid: ValidFor(time.Minute), Bypass: func(*http.Request) bool { return bypass }}
	got := sequence(t, c2, p2, b2, 4, func(i int) { bypass = i < 2 })
	assert.Equal(t, []string{"BYPASS 200 n=1 GET", "BYPASS 200 n=2 GET", "HIT 200 n=2 GET", "HIT 200 n=2 GET"}, got,
		"a bypassed response is still stored")

	c3 := newResponses(t, ResponsesOptions{})
	b3 := &backend{header: http.Header{"X-No": {"1"}}}
	p3 := &Policy{Valid: ValidFor(time.Minute), NoCache: func(_ *http.Request, _ int, h http.Header) bool { return h.Get("X-No") != "" }}
	assert.Equal(t, []string{"MISS 200 n=1 GET", "MISS 200 n=2 GET"}, sequence(t, c3, p3, b3, 2, nil))
}

type timeoutError struct{}

func (timeoutError) Error() string { return "upstream timed out" }
func (timeoutError) Timeout() bool { return true }

func TestResponsesUseStale(t *testing.T) {
	errConn := errors.New("connect() failed")
	tests := []struct {
		name     string
		stale    Stale
		cc       string
		status   []int
		err      []error
		want2    string
		wantErr2 error
	}{
		{"http_500", StaleHTTP500, "max-age=1", []int{200, 500}, nil, "STALE 200 n=1 GET", nil},
		{"500 without http_500", StaleHTTP502, "max-age=1", []int{200, 500}, nil, "EXPIRED 500 n=2 GET", nil},
		{"error", StaleError, "max-age=1", nil, []error{nil, errConn}, "STALE 200 n=1 GET", nil},
		{"error without error", StaleTimeout, "max-age=1", nil, []error{nil, errConn}, "", errConn},
		{"timeout", StaleTimeout, "max-age=1", nil, []error{nil, timeoutError{}}, "STALE 200 n=1 GET", nil},
		{"stale-if-error", 0, "max-age=1, stale-if-error=60", []int{200, 503}, nil, "STALE 200 n=1 GET", nil},
		{"stale-if-error error", 0, "max-age=1, stale-if-error=60", nil, []error{nil, errConn}, "STALE 200 n=1 GET", nil},
		{"stale-if-error too late", 0, "max-age=1, stale-if-error=1", []int{200, 503}, nil, "EXPIRED 503 n=2 GET", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			c := newResponses(t, ResponsesOptions{Now: clk.now})
			b := &backend{status: tt.status, err: tt.err, header: http.Header{"Cache-Control": {tt.cc}}}
			p := &Policy{UseStale: tt.stale}
			st, w, err := send(t, c, p, b, "GET", "/x")
			require.NoError(t, err)
			assert.Equal(t, "MISS 200 n=1 GET", fmt.Sprintf("%s %d %s", st, w.Code, w.Body.String()))
			clk.add(5 * time.Second)
			st, w, err = send(t, c, p, b, "GET", "/x")
			if tt.wantErr2 != nil {
				assert.ErrorIs(t, err, tt.wantErr2)
				assert.False(t, w.Flushed || w.Body.Len() > 0 || len(w.Header()) > 0, "nothing written")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want2, fmt.Sprintf("%s %d %s", st, w.Code, w.Body.String()))
		})
	}
}

func TestResponsesRevalidate(t *testing.T) {
	for _, validator := range []string{"Last-Modified", "ETag"} {
		t.Run(validator, func(t *testing.T) {
			clk := newClock()
			c := newResponses(t, ResponsesOptions{Now: clk.now})
			value := clk.httpTime(-3600)
			if validator == "ETag" {
				value = `"e1"`
			}
			b := &backend{status: []int{200, 304}, header: http.Header{"X-Accel-Expires": {"1"}}}
			b.header.Set(validator, value)
			p := &Policy{Revalidate: true}
			got := sequence(t, c, p, b, 3, func(i int) {
				if i > 0 {
					clk.add(2 * time.Second)
				}
			})
			assert.Equal(t, []string{"MISS 200 n=1 GET", "REVALIDATED 200 n=1 GET", "REVALIDATED 200 n=1 GET"}, got)
			h := "If-Modified-Since"
			if validator == "ETag" {
				h = "If-None-Match"
			}
			require.Len(t, b.seen, 3)
			assert.Empty(t, b.seen[0].Header.Get(h))
			assert.Equal(t, value, b.seen[1].Header.Get(h))
			// The 304's X-Accel-Expires renewed it for a second.
			clk.add(time.Second)
			st, _, _ := send(t, c, p, b, "GET", "/x")
			assert.Equal(t, StatusHit, st)
		})
	}
}

func TestResponsesConditionalClient(t *testing.T) {
	clk := newClock()
	c := newResponses(t, ResponsesOptions{Now: clk.now})
	lm := clk.httpTime(-3600)
	b := &backend{header: http.Header{"Cache-Control": {"max-age=60"}, "Last-Modified": {lm}, "Etag": {`"v1"`}}}
	p := &Policy{}
	// The client's validators are not passed on: the stored response must be whole.
	st, w, err := send(t, c, p, b, "GET", "/x", "If-None-Match", `"v1"`, "Range", "bytes=0-1")
	require.NoError(t, err)
	assert.Equal(t, StatusMiss, st)
	assert.Equal(t, http.StatusNotModified, w.Code, "nginx's not_modified filter answers a cacheable 200")
	assert.Empty(t, b.seen[0].Header.Get("If-None-Match"))
	assert.Empty(t, b.seen[0].Header.Get("Range"))
	st, w, _ = send(t, c, p, b, "GET", "/x", "If-Modified-Since", lm)
	assert.Equal(t, StatusHit, st)
	assert.Equal(t, http.StatusNotModified, w.Code)
	assert.Empty(t, w.Body.String())
	_, w, _ = send(t, c, p, b, "GET", "/x", "If-None-Match", `W/"v1", "v2"`)
	assert.Equal(t, http.StatusNotModified, w.Code)
	_, w, _ = send(t, c, p, b, "GET", "/x", "If-None-Match", `"v2"`)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "n=1 GET", w.Body.String())
}

func TestResponsesVary(t *testing.T) {
	c := newResponses(t, ResponsesOptions{})
	b := &backend{header: http.Header{"Cache-Control": {"max-age=60"}, "Vary": {"Accept"}}}
	p := &Policy{}
	var got []string
	for _, accept := range []string{"a", "b", "a", "b"} {
		st, w, err := send(t, c, p, b, "GET", "/x", "Accept", accept)
		require.NoError(t, err)
		got = append(got, fmt.Sprintf("%s %s", st, w.Body.String()))
	}
	assert.Equal(t, []string{"MISS n=1 GET", "MISS n=2 GET", "HIT n=1 GET", "HIT n=2 GET"}, got)
}

func TestResponsesLock(t *testing.T) {
	c := newResponses(t, ResponsesOptions{})
	b := &backend{gate: make(chan struct{}), header: http.Header{"Cache-Control": {"max-age=60"}}}
	p := &Policy{Lock: true}
	const n = 8
	var wg sync.WaitGroup
	statuses := make([]Status, n)
	bodies := make([]string, n)
	for i := range n {
		wg.Go(func() {
			st, w, err := send(t, c, p, b, "GET", "/x")
			assert.NoError(t, err)
			statuses[i], bodies[i] = st, w.Body.String()
		})
	}
	require.Eventually(t, func() bool { return b.count() == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond) // let the others reach the lock
	close(b.gate)
	wg.Wait()
	assert.Equal(t, 1, b.count(), "one fetch for all")
	misses := 0
	for i := range n {
		assert.Equal(t, "n=1 GET", bodies[i])
		if statuses[i] == StatusMiss {
			misses++
		} else {
			assert.Equal(t, StatusHit, statuses[i])
		}
	}
	assert.Equal(t, 1, misses)
}

func TestResponsesLockTimeout(t *testing.T) {
	c := newResponses(t, ResponsesOptions{})
	gate := make(chan struct{})
	b := &backend{gate: gate, header: http.Header{"Cache-Control": {"max-age=60"}}}
	p := &Policy{Lock: true, LockTimeout: 20 * time.Millisecond}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _, _ = send(t, c, p, b, "GET", "/x")
	}()
	require.Eventually(t, func() bool { return b.count() == 1 }, 5*time.Second, time.Millisecond)
	b.mu.Lock()
	b.gate = nil
	b.mu.Unlock()
	st, w, err := send(t, c, p, b, "GET", "/x")
	require.NoError(t, err)
	assert.Equal(t, StatusMiss, st)
	assert.Equal(t, "n=2 GET", w.Body.String(), "after the lock timeout the request goes to the origin itself")
	close(gate)
	<-done
	st, w, _ = send(t, c, p, b, "GET", "/x")
	assert.Equal(t, StatusHit, st)
	assert.Equal(t, "n=1 GET", w.Body.String(), "what the lock holder fetched is stored, not the waiter's")
}

func TestResponsesUpdatingAndBackground(t *testing.T) {
	for _, bgUpdate := range []bool{false, true} {
		t.Run(fmt.Sprint("background=", bgUpdate), func(t *testing.T) {
			clk := newClock()
			c := newResponses(t, ResponsesOptions{Now: clk.now})
			b := &backend{header: http.Header{"Cache-Control": {"max-age=1"}}}
			p := &Policy{UseStale: StaleUpdating, BackgroundUpdate: bgUpdate}
			_, _, err := send(t, c, p, b, "GET", "/x")
			require.NoError(t, err)
			clk.add(3 * time.Second)
			gate := make(chan struct{})
			b.mu.Lock()
			b.gate = gate
			b.mu.Unlock()
			first := make(chan string, 1)
			go func() {
				st, w, err := send(t, c, p, b, "GET", "/x")
				assert.NoError(t, err)
				first <- fmt.Sprintf("%s %s", st, w.Body.String())
			}()
			if bgUpdate {
				assert.Equal(t, "STALE n=1 GET", <-first, "answered at once, refreshed in the background")
			}
			require.Eventually(t, func() bool { return b.count() == 2 }, 5*time.Second, time.Millisecond)
			st, w, err := send(t, c, p, b, "GET", "/x")
			require.NoError(t, err)
			assert.Equal(t, "UPDATING n=1 GET", fmt.Sprintf("%s %s", st, w.Body.String()))
			close(gate)
			if !bgUpdate {
				assert.Equal(t, "EXPIRED n=2 GET", <-first)
			}
			require.Eventually(t, func() bool {
				st, w, _ := send(t, c, p, b, "GET", "/x")
				return st == StatusHit && w.Body.String() == "n=2 GET"
			}, 5*time.Second, time.Millisecond)
		})
	}
}

func TestResponsesInactiveAndMaxBody(t *testing.T) {
	clk := newClock()
	c := newResponses(t, ResponsesOptions{Now: clk.now, Inactive: time.Minute, MaxBody: 7})
	b := &backend{header: http.Header{"Cache-Control": {"max-age=3600"}}}
	got := sequence(t, c, &Policy{}, b, 4, func(i int) {
		if i == 2 {
			clk.add(61 * time.Second)
		}
	})
	assert.Equal(t, []string{"MISS 200 n=1 GET", "HIT 200 n=1 GET", "MISS 200 n=2 GET", "HIT 200 n=2 GET"}, got,
		"not requested for a minute: dropped although fresh")

	c2 := newResponses(t, ResponsesOptions{MaxBody: 6})
	b2 := &backend{header: http.Header{"Cache-Control": {"max-age=3600"}}}
	assert.Equal(t, []string{"MISS 200 n=1 GET", "MISS 200 n=2 GET"}, sequence(t, c2, &Policy{}, b2, 2, nil),
		"a body over MaxBody is passed on, not stored")
}

func TestResponsesOriginErrorWithoutStale(t *testing.T) {
	c := newResponses(t, ResponsesOptions{})
	errConn := errors.New("connect() failed")
	b := &backend{err: []error{errConn}}
	st, w, err := send(t, c, &Policy{}, b, "GET", "/x")
	assert.ErrorIs(t, err, errConn)
	assert.Equal(t, StatusMiss, st)
	assert.Zero(t, w.Body.Len())

	h := c.Handler(Policy{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		fmt.Fprint(w, "hello")
	}))
	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/h", nil))
		assert.Equal(t, "hello", w.Body.String())
	}
}

func TestNewResponsesErrors(t *testing.T) {
	_, err := NewResponses(ResponsesOptions{MaxSize: -1})
	assert.ErrorContains(t, err, "negative MaxSize")
	c, err := NewResponses(ResponsesOptions{})
	require.NoError(t, err)
	c.Close()
	c.Close()
	assert.ErrorIs(t, c.Serve(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), &Policy{}, nil, nil), ErrClosed)
}

func TestResponsesXAccelExpiresIsForTheCache(t *testing.T) {
	c := newResponses(t, ResponsesOptions{})
	b := &backend{header: http.Header{"X-Accel-Expires": {"60"}, "X-Up": {"1"}}}
	for _, want := range []Status{StatusMiss, StatusHit} {
		st, w, err := send(t, c, &Policy{}, b, "GET", "/x")
		require.NoError(t, err)
		assert.Equal(t, want, st)
		assert.Empty(t, w.Header().Get("X-Accel-Expires"), "neither passed on nor stored")
		assert.Equal(t, "1", w.Header().Get("X-Up"))
	}
}

func TestResponsesBackgroundRequest(t *testing.T) {
	clk := newClock()
	c := newResponses(t, ResponsesOptions{Now: clk.now})
	var background []bool
	var mu sync.Mutex
	origin := func(w http.ResponseWriter, r *http.Request) error {
		mu.Lock()
		background = append(background, Background(r))
		mu.Unlock()
		w.Header().Set("Cache-Control", "max-age=1")
		fmt.Fprint(w, "x")
		return nil
	}
	p := &Policy{UseStale: StaleUpdating, BackgroundUpdate: true}
	for range 2 {
		require.NoError(t, c.Serve(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil), p, origin, nil))
		clk.add(3 * time.Second)
	}
	c.Close() // waits for the background update
	assert.Equal(t, []bool{false, true}, background)
}
