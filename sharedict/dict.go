package sharedict

import (
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/ristretto/v2"
)

// Dict is an ngx.shared.DICT: a named key/value store of a fixed size in bytes, safe for
// concurrent use, with OpenResty's semantics for every method (see the package documentation).
// Create one with New and release its goroutines with Close. The zero Dict is not usable.
//
// Every method that depends on the time has a twin with an At suffix that takes the current time
// instead of reading the clock, for deterministic tests and for callers (a Lua binding) that
// keep their own cached time as nginx does.
type Dict struct {
	name     string
	capacity int64
	shards   []shard
	shift    uint // a hash's shard is h >> shift
	seed     maphash.Seed
	cache    *ristretto.Cache[uint64, *entry]
	epoch    time.Time // read with its monotonic clock, so the dict's time never jumps
	epochNs  int64
	closed   atomic.Bool
	readers  *[readerSlots]readerSlot // lookups inside ristretto, which Close waits for
	testHash func(string) uint64      // replaces maphash in tests that need collisions

	_        [64]byte
	stamp    atomic.Uint64 // source of LRU stamps
	_        [56]byte
	ttlCount atomic.Int64 // entries with an expiry; when 0, expireTail has nothing to do
	_        [56]byte

	oldestE  atomic.Pointer[entry] // the oldest entry, as oldest last found it
	oldestSt atomic.Uint64         // and its stamp then
	pubStale atomic.Bool           // some shard's published top is stale
	_        [40]byte

	due      atomic.Int64  // no entry expires before this (Unix ms); see due.go
	raisedAt atomic.Uint64 // stamp when due was last recomputed
	entries  atomic.Int64  // entries in the dict
	raiseMu  sync.Mutex
	_        [40]byte

	slabMu   sync.Mutex // guards slab; taken after a shard lock, never before
	slab     *slab
	reserved [2]chunk // the zone's own allocations
}

// Sizes OpenResty allocates in a new zone before any key: the dict's rbtree and LRU header
// (ngx_http_lua_shdict_shctx_t) and the zone's log context string.
const (
	shctxSize  = 80
	logCtxBase = len(` in lua_shared_dict zone ""`) + 1
)

// New returns a dict of capacity bytes, as `lua_shared_dict name capacity` declares one; use
// ParseSize for "10m". Like nginx it rejects capacities under 8192 bytes, and capacities too
// small to hold the zone's own bookkeeping (12 KiB is the smallest that works for short names).
func New(name string, capacity int64) (*Dict, error) {
	if name == "" {
		return nil, fmt.Errorf("sharedict: empty dict name")
	}
	if capacity <= 8191 {
		return nil, fmt.Errorf("sharedict: invalid lua shared dict size %d for %q", capacity, name)
	}
	sl := newSlab(int(zonePages(capacity)))
	var reserved [2]chunk
	for i, size := range [2]int{shctxSize, logCtxBase + len(name)} {
		var ok bool
		if reserved[i], ok = sl.alloc(size); !ok {
			return nil, fmt.Errorf("sharedict: dict %q: size %d too small: no memory", name, capacity)
		}
	}
	cache, err := newCache()
	if err != nil {
		return nil, fmt.Errorf("sharedict: dict %q: %w", name, err)
	}
	n := shardCount()
	d := &Dict{
		name:     name,
		capacity: capacity,
		shards:   make([]shard, n),
		readers:  new([readerSlots]readerSlot),
		shift:    uint(64 - bits.TrailingZeros(uint(n))),
		seed:     maphash.MakeSeed(),
		cache:    cache,
		epoch:    time.Now(),
		slab:     sl,
		reserved: reserved,
	}
	d.epochNs = d.epoch.UnixNano()
	d.due.Store(math.MaxInt64)
	for i := range d.shards {
		d.shards[i].lastStamp = ^uint64(0)
		d.shards[i].pubStamp.Store(^uint64(0))
		d.shards[i].pubOK = true
		d.shards[i].pubValid.Store(true)
	}
	return d, nil
}

// shardCount is a power of two with room for every P to work on its own shard.
func shardCount() int {
	n := 1
	for n < 4*runtime.GOMAXPROCS(0) && n < 64 {
		n <<= 1
	}
	return max(n, 4)
}

// Close stops the dict's background goroutines (ristretto's). Every later call returns
// ErrClosed. Close is idempotent.
func (d *Dict) Close() {
	if d.closed.Swap(true) {
		return
	}
	d.waitReaders()
	d.lockAll()
	d.cache.Close()
	d.unlockAll()
}

