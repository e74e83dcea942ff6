package sharedict

import "math"

// expireTail is what nginx does at the start of get, set, incr and the list operations: free the
// least recently used entry of the dict if it has expired, then the next one likewise (at most
// two). It runs before the operation takes its own shard lock, so it never holds two shard locks.
// While no entry has an expiry it costs one atomic load, and while none is due (see due.go) one
// more and a clock reading; otherwise it looks at the oldest entry (see oldest).
func (d *Dict) expireTail(c *clock) {
	if d.ttlCount.Load() == 0 || c.now() < d.due.Load() {
		return
	}
	for range 2 {
		t := d.oldest()
		if t == nil || !c.sweepable(t) {
			d.raiseDue()
			return
		}
		if !d.expireOldest(c, t) {
			return
		}
	}
}

// oldest returns the least recently used entry of the dict, or nil (rarely, when concurrent
// operations keep changing the shards' tops). Stamps only grow and every new entry takes the
// largest, so the smallest stamp in the dict never decreases: the oldest entry found last time is
// still the oldest while its stamp is unchanged (being used or removed changes it). Otherwise
// oldest scans what the shards publish: each shard's top and its stamp when published, a lower
// bound of the shard's stamps; the shard with the smallest is the oldest if its top was not used since
// (a lookup that uses a published top republishes it, see retop).
func (d *Dict) oldest() *entry {
	// The pair is stored and loaded without a lock; a torn pair only looks stale, as stamps are
	// unique: no entry ever takes a stamp another entry had.
	if e := d.oldestE.Load(); e != nil && e.stamp() == d.oldestSt.Load() {
		return e
	}
	if d.pubStale.Load() {
		d.pubStale.Store(false)
		for i := range d.shards {
			if s := &d.shards[i]; !s.pubValid.Load() {
				s.mu.Lock()
				s.publish() // it changed while no entry had an expiry
				s.mu.Unlock()
			}
		}
	}
	for range len(d.shards) + 2 {
		j, st := d.oldestShard()
		if j < 0 {
			return nil
		}
		s := &d.shards[j]
		if t := s.pubTop.Load(); t != nil && t.stamp() == st {
			d.oldestE.Store(t)
			d.oldestSt.Store(st)
			return t
		}
		s.mu.Lock()
		s.publish() // its top was used since it was published
		s.mu.Unlock()
	}
	return nil
}

// retop republishes the top of e's shard if e, just used by a lookup without the shard lock, was
// that top, so that oldest finds the dict's oldest entry without locking. It only matters while
// entries have an expiry and some may be due (else oldest republishes what it needs). No entry
// lock is held.
func (d *Dict) retop(c *clock, e *entry) {
	if d.ttlCount.Load() == 0 || (c.ok && c.ms < d.due.Load()) {
		return
	}
	s := &d.shards[e.h>>d.shift]
	if s.pubTop.Load() != e {
		return
	}
	s.mu.Lock()
	s.publish()
	s.mu.Unlock()
}

// expireOldest frees t, found by oldest, if it is still the least recently used entry and
// sweepable, and reports whether it did.
func (d *Dict) expireOldest(c *clock, t *entry) bool {
	s := &d.shards[t.h>>d.shift]
	s.mu.Lock()
	defer s.unlock(d)
	top, st := s.top()
	if d.closed.Load() || top != t {
		return false // a concurrent operation used or removed it
	}
	t.lock()
	defer t.unlock()
	if t.stamp() != st || !c.sweepable(t) {
		return false
	}
	d.remove(s, t)
	return true
}

// oldestShard returns the shard whose published top has the smallest stamp, and that stamp.
func (d *Dict) oldestShard() (int, uint64) {
	j, min := -1, uint64(math.MaxUint64)
	for i := range d.shards {
		if st := d.shards[i].pubStamp.Load(); st < min {
			j, min = i, st
		}
	}
	return j, min
}

// oldestLocked returns the least recently used entry of the dict, its shard and its stamp. All
// shards are locked.
func (d *Dict) oldestLocked() (*shard, *entry, uint64) {
	var s *shard
	var e *entry
	var min uint64
	for i := range d.shards {
		if t, st := d.shards[i].top(); t != nil && (e == nil || st < min) {
			s, e, min = &d.shards[i], t, st
		}
	}
	return s, e, min
}

// evictRound is nginx's forced expiry (ngx_http_lua_shdict_expire with n = 0): it frees the least
// recently used entry whatever its expiry, then up to two more if they have expired. It returns
// how many entries it freed. All shards are locked.
func (d *Dict) evictRound(c *clock) int {
	freed := 0
	for freed < 3 {
		s, e, st := d.oldestLocked()
		if e == nil {
			break
		}
		e.lock()
		if e.stamp() != st {
			e.unlock() // used since oldestLocked looked: look again
			continue
		}
		if freed > 0 && !c.sweepable(e) {
			e.unlock()
			break
		}
		d.remove(s, e)
		e.unlock()
		freed++
	}
	return freed
}

// maxEvictRounds is how many forced expiries a store tries before it reports "no memory".
const maxEvictRounds = 30

// allocMode says what an allocation may do when memory is short.
type allocMode uint8

const (
	// allocTry fails with retry = true, changing nothing, when eviction might be needed; the
	// caller then retries with every shard locked and allocEvict.
	allocTry allocMode = iota
	// allocSafe never evicts (safe_set, safe_add, the list pushes).
	allocSafe
	// allocEvict evicts least recently used entries; every shard is locked.
	allocEvict
)

// reserve frees old's memory (old may be nil) and allocates size bytes, as OpenResty does when it
// replaces a node of another size. With allocTry it first checks that this cannot fail, so a
// retry finds the dict unchanged; with allocEvict, old must already be detached so it is not
// chosen for eviction.
func (d *Dict) reserve(c *clock, old *entry, size int, mode allocMode) (mem chunk, forcible, retry bool, err error) {
	d.slabMu.Lock()
	if mode == allocTry && !d.slab.canAlloc(size) && !d.fitsAfterFree(old, size) {
		d.slabMu.Unlock()
		return chunk{}, false, true, nil
	}
	if old != nil {
		d.freeMem(old)
	}
	mem, ok := d.slab.alloc(size)
	d.slabMu.Unlock()
	if ok || mode != allocEvict {
		if !ok {
			err = ErrNoMemory
		}
		return mem, false, false, err
	}
	for range maxEvictRounds {
		if d.evictRound(c) == 0 {
			break
		}
		forcible = true
		d.slabMu.Lock()
		mem, ok = d.slab.alloc(size)
		d.slabMu.Unlock()
		if ok {
			return mem, true, false, nil
		}
	}
	return chunk{}, forcible, false, ErrNoMemory
}

// fitsAfterFree reports whether freeing old's node (not a list) certainly makes room for size
// bytes: the same chunk size, or a page that becomes free, or a run of pages at least as long.
// slabMu is held.
func (d *Dict) fitsAfterFree(old *entry, size int) bool {
	if old == nil || old.list != nil {
		return false
	}
	m := old.mem
	if m.slot < 0 {
		return pagesFor(max(size, 1)) <= d.slab.pages[m.page].run
	}
	if size <= slabMaxSize {
		if slot, _ := slotOf(size); slot == int(m.slot) {
			return true
		}
	}
	return size <= pageSize && d.slab.pages[m.page].used == 1
}
