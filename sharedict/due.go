package sharedict

import "math"

// expireTail can skip its work while no entry is due. due is a lower bound of the expiry of every
// entry that has one: setExpires lowers it (with a CAS, only when the new expiry is earlier), and
// raiseDue raises it to the true minimum once the entries it was set for are gone. Raising must not
// miss an expiry stored concurrently by a lookup that holds only the entry's lock, so it runs in two
// passes: the first computes the minimum m and swaps it in (giving up if due changed meanwhile);
// the second lowers due again for every expiry under m. An expiry stored too late for the first
// pass was stored before its writer read due; if that read saw the old bound, it came before the
// swap, so the second pass sees the expiry; if it saw m or lower, the writer lowered due itself.

// lowerDue makes due at most exp, a new expiry.
func (d *Dict) lowerDue(exp int64) {
	for {
		cur := d.due.Load()
		if exp >= cur || d.due.CompareAndSwap(cur, exp) {
			return
		}
	}
}

// raiseDue recomputes due when the sweep found nothing to free although due had passed. It scans
// every entry, so it runs at most once per as many dict accesses as there are entries, and never
// twice at once.
func (d *Dict) raiseDue() {
	if !d.raiseMu.TryLock() {
		return
	}
	defer d.raiseMu.Unlock()
	st := d.stamp.Load()
	if int64(st-d.raisedAt.Load()) < d.entries.Load() {
		return
	}
	d.raisedAt.Store(st)
	old := d.due.Load()
	m := int64(math.MaxInt64)
	d.eachExpiry(func(ex int64) { m = min(m, ex) })
	if m <= old || !d.due.CompareAndSwap(old, m) {
		return
	}
	d.eachExpiry(func(ex int64) {
		if ex < m {
			d.lowerDue(ex)
		}
	})
}

// eachExpiry calls f with the expiry of every entry that has one, locking one shard at a time.
func (d *Dict) eachExpiry(f func(int64)) {
	for i := range d.shards {
		s := &d.shards[i]
		s.mu.Lock()
		for _, it := range s.lru {
			if ex := it.e.expires.Load(); ex != 0 && !it.e.removed {
				f(ex)
			}
		}
		s.mu.Unlock()
	}
}
