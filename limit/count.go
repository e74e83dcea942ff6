package limit

import (
	"time"

	"github.com/goresty/goresty/sharedict"
)

// Count is resty.limit.count: a fixed window of limit requests per window seconds per key, as
// GitHub's API quota. The first committed request of a window creates the key's counter with
// limit - 1 remaining and an expiry of window seconds; each later one takes one more; once none
// remain, requests are rejected (and still counted) until the key expires.
//
// The counter is a number in the store with the window as its expiry, as in OpenResty. A Count is
// safe for concurrent use; create one with NewCount.
type Count struct {
	b      backend
	limit  float64
	window float64 // seconds
	clock  clock
}

// NewCount returns a limit of limit requests (> 0) per window seconds (> 0) kept in store, as
// resty.limit.count's new(dict_name, limit, window). The window has millisecond resolution.
func NewCount(store sharedict.Store, limit, window float64) (*Count, error) {
	if err := checkParam("limit", limit, true); err != nil {
		return nil, err
	}
	if err := checkParam("window", window, true); err != nil {
		return nil, err
	}
	b, err := newBackend(store)
	if err != nil {
		return nil, err
	}
	return &Count{b: b, limit: limit, window: window}, nil
}

// Incoming sees a request for key and returns a delay of 0 and the requests remaining in the
// window after this one, or ErrRejected when none remain. With commit it takes its share of the
// quota (rejected requests too, as in OpenResty); without, it only looks.
func (c *Count) Incoming(key string, commit bool) (delay, remaining float64, err error) {
	remaining, _, err = c.decide(key, instant{}, commit, false)
	return c.result(remaining, err)
}

// IncomingAt is Incoming at time now: the window's expiry is checked against now. On a
// RedisStore windows expire by Redis' own clock and now is not used.
func (c *Count) IncomingAt(now time.Time, key string, commit bool) (delay, remaining float64, err error) {
	remaining, _, err = c.decide(key, at(now), commit, false)
	return c.result(remaining, err)
}

func (c *Count) result(remaining float64, err error) (float64, float64, error) {
	if err != nil {
		return 0, 0, err
	}
	return 0, remaining, nil
}

// decide returns the remaining quota (negative when rejected) and, when ttl is asked, the time
// left in the window.
func (c *Count) decide(key string, now instant, commit, ttl bool) (float64, time.Duration, error) {
	return c.b.count(countArgs{
		key: key, at: now, clock: &c.clock, limit: c.limit, window: c.window, commit: commit, ttl: ttl,
	})
}

// Uncommit gives back one request of key's quota. A key whose window has ended is not an error.
func (c *Count) Uncommit(key string) error {
	_, err := c.uncommit(key)
	return err
}

// uncommit is Lua's uncommit: the remaining quota after giving one back, limit when the window
// has ended.
func (c *Count) uncommit(key string) (float64, error) {
	return c.b.countUncommit(key, c.limit, &c.clock)
}

// Limit returns the number of requests per window.
func (c *Count) Limit() float64 { return c.limit }

// Window returns the window in seconds.
func (c *Count) Window() float64 { return c.window }

// SetClock makes Incoming check windows against now instead of time.Now (nil restores it). On a
// RedisStore windows expire by Redis' own clock.
func (c *Count) SetClock(now func() time.Time) { c.clock.set(now) }
