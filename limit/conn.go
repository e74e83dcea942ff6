package limit

import (
	"math"
	"sync/atomic"
	"time"

	"github.com/goresty/goresty/sharedict"
)

// Conn is resty.limit.conn: concurrent requests per key, as nginx's limit_conn with a burst.
// Up to max requests run at once without delay; the next burst ones are admitted with a delay
// of unitDelay * floor((conn-1)/max) seconds, where unitDelay starts at the default connection
// delay and follows the measured latencies given to Leaving; more are rejected. Every admitted,
// committed request must end with Leaving (or Uncommit).
//
// The count of each key is a number in the store without expiry, as in OpenResty. A Conn is safe
// for concurrent use, but IsCommitted and the unit delay belong to the value, as they belong to
// the Lua object in OpenResty: code that needs IsCommitted per request uses a Conn per request
// (they share the counts through the store). Create one with NewConn.
type Conn struct {
	b         backend
	max       float
	burst     float
	unitDelay float // seconds
	committed atomic.Bool
	clock     clock
}

// NoLatency, given to Leaving, leaves the unit delay as it is (Lua's leaving(key) without a
// latency).
const NoLatency = -1.0

// NewConn returns a limit of max concurrent requests per key (> 0), plus burst (>= 0) delayed
// ones, with a first unit delay of defaultConnDelay seconds (> 0), kept in store, as
// resty.limit.conn's new(dict_name, max, burst, default_conn_delay).
func NewConn(store sharedict.Store, max, burst, defaultConnDelay float64) (*Conn, error) {
	for _, p := range []struct {
		name     string
		v        float64
		positive bool
	}{{"max", max, true}, {"burst", burst, false}, {"default_conn_delay", defaultConnDelay, true}} {
		if err := checkParam(p.name, p.v, p.positive); err != nil {
			return nil, err
		}
	}
	b, err := newBackend(store)
	if err != nil {
		return nil, err
	}
	c := &Conn{b: b}
	c.max.store(max)
	c.burst.store(burst)
	c.unitDelay.store(defaultConnDelay)
	return c, nil
}

// Incoming sees a request for key and returns its delay in seconds and the concurrency level
// counting it, or ErrRejected above max + burst. With commit it counts the request in (the caller
// must then call Leaving when it ends); without, it only looks.
func (c *Conn) Incoming(key string, commit bool) (delay, conn float64, err error) {
	c.committed.Store(false)
	max := c.max.load()
	conn, err = c.b.conn(key, max+c.burst.load(), commit, &c.clock)
	if err != nil {
		return 0, 0, err
	}
	c.committed.Store(commit)
	if conn > max {
		return c.unitDelay.load() * math.Floor((conn-1)/max), conn, nil
	}
	return 0, conn, nil
}

// IsCommitted reports whether the last Incoming on this Conn counted its request in (and so needs
// Leaving), as is_committed.
func (c *Conn) IsCommitted() bool { return c.committed.Load() }

// Leaving counts a request of key out and returns the concurrency left. A latency in seconds
// (>= 0; NoLatency for none) moves the unit delay halfway towards it, as leaving(key, latency).
func (c *Conn) Leaving(key string, latency float64) (float64, error) {
	return c.leaving(key, latency, latency >= 0)
}

func (c *Conn) leaving(key string, latency float64, measured bool) (float64, error) {
	conn, err := c.b.connDecr(key, &c.clock)
	if err != nil {
		return 0, err
	}
	if measured {
		c.unitDelay.store((latency + c.unitDelay.load()) / 2)
	}
	return conn, nil
}

// Uncommit counts a committed request of key out without a latency. It returns
// sharedict.ErrNotFound when key has no count.
func (c *Conn) Uncommit(key string) error {
	_, err := c.b.connDecr(key, &c.clock)
	return err
}

// SetMax changes max for later decisions, as set_conn.
func (c *Conn) SetMax(max float64) error {
	if err := checkParam("max", max, true); err != nil {
		return err
	}
	c.max.store(max)
	return nil
}

// SetBurst changes the burst for later decisions, as set_burst.
func (c *Conn) SetBurst(burst float64) error {
	if err := checkParam("burst", burst, false); err != nil {
		return err
	}
	c.burst.store(burst)
	return nil
}

// Max returns the concurrency admitted without delay.
func (c *Conn) Max() float64 { return c.max.load() }

// Burst returns the number of delayed requests admitted above Max.
func (c *Conn) Burst() float64 { return c.burst.load() }

// UnitDelay returns the current unit delay in seconds.
func (c *Conn) UnitDelay() float64 { return c.unitDelay.load() }

// SetClock sets the time the store's expiry checks use (nil: time.Now); counts themselves do not
// depend on time.
func (c *Conn) SetClock(now func() time.Time) { c.clock.set(now) }
