package sharedict

import "container/heap"

// The dict-wide LRU order is kept lazily, so that a lookup writes nothing but its entry. Every
// access stores a fresh stamp from the dict's counter in the entry (with its lock, see entry.go);
// stamps are unique and grow with time, so the least recently used entry is the one with the
// smallest stamp. Each shard keeps its entries in a binary min-heap of (key, entry) items, where
// the key is the stamp the entry had when the heap last placed it, never above its current stamp.
// To find the shard's least recently used entry, top looks at the heap's root: if its stamp is
// still its key, no entry has a smaller stamp (every other stamp is at least its key, which is at
// least the root's), so it is exact; otherwise the root was used since it was placed, so top
// re-keys it with its stamp, sifts it down and looks again. Each access thus costs at most one
// O(log n) re-placement, paid by the next eviction or expiry sweep that reaches it, and the order
// found is exactly the order of the accesses (two accesses that overlap in time are ordered by
// whichever took its stamp first, as OpenResty orders them by who took the zone's lock first).
//
// Keys live in the heap's array, so sifting reads no entry. Removed entries stay in the heap,
// marked removed, until they reach the root or the shard compacts its heap (when more than half
// of it is removed entries).

// removedStamp is the stamp of a removed entry.
const removedStamp = 1<<63 - 1

// lruItem is one entry in a shard's LRU heap.
type lruItem struct {
	key uint64
	e   *entry
}

// touch makes e the most recently used entry of the dict, when e's lock is released. e's lock is
// held.
func (d *Dict) touch(e *entry) { e.next = d.stamp.Add(1) }

// heapPush adds an entry that was just stamped. The shard's lock is held.
func (s *shard) heapPush(e *entry) {
	s.lru = append(s.lru, lruItem{key: e.stamp(), e: e})
	s.up(len(s.lru) - 1)
}

// heapRemove accounts for e, just marked removed, and compacts the heap when it is mostly
// removed entries. The shard's lock is held.
func (s *shard) heapRemove() {
	s.dead++
	if s.dead < 32 || 2*s.dead <= len(s.lru) {
		return
	}
	live := s.lru[:0]
	for _, it := range s.lru {
		if !it.e.removed {
			live = append(live, it)
		}
	}
	clear(s.lru[len(live):])
	s.lru, s.dead = live, 0
	for i := len(live)/2 - 1; i >= 0; i-- {
		s.down(i)
	}
}

// top returns the shard's least recently used entry and its stamp, or nil. The shard's lock is
// held.
func (s *shard) top() (*entry, uint64) {
	for len(s.lru) > 0 {
		root := &s.lru[0]
		if root.e.removed {
			last := len(s.lru) - 1
			s.lru[0] = s.lru[last]
			s.lru[last] = lruItem{}
			s.lru = s.lru[:last]
			s.dead--
			s.down(0)
			continue
		}
		st := root.e.stamp()
		if st == root.key {
			return root.e, st
		}
		root.key = st
		s.down(0)
	}
	return nil, 0
}

func (s *shard) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if s.lru[p].key <= s.lru[i].key {
			return
		}
		s.lru[i], s.lru[p] = s.lru[p], s.lru[i]
		i = p
	}
}

func (s *shard) down(i int) {
	n := len(s.lru)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if r := c + 1; r < n && s.lru[r].key < s.lru[c].key {
			c = r
		}
		if s.lru[i].key <= s.lru[c].key {
			return
		}
		s.lru[i], s.lru[c] = s.lru[c], s.lru[i]
		i = c
	}
}

// walkOldest calls f on every entry from the least recently used to the most recently used,
// until f returns false. f may remove the entry it is given. All shards are locked; entries used
// concurrently (lookups take no shard lock) are ordered by their stamps at the start of the walk.
func (d *Dict) walkOldest(f func(*shard, *entry) bool) {
	var w walkHeap
	for i := range d.shards {
		for _, it := range d.shards[i].lru {
			if !it.e.removed {
				w = append(w, walkItem{stamp: it.e.stamp(), e: it.e, s: &d.shards[i]})
			}
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
