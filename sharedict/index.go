package sharedict

import (
	"math"

	"github.com/dgraph-io/ristretto/v2"
)

// The entries of a Dict live in one ristretto cache keyed by the 64-bit hash of their key. The
// dict decides admission and eviction itself, so ristretto is configured never to evict (MaxCost
// is far above anything stored, each entry costs 1) and every access to a hash happens under the
// lock of the shard that owns it. Two properties of ristretto need care:
//
//   - Set of a new hash is applied asynchronously by ristretto's goroutine. A new entry is
//     therefore also kept in the shard's pending map, which lookups consult first, until a batched
//     Wait has let ristretto apply it and a Get has confirmed that ristretto holds that very entry.
//   - Del removes from ristretto's map at once, but a queued Set of the same hash may still land
//     (and be deleted again) later, so a lookup can see an entry the dict already removed; removed
//     entries are flagged and ignored.
//
// Two keys with the same hash (astronomically rare with 64-bit maphash) cannot share a ristretto
// slot; the second one lives in the shard's overflow map.

// A shard waits for ristretto to apply its pending entries when it has confirmBatch of them, or
// when lookups have found confirmAfter entries in the pending map rather than in ristretto.
const (
	confirmBatch = 128
	confirmAfter = 64
)

func newCache() (*ristretto.Cache[uint64, *entry], error) {
	return ristretto.NewCache(&ristretto.Config[uint64, *entry]{
		NumCounters:        1 << 12,
		MaxCost:            math.MaxInt64 / 2,
		BufferItems:        64,
		IgnoreInternalCost: true,
	})
}

// find returns the live entry for key, or nil. The shard's lock is held. Ristretto is asked
// first: an entry it returns that is not removed is the key's only live entry, since removed
// entries never come back.
func (s *shard) find(d *Dict, key string, h uint64) *entry {
	if e, ok := d.cache.Get(h); ok && !e.removed && e.key == key {
		return e
	}
	if len(s.pending) != 0 {
		if e := s.pending[h]; e != nil && e.key == key {
			s.misses++
			if s.misses >= confirmAfter {
				s.confirm(d)
			}
			return e
		}
	}
	if len(s.overflow) != 0 {
		return s.overflow[key]
	}
	return nil
}

// insert stores a new entry whose key is not in the dict. The shard's lock is held.
func (s *shard) insert(d *Dict, e *entry) {
	if p := s.pending[e.h]; p != nil || s.occupied(d, e.h) {
		if s.overflow == nil {
			s.overflow = make(map[string]*entry)
		}
		s.overflow[e.key] = e
		e.overflow = true
		return
	}
	if s.pending == nil {
		s.pending = make(map[uint64]*entry)
	}
	d.cache.Set(e.h, e, 1)
	s.pending[e.h] = e
	if len(s.pending) >= confirmBatch {
		s.confirm(d)
	}
}

// occupied reports whether ristretto holds a live entry (of another key) for hash h.
func (s *shard) occupied(d *Dict, h uint64) bool {
	e, ok := d.cache.Get(h)
	return ok && !e.removed
}

// drop removes an entry from the index. The shard's lock is held.
func (s *shard) drop(d *Dict, e *entry) {
	e.removed = true
	if e.overflow {
		delete(s.overflow, e.key)
		return
	}
	if s.pending[e.h] == e {
		delete(s.pending, e.h)
	}
	d.cache.Del(e.h)
}

// confirm waits until ristretto has applied every queued write, then moves the pending entries
// it holds out of the pending map and hands the others (dropped by a full buffer, or deleted by a
// Del queued before their Set) to ristretto again.
func (s *shard) confirm(d *Dict) {
	s.misses = 0
	d.cache.Wait()
	for h, e := range s.pending {
		if got, ok := d.cache.Get(h); ok && got == e {
			delete(s.pending, h)
			continue
		}
		d.cache.Set(h, e, 1)
	}
}
