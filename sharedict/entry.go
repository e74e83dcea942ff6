package sharedict

import (
	"math"
	"sync"
	"sync/atomic"
)

// entry is one key of a dict. Every field is guarded by the lock of the shard that owns the key.
type entry struct {
	key      string
	h        uint64
	newer    *entry // LRU neighbours within the shard
	older    *entry
	stamp    uint64 // position in the dict-wide LRU order: larger is more recent
	expires  int64  // Unix milliseconds; 0 never; 1 after flush_all
	val      Value
	flags    uint32
	list     *list // non-nil for a list
	mem      chunk // the node's slab allocation
	removed  bool  // no longer in the dict (ristretto may still return it briefly)
	overflow bool  // lives in the shard's overflow map
}

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

// shard owns the keys whose hash has its index in the top bits. It keeps them in an LRU list
// ordered by stamp, so the dict-wide least recently used entry is the shard tail with the
// smallest stamp. The tail's stamp and expiry are published for lock-free scans.
type shard struct {
	mu       sync.Mutex
	head     *entry // most recently used
	tail     *entry // least recently used
	pending  map[uint64]*entry
	overflow map[string]*entry
	misses   int // lookups answered by pending since the last confirm

	pubStamp  uint64 // what was last published, to skip redundant atomic stores
	pubExp    int64
	pubOK     bool          // the published tail is current
	tailStamp atomic.Uint64 // stamp of tail, MaxUint64 when empty
	tailExp   atomic.Int64  // expires of tail
	pubValid  atomic.Bool   // pubOK, for expireTail
	_         [64]byte      // keep shards' hot fields on separate cache lines
}

// touch makes e the most recently used entry of the dict.
func (s *shard) touch(d *Dict, e *entry) {
	e.stamp = d.stamp.Add(1)
	if s.head == e {
		return
	}
	s.unlink(e)
	s.pushFront(e)
}

func (s *shard) pushFront(e *entry) {
	e.newer, e.older = nil, s.head
	if s.head != nil {
		s.head.newer = e
	} else {
		s.tail = e
	}
	s.head = e
}

func (s *shard) unlink(e *entry) {
	if e.newer != nil {
		e.newer.older = e.older
	} else if s.head == e {
		s.head = e.older
	}
	if e.older != nil {
		e.older.newer = e.newer
	} else if s.tail == e {
		s.tail = e.newer
	}
	e.newer, e.older = nil, nil
}

// unlock publishes the shard's tail for expireTail and unlocks the shard. While no entry has an
// expiry nobody reads the published tail, so the shard only marks it stale, once.
func (s *shard) unlock(d *Dict) {
	if d.ttlCount.Load() > 0 {
		s.publish()
	} else if s.pubOK {
		s.pubOK = false
		s.pubValid.Store(false)
	}
	s.mu.Unlock()
}

// publish makes the tail's stamp and expiry visible to expireTail's scan.
func (s *shard) publish() {
	if !s.pubOK {
		s.pubOK = true
		defer s.pubValid.Store(true)
	}
	st, ex := uint64(math.MaxUint64), int64(0)
	if t := s.tail; t != nil {
		st, ex = t.stamp, t.expires
	}
	if st != s.pubStamp {
		s.pubStamp = st
		s.tailStamp.Store(st)
	}
	if ex != s.pubExp {
		s.pubExp = ex
		s.tailExp.Store(ex)
	}
}

// list is a double-ended queue of list elements.
type list struct {
	items []listItem
	head  int
	n     int
}

type listItem struct {
	v   Value
	mem chunk
}

func (l *list) grow() {
	c := max(4, 2*len(l.items))
	items := make([]listItem, c)
	for i := 0; i < l.n; i++ {
		items[i] = l.items[(l.head+i)%len(l.items)]
	}
	l.items, l.head = items, 0
}

func (l *list) pushLeft(it listItem) {
	if l.n == len(l.items) {
		l.grow()
	}
	l.head = (l.head - 1 + len(l.items)) % len(l.items)
	l.items[l.head] = it
	l.n++
}

func (l *list) pushRight(it listItem) {
	if l.n == len(l.items) {
		l.grow()
	}
	l.items[(l.head+l.n)%len(l.items)] = it
	l.n++
}

func (l *list) popLeft() listItem {
	it := l.items[l.head]
	l.items[l.head] = listItem{}
	l.head = (l.head + 1) % len(l.items)
	l.n--
	return it
}

func (l *list) popRight() listItem {
	i := (l.head + l.n - 1) % len(l.items)
	it := l.items[i]
	l.items[i] = listItem{}
	l.n--
	return it
}

// each calls f on every element, left to right.
func (l *list) each(f func(listItem)) {
	for i := 0; i < l.n; i++ {
		f(l.items[(l.head+i)%len(l.items)])
	}
}
