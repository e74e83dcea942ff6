package upstream

import (
	"encoding/binary"
	"hash/crc32"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// findAll maps the keys "1" to "n" (Lua's tostring(i)) with c.
func findAll(t *testing.T, c *CHash, n int) []string {
	t.Helper()
	res := make([]string, n)
	for i := range n {
		id, _, ok := c.Find(strconv.Itoa(i + 1))
		require.True(t, ok)
		res[i] = id
	}
	return res
}

// TestCHashReference replays t/chash.t of lua-resty-balancer in Go: its expected outputs were
// produced by the original library.
func TestCHashReference(t *testing.T) {
	t.Run("TEST 1: find", func(t *testing.T) {
		c, err := NewCHash(map[string]int{"server1": 10, "server2": 2, "server3": 1})
		require.NoError(t, err)
		counts := map[string]int{}
		for _, id := range findAll(t, c, 100000) {
			counts[id]++
		}
		assert.Equal(t, map[string]int{"server1": 77075, "server2": 14743, "server3": 8182}, counts)
		assert.Equal(t, 2080, c.Points())
	})
	t.Run("TEST 3: next", func(t *testing.T) {
		c, err := NewCHash(map[string]int{"server1": 2, "server2": 2, "server3": 1})
		require.NoError(t, err)
		id, idx, ok := c.Find("foo")
		require.True(t, ok)
		assert.Equal(t, "server1", id)
		assert.Equal(t, 434, idx)
		for range 100 {
			id, idx, ok = c.Next(idx)
			require.True(t, ok)
		}
		assert.Equal(t, "server2", id)
		assert.Equal(t, 534, idx)
	})
	t.Run("TEST 4: up, decr", func(t *testing.T) {
		c, err := NewCHash(map[string]int{"server1": 7, "server2": 2, "server3": 1})
		require.NoError(t, err)
		const num = 100000
		res1 := findAll(t, c, num)
		require.NoError(t, c.Incr("server1", 1))
		res2 := findAll(t, c, num)
		same := 0
		for i := range num {
			if res1[i] == res2[i] {
				same++
			}
		}
		assert.Equal(t, 97606, same)
		assert.Equal(t, 2394, num-same)
		require.NoError(t, c.Decr("server3", 1))
		res3 := findAll(t, c, num)
		same = 0
		for i := range num {
			if res3[i] == res2[i] {
				same++
			}
		}
		assert.Equal(t, 90255, same)
		assert.Equal(t, 9745, num-same)
	})
}

// nginxPoint is the server nginx's "hash $key consistent" picks for key among servers
// host:port of the weights, computed as nginx does it (ngx_http_upstream_hash_module.c): each
// server's 160 points per weight are the CRC32 chain of host, a NUL and port, sorted, and a
// key takes the first point at or after its CRC32, wrapping to the first.
func nginxPoint(servers map[string]int, key string) string {
	type point struct {
		hash   uint32
		server string
	}
	var points []point
	for serv, w := range servers {
		id := strings.Replace(serv, ":", "\x00", 1)
		base := crc32.ChecksumIEEE([]byte(id))
		var prev [4]byte
		for range w * 160 {
			h := crc32.Update(base, crc32.IEEETable, prev[:])
			points = append(points, point{h, serv})
			binary.LittleEndian.PutUint32(prev[:], h)
		}
	}
	sort.Slice(points, func(i, j int) bool { return points[i].hash < points[j].hash })
	h := crc32.ChecksumIEEE([]byte(key))
	i := sort.Search(len(points), func(i int) bool { return points[i].hash >= h })
	return points[i%len(points)].server
}

// TestCHashNginx is t/chash.t's TEST 2 ("compare with nginx chash") without nginx: ids made as
// host NUL port find the server nginx's consistent hash finds, for 5000 keys.
func TestCHashNginx(t *testing.T) {
	servers := map[string]int{"127.0.0.1:1985": 2, "127.0.0.1:1986": 2, "127.0.0.1:1987": 1}
	nodes := map[string]int{}
	for serv, w := range servers {
		nodes[strings.Replace(serv, ":", "\x00", 1)] = w
	}
	c, err := NewCHash(nodes)
	require.NoError(t, err)
	for i := range 5000 {
		key := strconv.Itoa(i * 7919)
		id, _, ok := c.Find(key)
		require.True(t, ok)
		require.Equal(t, nginxPoint(servers, key), strings.Replace(id, "\x00", ":", 1), key)
	}
}

func TestCHashNew(t *testing.T) {
	for _, c := range []struct {
		name   string
		nodes  map[string]int
		points int
		err    error
	}{
		{"weights", map[string]int{"a": 3, "b": 1}, 640, nil},
		{"weight 0 has no points", map[string]int{"a": 0, "b": 1}, 160, nil},
		{"empty", nil, 0, nil},
		{"negative weight", map[string]int{"a": -1}, 0, ErrInvalidWeight},
		{"too heavy", map[string]int{"a": 1 << 30}, 0, ErrInvalidWeight},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, err := NewCHash(c.nodes)
			if c.err != nil {
				assert.ErrorIs(t, err, c.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.points, h.Points())
			assert.Equal(t, c.points, h.Size())
			for id, w := range c.nodes {
				got, ok := h.Weight(id)
				assert.True(t, ok)
				assert.Equal(t, w, got)
			}
		})
	}
}

