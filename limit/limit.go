package limit

import (
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/goresty/goresty/sharedict"
)

// The errors of the limiters. Their Error() is OpenResty's string, so a Lua binding returns it as
// it is; compare with errors.Is.
var (
	// ErrRejected is the "rejected" of incoming: the request is over the limit.
	ErrRejected = errors.New("rejected")
	// ErrAbused is resty.limit.req's "shdict abused by other users": the key holds a value that
	// is not a leaky-bucket record.
	ErrAbused = errors.New("shdict abused by other users")
)

// A Limiter is what Combine combines and what the middleware runs: resty.limit's incoming and
// uncommit, which Req, Conn and Count share.
//
// Incoming sees a request for key and returns the seconds it should wait and the limiter's state
// (Req's excess, Conn's concurrency, Count's remaining quota), or ErrRejected. With commit false
// it records nothing (a dry run). Uncommit undoes a committed Incoming.
type Limiter interface {
	Incoming(key string, commit bool) (delay, state float64, err error)
	Uncommit(key string) error
}

var (
	_ Limiter = (*Req)(nil)
	_ Limiter = (*Conn)(nil)
	_ Limiter = (*Count)(nil)
)

// instant is the time of one decision. ms is the time in milliseconds as the formulas use it
// (ngx.now() * 1000 in OpenResty, which may carry a fraction); t is the same time for the dict's
// expiry checks. The zero instant means "read the clock when the decision is made" (under the
// key's lock, so that decisions on one key see monotonic times), or the server's clock in Redis.
type instant struct {
	t  time.Time
	ms float64
	ok bool
}

func at(t time.Time) instant { return instant{t: t, ms: float64(t.UnixMilli()), ok: true} }

// clock is the time source a limiter reads when it is not given a time: the function SetClock
// installed, else time.Now (or, on a RedisStore, the Redis server's time).
type clock struct {
	now atomic.Pointer[func() time.Time]
}

func (c *clock) set(now func() time.Time) {
	if now == nil {
		c.now.Store(nil)
		return
	}
	c.now.Store(&now)
}

// read returns the current time.
func (c *clock) read() time.Time {
	if p := c.now.Load(); p != nil {
		return (*p)()
	}
	return time.Now()
}

func (c *clock) isSet() bool { return c.now.Load() != nil }

// float is a float64 read and written atomically, for parameters that set_rate, set_burst and
// friends change while other goroutines decide.
type float struct{ bits atomic.Uint64 }

func (f *float) load() float64   { return math.Float64frombits(f.bits.Load()) }
func (f *float) store(v float64) { f.bits.Store(math.Float64bits(v)) }

// checkParam rejects what OpenResty's assert in new() rejects, and NaN, naming the parameter.
func checkParam(name string, v float64, positive bool) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Errorf("limit: %s %v is not a finite number", name, v)
	case positive && v <= 0:
		return fmt.Errorf("limit: %s %v must be > 0", name, v)
	case v < 0:
		return fmt.Errorf("limit: %s %v must be >= 0", name, v)
	}
	return nil
}

// newBackend picks how a limiter keeps its state in store: scripts for a RedisStore, the
// explicit-time methods for a local Dict, the plain Store methods otherwise.
func newBackend(store sharedict.Store) (backend, error) {
	switch s := store.(type) {
	case nil:
		return nil, errors.New("limit: nil store")
	case *RedisStore:
		if s == nil {
			return nil, errors.New("limit: nil store")
		}
		return s, nil
	case *sharedict.Dict:
		if s == nil {
			return nil, errors.New("limit: nil store")
		}
		return newDictBackend(dictKV{s}), nil
	default:
		return newDictBackend(storeKV{s}), nil
	}
}
