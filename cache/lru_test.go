package cache

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// keys lists c's keys, most recently used first.
func keys(c *lru) []any {
	var ks []any
	for n := c.cache.next; n != &c.cache; n = n.next {
		ks = append(ks, n.key)
	}
	return ks
}

func TestLRUEvictsLeastRecentlyUsed(t *testing.T) {
	c := newLRU(3)
	for _, k := range []string{"a", "b", "c"} {
		_, taken := c.put(k)
		assert.True(t, taken)
	}
	c.touch(c.keys["a"])
	b := c.keys["b"]
	n, taken := c.put("d") // evicts b, the least recently used
	assert.True(t, taken)
	assert.Same(t, b, n)
	assert.Equal(t, []any{"d", "a", "c"}, keys(c))
	assert.Nil(t, c.keys["b"])
	assert.Equal(t, 3, c.count)
	_, taken = c.put("c") // an update moves c to the front and evicts nothing
	assert.False(t, taken)
	assert.Equal(t, []any{"c", "d", "a"}, keys(c))
}

func TestLRUReusesNodesInTheOriginalsOrder(t *testing.T) {
	c := newLRU(3)
	put := func(k string) *node { n, _ := c.put(k); return n }
	a, b := put("a"), put("b")
	a.expire, b.expire = 7, 8
	assert.Same(t, a, c.remove("a"))
	assert.Nil(t, c.remove("a"))
	// The third node was never used: it comes before a's, which went to the end of the free
	// queue.
	assert.Equal(t, 3, put("x").id)
	assert.Same(t, a, put("y"), "a's node, with its expiry")
	assert.Len(t, c.all, 3)

	c.flush()
	assert.Zero(t, c.count)
	assert.Empty(t, keys(c))
	assert.Empty(t, c.keys)
	// flush frees the nodes most recently used first: y (a's), x, b.
	assert.Equal(t, []int{1, 3, 2}, []int{put("p").id, put("q").id, put("r").id})
	assert.Len(t, c.all, 3)
}

func TestLRUSizeIsFloored(t *testing.T) {
	c := newLRU(2.5)
	for i := range 3 {
		c.put(float64(i))
	}
	assert.Equal(t, []any{2.0, 1.0}, keys(c))
	assert.Equal(t, 2.5, c.size)
}

func TestLRUClone(t *testing.T) {
	c := newLRU(4)
	for _, k := range []string{"a", "b", "c"} {
		n, _ := c.put(k)
		n.expire, n.flags = float64(len(k)), 3
	}
	c.remove("b")
	d := c.clone()
	assert.Equal(t, c.count, d.count)
	assert.Empty(t, d.keys, "the caller reads the keys back")
	var order []int
	for n := d.cache.next; n != &d.cache; n = n.next {
		order = append(order, n.id)
		assert.Equal(t, c.all[n.id-1].expire, n.expire)
		assert.Equal(t, uint32(3), n.flags)
	}
	assert.Equal(t, []int{3, 1}, order)
	assert.Same(t, d.all[1], d.free.next, "b's node is free in the copy too")
	assert.NotSame(t, c.all[0], d.all[0])
}

func TestToUint32(t *testing.T) {
	for f, want := range map[float64]uint32{0: 0, 1.9: 1, 7: 7, 1<<32 + 5: 5, 1 << 53: 0, 1e300: 0} {
		assert.Equal(t, want, toUint32(f), "%v", f)
	}
}