func TestCHashFindNext(t *testing.T) {
	empty, err := NewCHash(map[string]int{"zero": 0})
	require.NoError(t, err)
	_, _, ok := empty.Find("foo")
	assert.False(t, ok, "no points")
	_, _, ok = empty.Next(3)
	assert.False(t, ok)

	c, err := NewCHash(map[string]int{"server1": 2, "server2": 2, "server3": 1})
	require.NoError(t, err)
	for _, k := range []string{"", "foo", "1", "a long key to hash"} {
		id, i, ok := c.Find(k)
		require.True(t, ok)
		assert.Equal(t, c.ids[c.points[i].id-1], id)
		h := crc32.ChecksumIEEE([]byte(k))
		// The first point at or after the hash, else the first point.
		j := sort.Search(len(c.points), func(j int) bool { return c.points[j].hash >= h })
		assert.Equal(t, j%len(c.points), i, k)
	}
	for _, tc := range []struct{ index, next int }{{0, 1}, {798, 799}, {799, 0}, {-1, 0}, {-2, 799}, {1600, 1}} {
		id, next, ok := c.Next(tc.index)
		require.True(t, ok)
		assert.Equal(t, tc.next, next, tc.index)
		assert.Equal(t, c.ids[c.points[next].id-1], id)
	}
}

// sameRing asserts that c maps keys as a ring built afresh from nodes does.
func sameRing(t *testing.T, c *CHash, nodes map[string]int) {
	t.Helper()
	fresh, err := NewCHash(nodes)
	require.NoError(t, err)
	require.Equal(t, fresh.Points(), c.Points())
	for i := range 3000 {
		a, ai, _ := c.Find(strconv.Itoa(i))
		b, bi, _ := fresh.Find(strconv.Itoa(i))
		require.Equal(t, b, a, i)
		require.Equal(t, bi, ai, i)
	}
	for id, w := range nodes {
		got, ok := c.Weight(id)
		require.True(t, ok, id)
		require.Equal(t, w, got, id)
	}
}

func TestCHashChanges(t *testing.T) {
	base := map[string]int{"a": 3, "b": 2, "c": 1}
	for _, tc := range []struct {
		name   string
		change func(c *CHash) error
		want   map[string]int
		size   int
	}{
		{"reinit", func(c *CHash) error { return c.Reinit(map[string]int{"x": 1}) }, map[string]int{"x": 1}, 160},
		{"delete", func(c *CHash) error { c.Delete("b"); return nil }, map[string]int{"a": 3, "c": 1}, 960},
		{"delete a missing id", func(c *CHash) error { c.Delete("zz"); return nil }, base, 960},
		{"incr", func(c *CHash) error { return c.Incr("c", 2) }, map[string]int{"a": 3, "b": 2, "c": 3}, 1280},
		{"incr a new id", func(c *CHash) error { return c.Incr("d", 1) }, map[string]int{"a": 3, "b": 2, "c": 1, "d": 1}, 1120},
		{"incr by 0 adds a member", func(c *CHash) error { return c.Incr("d", 0) }, map[string]int{"a": 3, "b": 2, "c": 1, "d": 0}, 960},
		{"decr", func(c *CHash) error { return c.Decr("a", 2) }, map[string]int{"a": 1, "b": 2, "c": 1}, 960},
		{"decr to nothing deletes", func(c *CHash) error { return c.Decr("b", 5) }, map[string]int{"a": 3, "c": 1}, 960},
		{"decr a missing id", func(c *CHash) error { return c.Decr("zz", 1) }, base, 960},
		{"set up", func(c *CHash) error { return c.Set("b", 4) }, map[string]int{"a": 3, "b": 4, "c": 1}, 1280},
		{"set down", func(c *CHash) error { return c.Set("a", 1) }, map[string]int{"a": 1, "b": 2, "c": 1}, 960},
		{"set 0 deletes", func(c *CHash) error { return c.Set("a", 0) }, map[string]int{"b": 2, "c": 1}, 960},
		{"set a new id", func(c *CHash) error { return c.Set("d", 2) }, map[string]int{"a": 3, "b": 2, "c": 1, "d": 2}, 1280},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewCHash(base)
			require.NoError(t, err)
			require.NoError(t, tc.change(c))
			sameRing(t, c, tc.want)
			assert.Equal(t, tc.size, c.Size())
			if len(tc.want) < 4 {
				for id := range map[string]int{"a": 0, "b": 0, "c": 0} {
					if _, keep := tc.want[id]; !keep {
						_, ok := c.Weight(id)
						assert.False(t, ok, id)
					}
				}
			}
		})
	}
	c, err := NewCHash(base)
	require.NoError(t, err)
	assert.ErrorIs(t, c.Incr("a", -1), ErrInvalidWeight)
	assert.ErrorIs(t, c.Decr("a", -1), ErrInvalidWeight)
	assert.ErrorIs(t, c.Set("a", -1), ErrInvalidWeight)
	assert.ErrorIs(t, c.Reinit(map[string]int{"a": -1}), ErrInvalidWeight)
	sameRing(t, c, base)
	// A deleted id comes back with a new number and the same points.
	c.Delete("a")
	require.NoError(t, c.Incr("a", 3))
	sameRing(t, c, base)
}
