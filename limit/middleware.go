package limit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/goresty/goresty/ngx"
)

// Config configures Middleware and AccessHook. Only Limiter is required: the zero values key
// requests by client address, serve admitted requests at once, reject the others with 429 Too
// Many Requests and serve requests when the limiter fails (fail-open), logging the error.
type Config struct {
	// Limiter decides. A *Req, *Conn or *Count also sets the RateLimit-Limit, -Remaining and
	// -Reset headers and Retry-After on rejections; another Limiter only admits or rejects.
	// A *Conn counts a request out when it ends.
	Limiter Limiter
	// Key returns the key of a request. Nil keys by ClientIP(r, TrustedProxies).
	Key func(r *http.Request) string
	// TrustedProxies are the networks of the proxies whose X-Forwarded-For and X-Real-IP the
	// default key believes. Nil trusts none: the key is the peer's address.
	TrustedProxies []netip.Prefix
	// Delay makes an admitted request wait the delay the limiter gives it (nginx's limit_req
	// without nodelay); the wait ends, and the request is dropped and uncommitted, when the
	// request is cancelled. False serves admitted requests at once.
	Delay bool
	// RejectStatus is the response status of a rejected request; 0 means 429.
	RejectStatus int
	// DryRun counts requests and logs those it would reject, but never delays, rejects or adds
	// headers, for trying a limit on live traffic.
	DryRun bool
	// FailClosed rejects requests when the limiter fails (a Redis store that cannot be reached);
	// false serves them. Either way the error is logged.
	FailClosed bool
	// Logger receives dry-run rejections and limiter errors; nil means slog.Default().
	Logger *slog.Logger
}

// guard is a Config ready to run.
type guard struct {
	Config
	status int
	log    *slog.Logger
}

func newGuard(c Config) *guard {
	if c.Limiter == nil {
		panic("limit: Config.Limiter is nil")
	}
	g := &guard{Config: c, status: c.RejectStatus, log: c.Logger}
	if g.status == 0 {
		g.status = http.StatusTooManyRequests
	}
	if g.status < 100 || g.status > 999 {
		panic(fmt.Sprintf("limit: Config.RejectStatus %d is not an HTTP status", c.RejectStatus))
	}
	if g.log == nil {
		g.log = slog.Default()
	}
	if g.Key == nil {
		trusted := c.TrustedProxies
		g.Key = func(r *http.Request) string { return ClientIP(r, trusted) }
	}
	return g
}

// Middleware returns net/http middleware that runs every request through c.Limiter, committing
// it. It panics if c.Limiter is nil or c.RejectStatus is not a status code.
func Middleware(c Config) func(http.Handler) http.Handler {
	g := newGuard(c)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			v := g.decide(g.Key(r))
			if !g.DryRun {
				v.quota.write(w.Header().Set)
			}
			if v.reject {
				http.Error(w, http.StatusText(g.status), g.status)
				return
			}
			if v.wait > 0 && !sleep(r.Context(), v.wait) {
				v.undo()
				return
			}
			if v.release != nil {
				start := time.Now()
				defer func() { v.release(time.Since(start).Seconds()) }()
			}
			next.ServeHTTP(w, r)
		})
	}
}

// AccessHook returns a resty access-phase hook (resty.Hook{Phase: ngx.PhaseAccess, Go: hook})
// that does what Middleware does: a rejected request ends with Exit(RejectStatus), a delayed one
// sleeps (and moves the request's ngx.now clock, as ngx.sleep does), ending with Exit(499) if the
// client goes away meanwhile. A *Conn counts the request out when its context ends, which
// net/http does when the request is over. It panics if c.Limiter is nil or c.RejectStatus is not
// a status code.
func AccessHook(c Config) func(r *ngx.Request) error {
	g := newGuard(c)
	return func(r *ngx.Request) error {
		v := g.decide(g.Key(r.HTTPRequest()))
		if !g.DryRun {
			v.quota.write(func(name, value string) { _ = r.SetResponseHeader(name, value) })
		}
		if v.reject {
			return r.Exit(g.status)
		}
		ctx := r.Context()
		if v.wait > 0 {
			ok := sleep(ctx, v.wait)
			r.Clock().Update()
			if !ok {
				v.undo()
				return r.Exit(statusClientClosed)
			}
		}
		if v.release != nil {
			start := time.Now()
			context.AfterFunc(ctx, func() { v.release(time.Since(start).Seconds()) })
		}
		return nil
	}
}

// statusClientClosed is nginx's 499, for a request whose client went away while it waited.
const statusClientClosed = 499

