package upstream

import (
	"cmp"
	"errors"
	"hash/crc32"
	"maps"
	"math"
	"slices"
	"sync"
)

// PointsPerWeight is how many points of the hash ring each unit of weight gives a server, in
// CHash as in lua-resty-balancer's resty.chash (and nginx's "hash ... consistent").
const PointsPerWeight = 160

// ErrInvalidWeight is returned for a negative weight, or one whose points do not fit the ring.
var ErrInvalidWeight = errors.New("invalid weight")

// weighted is one server of a balancer and its weight, in the order the balancer takes them.
type weighted struct {
	id     string
	weight int
}

// sortedNodes returns the servers of nodes ordered by id, the order in which NewCHash and
// NewRoundRobin number them.
func sortedNodes(nodes map[string]int) []weighted {
	list := make([]weighted, 0, len(nodes))
	for id, w := range nodes {
		list = append(list, weighted{id, w})
	}
	slices.SortFunc(list, func(a, b weighted) int { return cmp.Compare(a.id, b.id) })
	return list
}

// chashPoint is one point of the ring: its hash and the 1-based number of its server.
type chashPoint struct {
	hash uint32
	id   uint32
}

// CHash is lua-resty-balancer's consistent hash (resty.chash): each server gets
// PointsPerWeight points per unit of weight on a ring of 32-bit hashes, and a key goes to the
// server of the first point at or after the CRC32 of the key, wrapping around. The points of a
// server are the CRC32 chain nginx's consistent hash uses (each point the CRC32 of the
// server's id continued with the previous point, little endian), so with ids made as
// host + "\x00" + port, Find agrees with nginx's "hash $key consistent" as it does in the
// original. Changing a weight moves only the keys of the points added or removed.
//
// A CHash is safe for concurrent use.
type CHash struct {
	mu      sync.Mutex
	weights map[string]int
	number  map[string]uint32 // a server's 1-based number, the id of its points
	ids     []string          // ids[n-1] is the server numbered n (a deleted one's slot stays)
	points  []chashPoint      // sorted by hash
	size    int               // the largest number of points so far since New or Reinit
}

// NewCHash returns a consistent hash of nodes, server id to weight. Servers of weight 0 are
// members that no key maps to. It fails with ErrInvalidWeight for a negative weight.
func NewCHash(nodes map[string]int) (*CHash, error) {
	c := &CHash{}
	if err := c.init(sortedNodes(nodes)); err != nil {
		return nil, err
	}
	return c, nil
}

// Reinit replaces all the servers with nodes, as NewCHash makes them. On error c is unchanged.
func (c *CHash) Reinit(nodes map[string]int) error {
	return c.init(sortedNodes(nodes))
}

// init sets c to the servers of list, numbered in list's order.
func (c *CHash) init(list []weighted) error {
	total := 0
	for _, n := range list {
		if n.weight < 0 || n.weight > math.MaxUint32/PointsPerWeight {
			return ErrInvalidWeight
		}
		total += n.weight * PointsPerWeight
		if total > math.MaxUint32 {
			return ErrInvalidWeight
		}
	}
	weights := make(map[string]int, len(list))
	number := make(map[string]uint32, len(list))
	ids := make([]string, 0, len(list))
	points := make([]chashPoint, 0, total)
	for _, n := range list {
		ids = append(ids, n.id)
		weights[n.id] = n.weight
		number[n.id] = uint32(len(ids))
		points = appendPoints(points, n.id, 0, n.weight*PointsPerWeight, uint32(len(ids)))
	}
	// A stable sort: points of equal hash keep the order of their servers, as the original's
	// bucket insertion sort does.
	sortPoints(points)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.weights, c.number, c.ids, c.points, c.size = weights, number, ids, points, len(points)
	return nil
}

// appendPoints appends points from to from+num-1 of server id's chain, numbered n.
func appendPoints(points []chashPoint, id string, from, num int, n uint32) []chashPoint {
	base := crc32.ChecksumIEEE([]byte(id))
	var prev [4]byte
	for i := 0; i < from+num; i++ {
		h := crc32.Update(base, crc32.IEEETable, prev[:])
		if i >= from {
			points = append(points, chashPoint{hash: h, id: n})
		}
		prev = [4]byte{byte(h), byte(h >> 8), byte(h >> 16), byte(h >> 24)}
	}
	return points
}

// sortPoints sorts points by hash, keeping the order of equal ones.
func sortPoints(points []chashPoint) {
	slices.SortStableFunc(points, func(a, b chashPoint) int { return cmp.Compare(a.hash, b.hash) })
}

// Find returns the server for key and the index of its point on the ring (from 0, for Next).
// ok is false when no server has a point (no servers, or only servers of weight 0).
func (c *CHash) Find(key string) (id string, index int, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.points)
	if n == 0 {
		return "", 0, false
	}
	i := findPoint(c.points, crc32.ChecksumIEEE([]byte(key)))
	return c.ids[c.points[i].id-1], i, true
}

