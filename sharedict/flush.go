package sharedict

import "math"

// flushAll implements flush_all: every entry is marked expired (get_stale still sees them) and
// then, as nginx does, one forced expiry round frees up to three entries; the rest are freed
// later by the sweeps at the LRU end, by flush_expired, or by eviction.
func (d *Dict) flushAll() error {
	d.lockAll()
	defer d.unlockAll()
	if d.closed.Load() {
		return ErrClosed
	}
	for i := range d.shards {
		for _, it := range d.shards[i].lru {
			if e := it.e; !e.removed {
				e.lock()
				d.setExpires(e, 1)
				e.unlock()
			}
		}
	}
	c := clock{ms: math.MaxInt64, ok: true} // every entry now expires at 1 ms, long past
	d.evictRound(&c)
	return nil
}

// flushExpired implements flush_expired: it frees expired entries from the least recently used
// end, at most maxCount of them (<= 0: all), and returns how many it freed.
func (d *Dict) flushExpired(c clock, maxCount int) (int, error) {
	d.lockAll()
	defer d.unlockAll()
	if d.closed.Load() {
		return 0, ErrClosed
	}
	freed := 0
	d.walkOldest(func(s *shard, e *entry) bool {
		e.lock()
		if c.sweepable(e) {
			d.remove(s, e)
			freed++
		}
		e.unlock()
		return maxCount <= 0 || freed < maxCount
	})
	return freed, nil
}

// getKeys implements get_keys: the keys of live entries from the least recently used, at most
// maxCount of them (<= 0: all). It changes nothing.
func (d *Dict) getKeys(c clock, maxCount int) ([]string, error) {
	d.lockAll()
	defer d.unlockAll()
	if d.closed.Load() {
		return nil, ErrClosed
	}
	var keys []string
	d.walkOldest(func(_ *shard, e *entry) bool {
		if ex := e.expires.Load(); ex == 0 || ex > c.now() {
			keys = append(keys, e.key)
		}
		return maxCount <= 0 || len(keys) < maxCount
	})
	if keys == nil {
		keys = []string{}
	}
	return keys, nil
}
