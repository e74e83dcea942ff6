package limit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goresty/goresty/sharedict"
)

// backend is where a limiter keeps its state and how it makes one decision atomically: on a
// sharedict.Store (dictBackend) or with one Redis script per decision (RedisStore).
type backend interface {
	// req is resty.limit.req's incoming: the new excess in milli-requests; on ErrRejected the
	// excess the request would have had (for Retry-After).
	req(a reqArgs) (excess float64, err error)
	reqUncommit(key string, c *clock) error
	// conn is resty.limit.conn's incoming against limit = max + burst: the concurrency counting
	// this request; on ErrRejected the count it would have had.
	conn(key string, limit float64, commit bool, c *clock) (float64, error)
	// connDecr is leaving and uncommit: the count after one request left.
	connDecr(key string, c *clock) (float64, error)
	// count is resty.limit.count's incoming: the remaining quota (negative when rejected) and,
	// when a.ttl, the time left in the window.
	count(a countArgs) (remaining float64, ttl time.Duration, err error)
	countUncommit(key string, limit float64, c *clock) (float64, error)
}

type reqArgs struct {
	key         string
	at          instant
	clock       *clock
	rate, burst float64 // milli-requests (per second)
	commit      bool
}

type countArgs struct {
	key    string
	at     instant
	clock  *clock
	limit  float64
	window float64 // seconds
	commit bool
	ttl    bool
}

// The leaky-bucket record, as resty.limit.req stores it through LuaJIT's FFI on x86-64: a struct
// of two 64-bit unsigned integers, excess (milli-requests) then last (milliseconds), in
// little-endian order, kept in the dict as a 16-byte string.
const recSize = 16

func encodeRec(excess, last float64) string {
	var b [recSize]byte
	binary.LittleEndian.PutUint64(b[:8], uint64(excess))
	binary.LittleEndian.PutUint64(b[8:], uint64(last))
	return string(b[:])
}

func decodeRec(s string) (excess, last uint64) {
	return binary.LittleEndian.Uint64([]byte(s[:8])), binary.LittleEndian.Uint64([]byte(s[8:16]))
}