// sleep waits d or until ctx is done; it reports whether it slept the whole time.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// verdict is what the guard decided for one request.
type verdict struct {
	reject  bool
	wait    time.Duration
	quota   quota
	undo    func()                // uncommits an admitted request that will not be served
	release func(latency float64) // counts a served request out (Conn); nil for the others
}

// quota is what the RateLimit headers say; a negative field is not sent.
type quota struct {
	limit, remaining, reset, retryAfter int64
}

var noQuota = quota{-1, -1, -1, -1}

func (q quota) write(set func(name, value string)) {
	for _, h := range []struct {
		name string
		v    int64
	}{{"RateLimit-Limit", q.limit}, {"RateLimit-Remaining", q.remaining}, {"RateLimit-Reset", q.reset}, {"Retry-After", q.retryAfter}} {
		if h.v >= 0 {
			set(h.name, strconv.FormatInt(h.v, 10))
		}
	}
}

// ceil is a number of seconds rounded up for a header; at least min.
func ceil(seconds float64, min int64) int64 { return max(int64(math.Ceil(seconds)), min) }

// decide runs the limiter for key and turns its result into a verdict, applying DryRun and
// FailClosed.
func (g *guard) decide(key string) verdict {
	v, delay, err := g.incoming(key)
	switch {
	case err == nil:
		if g.Delay && !g.DryRun && delay >= 0.001 {
			v.wait = time.Duration(delay * float64(time.Second))
		}
		return v
	case errors.Is(err, ErrRejected) && g.DryRun:
		g.log.Info("limit: dry run: request would be rejected", "key", key)
		return verdict{quota: noQuota}
	case errors.Is(err, ErrRejected):
		v.reject = true
		return v
	case g.FailClosed:
		g.log.Error("limit: limiter failed; request rejected (fail-closed)", "key", key, "err", err)
		return verdict{reject: true, quota: noQuota}
	}
	g.log.Error("limit: limiter failed; request served (fail-open)", "key", key, "err", err)
	return verdict{quota: noQuota}
}

// incoming commits key with g.Limiter and computes the headers the limiter's type allows.
func (g *guard) incoming(key string) (verdict, float64, error) {
	v := verdict{quota: noQuota}
	switch l := g.Limiter.(type) {
	case *Req:
		excess, rate, err := l.decide(key, instant{}, true)
		v.undo = func() { _ = l.Uncommit(key) }
		return reqQuota(v, l.burst.load(), excess, rate, err), excess / rate, err
	case *Conn:
		delay, conn, err := l.Incoming(key, true)
		limit := l.max.load() + l.burst.load()
		v.quota = quota{limit: int64(limit), remaining: max(int64(limit-conn), 0), reset: -1, retryAfter: -1}
		if errors.Is(err, ErrRejected) {
			v.quota.remaining = 0
			v.quota.retryAfter = ceil(l.UnitDelay(), 1)
		}
		v.undo = func() { _ = l.Uncommit(key) }
		v.release = func(latency float64) { _, _ = l.Leaving(key, latency) }
		return v, delay, err
	case *Count:
		remaining, ttl, err := l.decide(key, instant{}, true, true)
		v.quota = quota{limit: int64(l.limit), remaining: max(int64(remaining), 0), reset: ceil(ttl.Seconds(), 0), retryAfter: -1}
		if errors.Is(err, ErrRejected) {
			v.quota.retryAfter = ceil(ttl.Seconds(), 1)
		}
		v.undo = func() { _ = l.Uncommit(key) }
		return v, 0, err
	}
	delay, _, err := g.Limiter.Incoming(key, true)
	v.undo = func() { _ = g.Limiter.Uncommit(key) }
	return v, delay, err
}

// reqQuota: a leaky bucket admits burst+1 requests at once; what remains is the room left under
// the burst; it is empty again after excess/rate seconds. A rejected request may retry once the
// excess it would have had has drained down to the burst.
func reqQuota(v verdict, burst, excess, rate float64, err error) verdict {
	v.quota = quota{limit: int64(burst/1000) + 1, retryAfter: -1}
	switch {
	case errors.Is(err, ErrRejected):
		v.quota.remaining = 0
		v.quota.reset = ceil(max(excess-1000, 0)/rate, 0)
		v.quota.retryAfter = ceil((excess-burst)/rate, 1)
	case err == nil:
		v.quota.remaining = max(int64((burst-excess)/1000), 0)
		v.quota.reset = ceil(excess/rate, 0)
	default:
		v.quota = noQuota
	}
	return v
}
