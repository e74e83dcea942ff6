package sharedict

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// entry is one key of a dict. Locks: the shard's mutex guards the shard's structures (index,
// LRU heap) and the fields marked "shard"; the entry's own lock guards its value (fields marked
// "mu"). A change that removes or replaces an entry holds both, the shard's first, so either lock
// alone is enough to read removed.
type entry struct {
	state    atomic.Uint64 // the entry's lock (bit 0) and its LRU stamp (the other bits)
	next     uint64        // mu: the stamp unlock publishes (0: keep)
	key      string        // immutable
	h        uint64        // immutable
	expires  atomic.Int64  // Unix milliseconds; 0 never; 1 after flush_all. Written under mu
	val      Value         // mu
	flags    uint32        // mu
	list     *list         // mu; non-nil for a list
	mem      chunk         // shard and mu: the node's slab allocation
	removed  bool          // shard and mu: no longer in the dict (ristretto may still return it)
	overflow bool          // shard: lives in the shard's overflow map
}

// The entry's lock shares a word with its stamp, so that releasing the lock also publishes the
// stamp of the access it made (one atomic write instead of two). Holders never wait for another
// lock while holding it, except the slab's mutex and the entry locks of eviction victims, which
// are held briefly; so waiting spins, yielding the processor after a few tries.

// lock locks e.
func (e *entry) lock() {
	for i := 0; ; i++ {
		w := e.state.Load()
		if w&1 == 0 && e.state.CompareAndSwap(w, w|1) {
			return
		}
		if i >= 8 {
			runtime.Gosched()
		}
	}
}

// unlock unlocks e and publishes its new stamp, if it has one.
func (e *entry) unlock() {
	st := e.next
	if st == 0 {
		st = e.stamp()
	}
	e.next = 0
	e.state.Store(st << 1)
}

// stamp returns e's position in the dict-wide LRU order: larger is more recent.
func (e *entry) stamp() uint64 { return e.state.Load() >> 1 }

// Sizes of OpenResty's shared-memory structures on amd64, used to charge the slab model exactly
// what OpenResty allocates: a key/value node is an ngx_rbtree_node_t up to its color field (32
// bytes) plus an ngx_http_lua_shdict_node_t up to its data (36 bytes), then the key and the value;
// a list node keeps a queue head (16 bytes) after the key, 8-byte aligned; each list element is an
// ngx_http_lua_shdict_list_node_t (21 bytes before data) plus the value.
const (
	nodeOverhead     = 32 + 36
	listHeadOverhead = nodeOverhead + 16
	listItemOverhead = 16 + 4 + 1
)

func nodeSize(key string, v Value) int { return nodeOverhead + len(key) + v.size() }

func listHeadSize(key string) int { return (listHeadOverhead + len(key) + 7) &^ 7 }

func listItemSize(v Value) int { return listItemOverhead + v.size() }

// shard owns the keys whose hash has its index in the top bits: their index overlays and their
// LRU heap (see lru.go). While entries have an expiry, the shard publishes its least recently
// used entry for expireTail's lock-free scan.
type shard struct {
	mu       sync.Mutex
	lru      []lruItem // min-heap by key, with removed entries (see lru.go)
	dead     int       // removed entries in lru
	pending  map[uint64]*entry
	overflow map[string]*entry
	misses   int // lookups answered by pending since the last confirm

	lastTop   *entry // what was last published, to skip redundant atomic stores
	lastStamp uint64
	pubOK     bool                  // the published top is current
	pubTop    atomic.Pointer[entry] // least recently used entry, nil when empty
	pubStamp  atomic.Uint64         // its stamp, MaxUint64 when empty
	pubValid  atomic.Bool           // pubOK, for expireTail
	_         [64]byte              // keep shards' hot fields on separate cache lines
}

// unlock publishes the shard's least recently used entry for expireTail and unlocks the shard.
// While no entry has an expiry nobody reads what is published, so the shard only marks it stale,
// once.
func (s *shard) unlock(d *Dict) {
	if d.ttlCount.Load() > 0 {
		s.publish()
	} else if s.pubOK {
		s.pubOK = false
		s.pubValid.Store(false)
		d.pubStale.Store(true)
	}
	s.mu.Unlock()
}

// publish makes the shard's least recently used entry and its stamp visible to expireTail.
func (s *shard) publish() {
	if !s.pubOK {
		s.pubOK = true
		defer s.pubValid.Store(true)
	}
	t, st := s.top()
	if t == nil {
		st = ^uint64(0)
	}
	if t != s.lastTop {
		s.lastTop = t
		s.pubTop.Store(t)
	}
	if st != s.lastStamp {
		s.lastStamp = st
		s.pubStamp.Store(st)
	}
}