// Name returns the dict's name.
func (d *Dict) Name() string { return d.name }

// Capacity returns the dict's size in bytes, as capacity() does.
func (d *Dict) Capacity() int64 { return d.capacity }

// FreeSpace returns the bytes in wholly free pages of the dict's memory, as free_space() does:
// pages partly used by small entries count as used, so a dict can accept more than this.
func (d *Dict) FreeSpace() (int64, error) {
	if d.closed.Load() {
		return 0, ErrClosed
	}
	d.slabMu.Lock()
	defer d.slabMu.Unlock()
	return int64(d.slab.pfree) * pageSize, nil
}

func (d *Dict) hash(key string) uint64 {
	if d.testHash != nil {
		return d.testHash(key)
	}
	return maphash.String(d.seed, key)
}

// lock locks the shard of hash h, or reports ErrClosed.
func (d *Dict) lock(h uint64) (*shard, error) {
	s := &d.shards[h>>d.shift]
	s.mu.Lock()
	if d.closed.Load() {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	return s, nil
}

// lockAll locks every shard, in index order, for operations on the dict-wide LRU order.
func (d *Dict) lockAll() {
	for i := range d.shards {
		d.shards[i].mu.Lock()
	}
}

func (d *Dict) unlockAll() {
	for i := range d.shards {
		d.shards[i].unlock(d)
	}
}

// clock is the time of one operation in Unix milliseconds, read from the clock at most once and
// only if the operation needs it (most do not: entries without expiry never need the time).
type clock struct {
	d  *Dict
	ms int64
	ok bool
}

func (d *Dict) clockNow() clock { return clock{d: d} }

func clockAt(t time.Time) clock { return clock{ms: t.UnixMilli(), ok: true} }

func (c *clock) now() int64 {
	if !c.ok {
		c.ms = (c.d.epochNs + int64(time.Since(c.d.epoch))) / int64(time.Millisecond)
		c.ok = true
	}
	return c.ms
}

// expired reports whether a lookup sees e as expired: nginx counts an entry as expired only
// once its expiry time has passed (expires < now).
func (c *clock) expired(e *entry) bool {
	ex := e.expires.Load()
	return ex != 0 && ex < c.now()
}

// sweepable reports whether the sweeps (expireTail, flush_expired) free e: they take expires <=
// now.
func (c *clock) sweepable(e *entry) bool {
	ex := e.expires.Load()
	return ex != 0 && ex <= c.now()
}

// expiryFor returns the expiry of an entry stored now with an exptime of ms milliseconds.
func (c *clock) expiryFor(ms int64) int64 {
	if ms > 0 {
		return c.now() + ms
	}
	return 0
}

// setExpires changes an entry's expiry, keeping ttlCount right. e's lock is held.
func (d *Dict) setExpires(e *entry, exp int64) {
	switch old := e.expires.Load(); {
	case old == exp:
		return
	case old == 0:
		d.ttlCount.Add(1)
	case exp == 0:
		d.ttlCount.Add(-1)
	}
	e.expires.Store(exp)
	if exp != 0 {
		d.lowerDue(exp)
	}
}

// attach makes a new entry the most recently used one and indexes it. The shard's lock is held;
// nobody else can see e yet.
func (d *Dict) attach(s *shard, e *entry, exp int64) {
	d.setExpires(e, exp)
	e.state.Store(d.stamp.Add(1) << 1)
	s.insert(d, e)
	s.heapPush(e)
	d.entries.Add(1)
}

// detach takes an entry out of the LRU order and the index; its memory is freed separately. The
// shard's lock and e's are held.
func (d *Dict) detach(s *shard, e *entry) {
	s.drop(d, e) // marks it removed
	s.heapRemove()
	d.entries.Add(-1)
	d.setExpires(e, 0)
	e.next = removedStamp // so that oldest sees it changed
}

// freeMem returns an entry's memory (node and list elements) to the slab. slabMu is held.
func (d *Dict) freeMem(e *entry) {
	if e.list != nil {
		e.list.each(func(it listItem) { d.slab.free(it.mem) })
	}
	d.slab.free(e.mem)
}

// remove deletes an entry from the dict. The shard's lock and e's are held.
func (d *Dict) remove(s *shard, e *entry) {
	d.detach(s, e)
	d.slabMu.Lock()
	d.freeMem(e)
	d.slabMu.Unlock()
}
