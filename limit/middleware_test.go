package limit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goresty/goresty/ngx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })

// reply is what a client sees of a response, for comparing sequences.
type reply struct {
	Status                                    int
	Limit, Remaining, Reset, RetryAfter, Body string
}

func serve(h http.Handler, remote string) reply {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.RemoteAddr = remote
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return replyOf(w.Code, w.Header(), w.Body.String())
}

func replyOf(status int, h http.Header, body string) reply {
	return reply{status, h.Get("RateLimit-Limit"), h.Get("RateLimit-Remaining"), h.Get("RateLimit-Reset"),
		h.Get("Retry-After"), body}
}

const tooMany = "Too Many Requests\n"

func TestMiddlewareHeaders(t *testing.T) {
	now := t0
	req, err := NewReq(newDict(t), 1, 2)
	require.NoError(t, err)
	count, err := NewCount(newDict(t), 2, 60)
	require.NoError(t, err)
	req.SetClock(fixedClock(&now))
	count.SetClock(fixedClock(&now))
	tests := []struct {
		name  string
		lim   Limiter
		steps []time.Duration // the clock's move before each request
		want  []reply
	}{
		{
			name: "req: burst+1 at once, then the excess drains at the rate", lim: req,
			steps: []time.Duration{0, 0, 0, 0, 1500 * time.Millisecond},
			want: []reply{
				{200, "3", "2", "0", "", "ok"},
				{200, "3", "1", "1", "", "ok"},
				{200, "3", "0", "2", "", "ok"},
				{429, "3", "0", "2", "1", tooMany},
				{200, "3", "0", "2", "", "ok"}, // 2000 - 1500 + 1000
			},
		},
		{
			name: "count: the window's remaining quota and time", lim: count,
			steps: []time.Duration{0, 15 * time.Second, 0},
			want: []reply{
				{200, "2", "1", "60", "", "ok"},
				{200, "2", "0", "45", "", "ok"},
				{429, "2", "0", "45", "45", tooMany},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := Middleware(Config{Limiter: tc.lim})(okHandler)
			var got []reply
			for _, d := range tc.steps {
				now = now.Add(d)
				got = append(got, serve(h, "192.0.2.1:1234"))
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestMiddlewareConnCountsRequestsOut(t *testing.T) {
	d := newDict(t)
	conn, err := NewConn(d, 1, 1, 0.5)
	require.NoError(t, err)
	release := make(chan struct{})
	var inside sync.WaitGroup
	inside.Add(2)
	h := Middleware(Config{Limiter: conn})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inside.Done()
		<-release
	}))
	var wg sync.WaitGroup
	replies := make([]reply, 2)
	for i := range replies {
		wg.Go(func() { replies[i] = serve(h, "192.0.2.1:1") })
	}
	inside.Wait()
	assert.Equal(t, reply{429, "2", "0", "", "1", tooMany}, serve(h, "192.0.2.1:1"))
	close(release)
	wg.Wait()
	assert.ElementsMatch(t, []reply{{200, "2", "1", "", "", ""}, {200, "2", "0", "", "", ""}}, replies)
	v, _, err := d.Get("192.0.2.1")
	require.NoError(t, err)
	n, _ := v.AsNumber()
	assert.Zero(t, n, "both counted out")
	assert.Less(t, conn.UnitDelay(), 0.5, "their latencies moved the unit delay")
}

func TestMiddlewareDelay(t *testing.T) {
	req, err := NewReq(newDict(t), 10, 5)
	require.NoError(t, err)
	now := t0
	req.SetClock(fixedClock(&now))
	h := Middleware(Config{Limiter: req, Delay: true})(okHandler)
	assert.Equal(t, 200, serve(h, "192.0.2.1:1").Status)
	start := time.Now()
	assert.Equal(t, 200, serve(h, "192.0.2.1:1").Status)
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond, "excess 1 at 10 r/s")
}

func TestMiddlewareDelayCancelled(t *testing.T) {
	req, err := NewReq(newDict(t), 0.5, 5)
	require.NoError(t, err)
	now := t0
	req.SetClock(fixedClock(&now))
	var served atomic.Int32
	h := Middleware(Config{Limiter: req, Delay: true})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		served.Add(1)
	}))
	serve(h, "192.0.2.1:1")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	r := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
	r.RemoteAddr = "192.0.2.1:1"
	start := time.Now()
	h.ServeHTTP(httptest.NewRecorder(), r)
	assert.Less(t, time.Since(start), time.Second, "the 2 s delay ended with the request")
	assert.Equal(t, int32(1), served.Load())
	_, excess, err := req.Incoming("192.0.2.1", false)
	require.NoError(t, err)
	assert.Equal(t, 1.0, excess, "the cancelled request was uncommitted")
}

