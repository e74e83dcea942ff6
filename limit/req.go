package limit

import (
	"time"

	"github.com/goresty/goresty/sharedict"
)

// Req is resty.limit.req: a leaky bucket per key, as nginx's limit_req. Each key has an excess
// (requests beyond the rate, kept in milli-requests) that every request raises by one and that
// drains at rate requests per second; a request that would lift it above burst is rejected, and
// an admitted one should wait excess/rate seconds (the delay) to keep the rate.
//
// With rate 2 and burst 10 and the clock standing still, two requests on one key get delays 0
// and 0.5 and excesses 0 and 1; the twelfth is rejected.
//
// The state lives in the store as OpenResty keeps it, one 16-byte record per key without expiry,
// so Lua code and Go code on the same dict share it. Each decision is atomic within the process;
// on a RedisStore it is one server-side script, atomic across the fleet. A Req is safe for
// concurrent use; create one with NewReq.
type Req struct {
	b     backend
	rate  float // milli-requests per second
	burst float // milli-requests
	clock clock
}

// NewReq returns a leaky bucket of rate requests per second (> 0) and burst requests (>= 0) kept
// in store, as resty.limit.req's new(dict_name, rate, burst).
func NewReq(store sharedict.Store, rate, burst float64) (*Req, error) {
	if err := checkParam("rate", rate, true); err != nil {
		return nil, err
	}
	if err := checkParam("burst", burst, false); err != nil {
		return nil, err
	}
	b, err := newBackend(store)
	if err != nil {
		return nil, err
	}
	l := &Req{b: b}
	l.rate.store(rate * 1000)
	l.burst.store(burst * 1000)
	return l, nil
}

// Incoming sees a request for key now and returns the seconds it should wait (excess / rate)
// and the excess (requests beyond the rate, after this one), or ErrRejected when the excess would
// pass the burst. With commit false it records nothing. Other errors are the store's (a closed
// dict, Redis unreachable) and ErrAbused when key holds something else.
func (l *Req) Incoming(key string, commit bool) (delay, excess float64, err error) {
	return l.incoming(key, instant{}, commit)
}

// IncomingAt is Incoming at time now (with millisecond resolution, as ngx.now).
func (l *Req) IncomingAt(now time.Time, key string, commit bool) (delay, excess float64, err error) {
	return l.incoming(key, at(now), commit)
}

func (l *Req) incoming(key string, now instant, commit bool) (float64, float64, error) {
	e, rate, err := l.decide(key, now, commit)
	if err != nil {
		return 0, 0, err
	}
	return e / rate, e / 1000, nil
}

// decide returns the excess in milli-requests and the rate it was computed with; on ErrRejected
// the excess the request would have had.
func (l *Req) decide(key string, now instant, commit bool) (excess, rate float64, err error) {
	rate = l.rate.load()
	excess, err = l.b.req(reqArgs{
		key: key, at: now, clock: &l.clock, rate: rate, burst: l.burst.load(), commit: commit,
	})
	return excess, rate, err
}

// Uncommit takes back one committed request of key: the excess drops by one (not below zero),
// its time stays. It returns sharedict.ErrNotFound when key has no record.
func (l *Req) Uncommit(key string) error { return l.b.reqUncommit(key, &l.clock) }

// SetRate changes the rate (requests per second, > 0) for later decisions, as set_rate.
func (l *Req) SetRate(rate float64) error {
	if err := checkParam("rate", rate, true); err != nil {
		return err
	}
	l.rate.store(rate * 1000)
	return nil
}

// SetBurst changes the burst (requests, >= 0) for later decisions, as set_burst.
func (l *Req) SetBurst(burst float64) error {
	if err := checkParam("burst", burst, false); err != nil {
		return err
	}
	l.burst.store(burst * 1000)
	return nil
}

// Rate returns the rate in requests per second.
func (l *Req) Rate() float64 { return l.rate.load() / 1000 }

// Burst returns the burst in requests.
func (l *Req) Burst() float64 { return l.burst.load() / 1000 }

// SetClock makes Incoming read now instead of time.Now (nil restores time.Now). On a RedisStore
// the default is the Redis server's time, the one clock a fleet shares.
func (l *Req) SetClock(now func() time.Time) { l.clock.set(now) }