// findPoint returns the index of the first point whose hash is at least hash, or 0 when there
// is none. Like the original it starts from where hash would sit were the points evenly
// spread, computed in float64 as LuaJIT computes it, and walks from there.
func findPoint(points []chashPoint, hash uint32) int {
	n := len(points)
	step := 4294967296.0 / float64(n)
	i := min(int(math.Floor(float64(hash)/step)), n-1)
	if points[i].hash >= hash {
		for ; i > 0; i-- {
			if points[i-1].hash < hash {
				return i
			}
		}
		return 0
	}
	for i++; i < n; i++ {
		if hash <= points[i].hash {
			return i
		}
	}
	return 0
}

// Next returns the server of the point after index on the ring (wrapping around) and that
// point's index: the retry after the server Find chose. The server may be the same one. ok is
// false when the ring has no points.
func (c *CHash) Next(index int) (id string, next int, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.points)
	if n == 0 {
		return "", 0, false
	}
	next = (index%n + 1 + n) % n // Lua's floored (index + 1) % n, without overflow
	return c.ids[c.points[next].id-1], next, true
}

// Weight returns the weight of server id and whether it is a member.
func (c *CHash) Weight(id string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.weights[id]
	return w, ok
}

// Points returns the number of points on the ring: PointsPerWeight times the total weight.
func (c *CHash) Points() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.points)
}

// Size returns the capacity of the original's point array: the most points the ring has held
// since NewCHash or Reinit (the size field of a resty.chash object).
func (c *CHash) Size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// Delete removes server id and its points; a missing id is ignored.
func (c *CHash) Delete(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.delete(id)
}

func (c *CHash) delete(id string) {
	n, ok := c.number[id]
	if !ok {
		return
	}
	delete(c.weights, id)
	delete(c.number, id)
	c.points = slices.DeleteFunc(c.points, func(p chashPoint) bool { return p.id == n })
}

// Incr adds weight to server id, adding it with that weight if it is not a member (lua's
// default step is 1). Only the new points are added: keys elsewhere keep their server.
func (c *CHash) Incr(id string, weight int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.incr(id, weight)
}

func (c *CHash) incr(id string, weight int) error {
	if weight < 0 || weight > (math.MaxUint32-len(c.points))/PointsPerWeight {
		return ErrInvalidWeight
	}
	old, ok := c.weights[id]
	n := c.number[id]
	if !ok {
		c.ids = append(c.ids, id)
		n = uint32(len(c.ids))
		c.number[id] = n
	}
	c.weights[id] = old + weight
	added := appendPoints(nil, id, old*PointsPerWeight, weight*PointsPerWeight, n)
	sortPoints(added)
	// Merge, a new point going before an old one of equal hash, as the original's does.
	merged := make([]chashPoint, 0, len(c.points)+len(added))
	i, j := 0, 0
	for i < len(c.points) && j < len(added) {
		if added[j].hash <= c.points[i].hash {
			merged = append(merged, added[j])
			j++
		} else {
			merged = append(merged, c.points[i])
			i++
		}
	}
	merged = append(merged, c.points[i:]...)
	merged = append(merged, added[j:]...)
	c.points = merged
	c.size = max(c.size, len(merged))
	return nil
}

// Decr takes weight from server id (lua's default step is 1), removing only the points of
// the weight taken; a server left with no more weight than it loses is deleted. A missing id
// is ignored.
func (c *CHash) Decr(id string, weight int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.decr(id, weight)
}

func (c *CHash) decr(id string, weight int) error {
	if weight < 0 {
		return ErrInvalidWeight
	}
	old, ok := c.weights[id]
	if !ok {
		return nil
	}
	if old <= weight {
		c.delete(id)
		return nil
	}
	n := c.number[id]
	gone := appendPoints(nil, id, (old-weight)*PointsPerWeight, weight*PointsPerWeight, n)
	sortPoints(gone)
	// Walk both sorted lists, dropping the server's points that match the next one to go.
	j, k := 0, 0
	for _, p := range c.points {
		if j < len(gone) && p.hash == gone[j].hash && p.id == n {
			j++
			continue
		}
		c.points[k] = p
		k++
	}
	c.points = c.points[:k]
	c.weights[id] = old - weight
	return nil
}

// Set sets the weight of server id, by Incr or Decr of the difference (a missing id counts as
// weight 0, so Set(id, 0) of a missing id changes nothing, and of a member deletes it).
func (c *CHash) Set(id string, weight int) error {
	if weight < 0 {
		return ErrInvalidWeight
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.weights[id]
	switch {
	case old < weight:
		return c.incr(id, weight-old)
	case old > weight:
		return c.decr(id, old-weight)
	}
	return nil
}

// clone returns a copy of c that shares nothing with it.
func (c *CHash) clone() *CHash {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &CHash{
		weights: maps.Clone(c.weights),
		number:  maps.Clone(c.number),
		ids:     slices.Clone(c.ids),
		points:  slices.Clone(c.points),
		size:    c.size,
	}
}