func TestMiddlewareDryRun(t *testing.T) {
	var logs bytes.Buffer
	req, err := NewReq(newDict(t), 1, 0)
	require.NoError(t, err)
	h := Middleware(Config{Limiter: req, DryRun: true, Delay: true,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})(okHandler)
	for range 3 {
		assert.Equal(t, reply{Status: 200, Body: "ok"}, serve(h, "192.0.2.7:1"))
	}
	assert.Contains(t, logs.String(), `msg="limit: dry run: request would be rejected" key=192.0.2.7`)
	_, _, err = req.Incoming("192.0.2.7", false)
	assert.ErrorIs(t, err, ErrRejected, "the dry run counted")
}

// failing is a Limiter whose store is down.
type failing struct{}

var errDown = errors.New("redis down")

func (failing) Incoming(string, bool) (float64, float64, error) { return 0, 0, errDown }
func (failing) Uncommit(string) error                           { return errDown }

func TestMiddlewareFailOpenAndClosed(t *testing.T) {
	tests := []struct {
		name       string
		failClosed bool
		want       reply
		wantLog    string
	}{
		{"fail-open by default", false, reply{Status: 200, Body: "ok"}, "request served (fail-open)"},
		{"fail-closed", true, reply{Status: 429, Body: tooMany}, "request rejected (fail-closed)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			h := Middleware(Config{Limiter: failing{}, FailClosed: tc.failClosed,
				Logger: slog.New(slog.NewTextHandler(&logs, nil))})(okHandler)
			assert.Equal(t, tc.want, serve(h, "192.0.2.1:1"))
			assert.Contains(t, logs.String(), tc.wantLog)
			assert.Contains(t, logs.String(), "err=\"redis down\"")
		})
	}
}

func TestMiddlewareRejectStatusAndKey(t *testing.T) {
	req, err := NewReq(newDict(t), 1, 0)
	require.NoError(t, err)
	h := Middleware(Config{Limiter: req, RejectStatus: http.StatusServiceUnavailable,
		Key: func(r *http.Request) string { return r.Header.Get("X-Api-Key") }})(okHandler)
	send := func(key string) int {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("X-Api-Key", key)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	assert.Equal(t, []int{200, 503, 200}, []int{send("a"), send("a"), send("b")})
}

func TestMiddlewareOtherLimiterHasNoHeaders(t *testing.T) {
	var log []string
	h := Middleware(Config{Limiter: &recorder{name: "r", log: &log, reject: map[int]bool{2: true}}})(okHandler)
	assert.Equal(t, []reply{{Status: 200, Body: "ok"}, {Status: 429, Body: tooMany}},
		[]reply{serve(h, "192.0.2.1:1"), serve(h, "192.0.2.1:1")})
	assert.Equal(t, []string{"r.incoming(192.0.2.1,true)", "r.incoming(192.0.2.1,true)"}, log)
}

func TestMiddlewareMisconfigured(t *testing.T) {
	assert.PanicsWithValue(t, "limit: Config.Limiter is nil", func() { Middleware(Config{}) })
	assert.PanicsWithValue(t, "limit: Config.RejectStatus 42 is not an HTTP status", func() {
		AccessHook(Config{Limiter: failing{}, RejectStatus: 42})
	})
}

func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	tests := []struct {
		name, remote string
		xff          []string
		realIP       string
		want         string
	}{
		{"the peer", "192.0.2.1:5555", nil, "", "192.0.2.1"},
		{"an untrusted peer's headers are ignored", "192.0.2.1:5555", []string{"1.1.1.1"}, "2.2.2.2", "192.0.2.1"},
		{"a trusted proxy's X-Forwarded-For", "10.1.1.1:80", []string{"1.1.1.1"}, "", "1.1.1.1"},
		{"the rightmost untrusted hop", "10.1.1.1:80", []string{"6.6.6.6, 1.1.1.1, 10.2.2.2"}, "", "1.1.1.1"},
		{"several header lines", "10.1.1.1:80", []string{"6.6.6.6", "1.1.1.1 , 10.2.2.2,"}, "", "1.1.1.1"},
		{"all hops trusted: the leftmost", "10.1.1.1:80", []string{"10.3.3.3, 10.2.2.2"}, "", "10.3.3.3"},
		{"X-Real-IP without X-Forwarded-For", "[::1]:80", nil, " 1.1.1.1 ", "1.1.1.1"},
		{"a bad X-Real-IP", "[::1]:80", nil, "nonsense", "::1"},
		{"an unparsable hop", "10.1.1.1:80", []string{"1.1.1.1, unknown"}, "", "unknown"},
		{"IPv4-mapped", "[::ffff:192.0.2.9]:1", nil, "", "192.0.2.9"},
		{"no port", "192.0.2.1", nil, "", "192.0.2.1"},
		{"not an address", "pipe", nil, "", "pipe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if tc.realIP != "" {
				r.Header.Set("X-Real-IP", tc.realIP)
			}
			assert.Equal(t, tc.want, ClientIP(r, trusted))
		})
	}
}

