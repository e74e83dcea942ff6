package sharedict

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkInvariants checks that a quiescent dict is consistent: every entry is indexed and in its
// shard's LRU heap, keyed no higher than its stamp; the slab's per-page chunk counts and free
// pages match the entries' allocations; ttlCount counts the entries with an expiry, none of
// which expires before due; and the cached oldest entry, while still valid, is the oldest.
func checkInvariants(t *testing.T, d *Dict) {
	t.Helper()
	d.lockAll()
	defer d.unlockAll()
	used := map[int32]uint16{}
	count := func(c chunk) {
		if c.slot >= 0 {
			used[c.page]++
		}
	}
	for _, c := range d.reserved {
		count(c)
	}
	ttls := 0
	for i := range d.shards {
		s := &d.shards[i]
		dead := 0
		for j, it := range s.lru {
			if j > 0 {
				require.LessOrEqual(t, s.lru[(j-1)/2].key, it.key, "heap order at %q", it.e.key)
			}
			e := it.e
			if e.removed {
				dead++
				continue
			}
			require.LessOrEqual(t, it.key, e.stamp(), "%q placed after its last use", e.key)
			require.Same(t, e, s.find(d, e.key, e.h), "entry %q not indexed", e.key)
			require.Equal(t, uint64(i), e.h>>d.shift, "entry %q in the wrong shard", e.key)
			count(e.mem)
			if e.list != nil {
				require.Positive(t, e.list.n, "empty list %q", e.key)
				e.list.each(func(it listItem) { count(it.mem) })
			}
			if ex := e.expires.Load(); ex != 0 {
				ttls++
				require.LessOrEqual(t, d.due.Load(), ex, "%q expires before due", e.key)
			}
		}
		require.Equal(t, dead, s.dead, "removed entries in shard %d's heap", i)
	}
	if o := d.oldestE.Load(); o != nil && o.stamp() == d.oldestSt.Load() {
		_, e, _ := d.oldestLocked()
		require.Same(t, e, o, "the cached oldest entry %q is not the oldest", o.key)
	}
	free := 0
	for p := range d.slab.pages {
		pg := &d.slab.pages[p]
		switch pg.state {
		case pageChunks:
			assert.Equal(t, pg.used, used[int32(p)], "chunks used in page %d", p)
			assert.Equal(t, pg.used < pg.cap, pg.listed, "page %d listed for its slot", p)
		case pageFree:
			free++
		}
	}
	assert.Equal(t, d.slab.pfree, free, "free pages")
	assert.Equal(t, int64(ttls), d.ttlCount.Load(), "entries with an expiry")
}