// leak is the leaky bucket's step: the excess after one more request at now (ms), starting from
// a record (excess, last) and draining at rate milli-requests per second. Like the original it
// counts time elapsed backwards as elapsed (abs), so a clock that steps back still drains.
func leak(excess, last uint64, now, rate float64) float64 {
	elapsed := now - float64(last)
	drained := float64(rate*abs(elapsed)) / 1000
	return max(float64(float64(excess)-drained)+1000, 0)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// Decisions on one key are serialized by a process-wide striped lock, so that a read-modify-write
// of the leaky bucket (get, compute, set) is atomic among goroutines, and a limiter object made
// per request (as Lua code does) still shares the lock with every other. Keys of different dicts
// may share a stripe, which costs contention, never correctness.
const stripes = 1024

type stripe struct {
	sync.Mutex
	_ [56]byte // one cache line each
}

var (
	lockSeed = maphash.MakeSeed()
	locks    [stripes]stripe
)

func lockFor(key string) *sync.Mutex {
	return &locks[maphash.String(lockSeed, key)%stripes].Mutex
}

// kv is the part of a dict the algorithms use, with the time of the decision for a dict that
// takes it (Dict's At methods).
type kv interface {
	get(now time.Time, key string) (sharedict.Value, error)
	set(now time.Time, key string, v sharedict.Value) error
	incr(now time.Time, key string, n float64) (float64, error)
	incrInit(now time.Time, key string, n, init float64, ttl time.Duration) (float64, error)
	ttl(now time.Time, key string) (time.Duration, error)
}

type dictKV struct{ d *sharedict.Dict }

func (k dictKV) get(now time.Time, key string) (sharedict.Value, error) {
	v, _, err := k.d.GetAt(now, key)
	return v, err
}

func (k dictKV) set(now time.Time, key string, v sharedict.Value) error {
	_, err := k.d.SetAt(now, key, v, 0, 0)
	return err
}

func (k dictKV) incr(now time.Time, key string, n float64) (float64, error) {
	return k.d.IncrAt(now, key, n)
}

func (k dictKV) incrInit(now time.Time, key string, n, init float64, ttl time.Duration) (float64, error) {
	v, _, err := k.d.IncrInitAt(now, key, n, init, ttl)
	return v, err
}

func (k dictKV) ttl(now time.Time, key string) (time.Duration, error) { return k.d.TTLAt(now, key) }

// storeKV is any other Store (a sharedict.RedisDict, a user's own): it keeps its own time.
type storeKV struct{ s sharedict.Store }

func (k storeKV) get(_ time.Time, key string) (sharedict.Value, error) {
	v, _, err := k.s.Get(key)
	return v, err
}

func (k storeKV) set(_ time.Time, key string, v sharedict.Value) error {
	_, err := k.s.Set(key, v, 0, 0)
	return err
}

func (k storeKV) incr(_ time.Time, key string, n float64) (float64, error) { return k.s.Incr(key, n) }

func (k storeKV) incrInit(_ time.Time, key string, n, init float64, ttl time.Duration) (float64, error) {
	v, _, err := k.s.IncrInit(key, n, init, ttl)
	return v, err
}

func (k storeKV) ttl(_ time.Time, key string) (time.Duration, error) { return k.s.TTL(key) }

// soft reports whether err is one of the dict's own results ("not found", "no memory", "value is
// a list", "empty key"...), which OpenResty's Lua code sees as a nil value and goes on; a closed
// dict or a transport error is a failure of the decision.
func soft(err error) bool {
	var e *sharedict.Error
	return errors.As(err, &e) && e != sharedict.ErrClosed
}

// number is Lua's `(dict:get(key) or def)` used in arithmetic: a missing value (or a get error)
// is def, a number is itself, a numeric string converts; anything else cannot be counted.
func number(key string, v sharedict.Value, err error, def float64) (float64, error) {
	if err != nil {
		if soft(err) {
			return def, nil
		}
		return 0, err
	}
	switch v.Kind() {
	case sharedict.KindNil:
		return def, nil
	case sharedict.KindNumber:
		n, _ := v.AsNumber()
		return n, nil
	case sharedict.KindString:
		s, _ := v.AsString()
		if n, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("limit: key %q holds %s %s, not a number", key, v.Kind(), v)
}

// windowTTL is count's window as lua-resty-core passes init_ttl to nginx: whole milliseconds,
// truncated.
func windowTTL(window float64) time.Duration {
	return time.Duration(int64(window*1000)) * time.Millisecond
}

type dictBackend struct{ kv kv }

func newDictBackend(k kv) *dictBackend { return &dictBackend{k} }

func (b *dictBackend) req(a reqArgs) (float64, error) {
	mu := lockFor(a.key)
	mu.Lock()
	defer mu.Unlock()
	now := a.at
	if !now.ok {
		now = at(a.clock.read())
	}
	v, err := b.kv.get(now.t, a.key)
	if err != nil && !soft(err) {
		return 0, err
	}
	excess := 0.0
	if err == nil && !v.IsNil() {
		s, ok := v.AsString()
		if !ok || len(s) != recSize {
			return 0, ErrAbused
		}
		e, last := decodeRec(s)
		excess = leak(e, last, now.ms, a.rate)
		if excess > a.burst {
			return excess, ErrRejected
		}
	}
	if a.commit {
		// OpenResty ignores the result of this set ("no memory" included).
		if err := b.kv.set(now.t, a.key, sharedict.String(encodeRec(excess, now.ms))); err != nil && !soft(err) {
			return 0, err
		}
	}
	return excess, nil
}

func (b *dictBackend) reqUncommit(key string, c *clock) error {
	mu := lockFor(key)
	mu.Lock()
	defer mu.Unlock()
	now := c.read()
	v, err := b.kv.get(now, key)
	switch {
	case err != nil && !soft(err):
		return err
	case err != nil || v.IsNil():
		return sharedict.ErrNotFound
	}
	s, ok := v.AsString()
	if !ok || len(s) != recSize {
		return ErrAbused
	}
	e, last := decodeRec(s)
	excess := max(float64(e)-1000, 0)
	if err := b.kv.set(now, key, sharedict.String(encodeRec(excess, float64(last)))); err != nil && !soft(err) {
		return err
	}
	return nil
}

func (b *dictBackend) conn(key string, limit float64, commit bool, c *clock) (float64, error) {
	mu := lockFor(key)
	mu.Lock()
	defer mu.Unlock()
	now := c.read()
	if !commit {
		v, err := b.kv.get(now, key)
		n, err := number(key, v, err, 0)
		if err != nil {
			return 0, err
		}
		if n+1 > limit {
			return n + 1, ErrRejected
		}
		return n + 1, nil
	}
	n, err := b.kv.incrInit(now, key, 1, 0, 0)
	if err != nil {
		return 0, err
	}
	if n > limit {
		if _, err := b.kv.incr(now, key, -1); err != nil {
			return 0, err
		}
		return n, ErrRejected
	}
	return n, nil
}

func (b *dictBackend) connDecr(key string, c *clock) (float64, error) {
	mu := lockFor(key)
	mu.Lock()
	defer mu.Unlock()
	return b.kv.incr(c.read(), key, -1)
}

func (b *dictBackend) count(a countArgs) (float64, time.Duration, error) {
	mu := lockFor(a.key)
	mu.Lock()
	defer mu.Unlock()
	now := a.at.t
	if !a.at.ok {
		now = a.clock.read()
	}
	var remaining float64
	var err error
	if a.commit {
		remaining, err = b.kv.incrInit(now, a.key, -1, a.limit, windowTTL(a.window))
	} else {
		v, gerr := b.kv.get(now, a.key)
		remaining, err = number(a.key, v, gerr, a.limit)
		remaining--
	}
	if err != nil {
		return 0, 0, err
	}
	var ttl time.Duration
	if a.ttl {
		if ttl, err = b.kv.ttl(now, a.key); err != nil {
			ttl = 0 // a dry run on a missing key: the window has not started
		}
	}
	if remaining < 0 {
		return remaining, ttl, ErrRejected
	}
	return remaining, ttl, nil
}

func (b *dictBackend) countUncommit(key string, limit float64, c *clock) (float64, error) {
	mu := lockFor(key)
	mu.Lock()
	defer mu.Unlock()
	n, err := b.kv.incr(c.read(), key, 1)
	if errors.Is(err, sharedict.ErrNotFound) {
		return limit, nil
	}
	return n, err
}