func newNgxRequest(ctx context.Context, remote string) (*ngx.Request, *httptest.ResponseRecorder) {
	req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
	req.RemoteAddr = remote
	w := httptest.NewRecorder()
	return ngx.NewRequest(w, req, &ngx.Options{}), w
}

func TestAccessHook(t *testing.T) {
	count, err := NewCount(newDict(t), 1, 30)
	require.NoError(t, err)
	hook := AccessHook(Config{Limiter: count})
	var got []reply
	for range 2 {
		r, w := newNgxRequest(context.Background(), "192.0.2.1:1")
		err := hook(r)
		status, exited := r.Exited()
		if exited {
			assert.ErrorIs(t, err, ngx.ErrExit, "a rejection returns Exit's error")
		} else {
			require.NoError(t, err)
			status = 200
		}
		got = append(got, replyOf(status, w.Header(), ""))
	}
	assert.Equal(t, []reply{{200, "1", "0", "30", "", ""}, {429, "1", "0", "30", "30", ""}}, got)
}

func TestAccessHookConnLeavesWhenTheRequestEnds(t *testing.T) {
	d := newDict(t)
	conn, err := NewConn(d, 5, 0, 1)
	require.NoError(t, err)
	hook := AccessHook(Config{Limiter: conn})
	ctx, cancel := context.WithCancel(context.Background())
	r, _ := newNgxRequest(ctx, "192.0.2.1:1")
	require.NoError(t, hook(r))
	v, _, err := d.Get("192.0.2.1")
	require.NoError(t, err)
	assert.Equal(t, "1", v.String())
	cancel()
	require.Eventually(t, func() bool {
		v, _, _ := d.Get("192.0.2.1")
		return v.String() == "0"
	}, time.Second, time.Millisecond)
}

func TestAccessHookDelayMovesTheClock(t *testing.T) {
	req, err := NewReq(newDict(t), 20, 5)
	require.NoError(t, err)
	now := t0
	req.SetClock(fixedClock(&now))
	hook := AccessHook(Config{Limiter: req, Delay: true})
	for i := range 2 {
		r, _ := newNgxRequest(context.Background(), "192.0.2.1:1")
		before := r.Clock().Now()
		require.NoError(t, hook(r))
		if i == 1 {
			assert.GreaterOrEqual(t, r.Clock().Now()-before, 0.049, "slept 1/20 s")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	r, _ := newNgxRequest(ctx, "192.0.2.1:1")
	assert.ErrorIs(t, hook(r), ngx.ErrExit)
	status, _ := r.Exited()
	assert.Equal(t, 499, status)
}
