package sharedict

import "container/heap"

// The dict-wide LRU order is kept lazily, so that a lookup writes nothing but its entry. Every
// access stores a fresh stamp from the dict's counter in the entry (under the entry's lock);
// stamps are unique and grow with time, so the least recently used entry is the one with the
// smallest stamp. Each shard keeps its entries in a binary min-heap keyed by placed, the stamp
// an entry had when the heap last placed it, which is never above its current stamp. To find the
// shard's least recently used entry, top looks at the heap's root: if its stamp is still its
// placed key, no entry has a smaller stamp (every other stamp is at least its placed key, which is
// at least the root's), so it is exact; otherwise the root was used since it was placed, so top
// re-keys it with its stamp, sifts it down and looks again. Each access thus costs at most one
// O(log n) re-placement, paid by the next eviction or expiry sweep that reaches it, and the order
// found is exactly the order of the accesses (two accesses that overlap in time are ordered by
// whichever took its stamp first, as OpenResty orders them by who took the zone's lock first).

// removedStamp is the stamp of a removed entry.
const removedStamp = ^uint64(0)

// touch makes e the most recently used entry of the dict. e's lock is held.
func (d *Dict) touch(e *entry) { e.stamp.Store(d.stamp.Add(1)) }

// heapPush adds an entry that was just stamped. The shard's lock is held.
func (s *shard) heapPush(e *entry) {
	e.placed = e.stamp.Load()
	e.hidx = int32(len(s.lru))
	s.lru = append(s.lru, e)
	s.up(int(e.hidx))
}

// heapRemove takes e out of the heap. The shard's lock is held.
func (s *shard) heapRemove(e *entry) {
	i, last := int(e.hidx), len(s.lru)-1
	if i != last {
		s.swap(i, last)
	}
	s.lru[last] = nil
	s.lru = s.lru[:last]
	e.hidx = -1
	if i != last && !s.down(i) {
		s.up(i)
	}
}

// top returns the shard's least recently used entry, or nil. The shard's lock is held.
func (s *shard) top() *entry {
	for len(s.lru) > 0 {
		t := s.lru[0]
		st := t.stamp.Load()
		if st == t.placed {
			return t
		}
		t.placed = st
		s.down(0)
	}
	return nil
}

func (s *shard) swap(i, j int) {
	s.lru[i], s.lru[j] = s.lru[j], s.lru[i]
	s.lru[i].hidx, s.lru[j].hidx = int32(i), int32(j)
}

func (s *shard) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if s.lru[p].placed <= s.lru[i].placed {
			return
		}
		s.swap(i, p)
		i = p
	}
}

// down sifts the entry at i down and reports whether it moved.
func (s *shard) down(i int) bool {
	start, n := i, len(s.lru)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && s.lru[r].placed < s.lru[c].placed {
			c = r
		}
		if s.lru[i].placed <= s.lru[c].placed {
			break
		}
		s.swap(i, c)
		i = c
	}
	return i > start
}

// walkOldest calls f on every entry from the least recently used to the most recently used,
// until f returns false. f may remove the entry it is given. All shards are locked; entries used
// concurrently (lookups take no shard lock) are ordered by their stamps at the start of the walk.
func (d *Dict) walkOldest(f func(*shard, *entry) bool) {
	var w walkHeap
	for i := range d.shards {
		for _, e := range d.shards[i].lru {
			w = append(w, walkItem{stamp: e.stamp.Load(), e: e, s: &d.shards[i]})
		}
	}
	heap.Init(&w)
	for w.Len() > 0 {
		it := heap.Pop(&w).(walkItem)
		if !f(it.s, it.e) {
			return
		}
	}
}

type walkItem struct {
	stamp uint64
	e     *entry
	s     *shard
}

// walkHeap orders a snapshot of every entry by stamp, for walkOldest.
type walkHeap []walkItem

func (w walkHeap) Len() int           { return len(w) }
func (w walkHeap) Less(i, j int) bool { return w[i].stamp < w[j].stamp }
func (w walkHeap) Swap(i, j int)      { w[i], w[j] = w[j], w[i] }
func (w *walkHeap) Push(x any)        { *w = append(*w, x.(walkItem)) }
func (w *walkHeap) Pop() any {
	old := *w
	it := old[len(old)-1]
	*w = old[:len(old)-1]
	return it
}
