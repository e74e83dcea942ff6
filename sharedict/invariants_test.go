package sharedict

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkInvariants checks that a quiescent dict is consistent: every entry is indexed and in
// stamp order within its shard, the slab's per-page chunk counts and free pages match the
// entries' allocations, and ttlCount counts the entries with an expiry.
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
		var newer *entry
		for e := s.head; e != nil; newer, e = e, e.older {
			require.False(t, e.removed, "removed entry %q still linked", e.key)
			require.Same(t, newer, e.newer, "broken link at %q", e.key)
			if newer != nil {
				require.Less(t, e.stamp, newer.stamp, "stamps out of order at %q", e.key)
			}
			require.Same(t, e, s.find(d, e.key, e.h), "entry %q not indexed", e.key)
			require.Equal(t, uint64(i), e.h>>d.shift, "entry %q in the wrong shard", e.key)
			count(e.mem)
			if e.list != nil {
				require.Positive(t, e.list.n, "empty list %q", e.key)
				e.list.each(func(it listItem) { count(it.mem) })
			}
			if e.expires != 0 {
				ttls++
			}
		}
		require.Same(t, newer, s.tail, "shard %d tail", i)
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
