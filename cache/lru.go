package cache

import "math"

// lru is the bookkeeping of one resty.lrucache object: lua-resty-lrucache's queues, whose
// observable details it keeps. It holds at most nodes keys, each on a node that is either in the
// cache queue (most recently used first) or in the free queue. A key keeps its node until it is
// deleted, evicted or flushed; a node keeps its expiry and flags when it moves to the free queue,
// so a set that fails on its ttl after taking a node leaves the node's old expiry, as in the
// original. Nodes are made on first use, in the order the original preallocates them, and
// numbered from 1 in that order: the Lua binding keeps each node's key and value in the
// object's table under the node's number, so that init_by_lua's copy copies them.
//
// An lru belongs to one Lua VM and is only used with that VM held, so it has no lock.
type lru struct {
	size  float64 // capacity(), as given to new
	nodes int     // how many nodes size makes: floor(size)
	count int
	all   []*node       // the nodes made so far; all[i] has id i+1
	keys  map[any]*node // key → node, for the nodes in the cache queue
	cache node          // sentinel of the cache queue: next is the most recently used
	free  node          // sentinel of the free queue: next is the node put takes first
}

// node is one entry. key is its key while it is in the cache queue.
type node struct {
	prev, next *node
	id         int
	key        any
	expire     float64 // in seconds as ngx.now; -1 never expires; 0 on a new node
	flags      uint32
}

// newLRU returns an empty store of size nodes (size >= 1).
func newLRU(size float64) *lru {
	c := &lru{size: size, keys: make(map[any]*node)}
	c.nodes = int(min(math.Floor(size), math.MaxInt))
	c.cache.prev, c.cache.next = &c.cache, &c.cache
	c.free.prev, c.free.next = &c.free, &c.free
	return c
}

// unlink takes n out of its queue.
func unlink(n *node) {
	n.prev.next = n.next
	n.next.prev = n.prev
}

// pushFront puts n first in the queue of sentinel h.
func pushFront(h, n *node) {
	n.prev, n.next = h, h.next
	h.next.prev = n
	h.next = n
}

// pushBack puts n last in the queue of sentinel h.
func pushBack(h, n *node) {
	n.prev, n.next = h.prev, h
	h.prev.next = n
	h.prev = n
}

// touch makes n, a node of the cache queue, the most recently used.
func (c *lru) touch(n *node) {
	unlink(n)
	pushFront(&c.cache, n)
}

// put makes key the most recently used, taking a node for it if it has none: the free queue's
// next, or the least recently used key's when every node is taken. It returns the node and
// whether key just took it.
func (c *lru) put(key any) (n *node, taken bool) {
	n = c.keys[key]
	if n == nil {
		taken = true
		switch {
		case c.count == c.nodes:
			n = c.cache.prev
			delete(c.keys, n.key)
		case len(c.all) < c.nodes: // the free queue's next node is one never used
			n = &node{id: len(c.all) + 1}
			c.all = append(c.all, n)
			pushBack(&c.free, n) // so that touch below finds it in a queue
			c.count++
		default:
			n = c.free.next
			c.count++
		}
		n.key = key
		c.keys[key] = n
	}
	c.touch(n)
	return n, taken
}

// remove deletes key and returns its node, or nil.
func (c *lru) remove(key any) *node {
	n := c.keys[key]
	if n == nil {
		return nil
	}
	delete(c.keys, key)
	n.key = nil
	unlink(n)
	pushBack(&c.free, n)
	c.count--
	return n
}

// flush removes every key; their nodes go to the end of the free queue, most recently used first.
func (c *lru) flush() {
	clear(c.keys)
	c.count = 0
	for n := c.cache.next; n != &c.cache; {
		next := n.next
		n.key = nil
		pushBack(&c.free, n)
		n = next
	}
	c.cache.prev, c.cache.next = &c.cache, &c.cache
}

// clone returns a copy of c with the same nodes in the same queues and no keys: the caller
// sets each cache-queue node's key and fills keys.
func (c *lru) clone() *lru {
	d := newLRU(c.size)
	d.count = c.count
	d.all = make([]*node, len(c.all))
	for i, n := range c.all {
		d.all[i] = &node{id: n.id, expire: n.expire, flags: n.flags}
	}
	for _, q := range [...]struct{ from, to *node }{{&c.cache, &d.cache}, {&c.free, &d.free}} {
		for n := q.from.next; n != q.from; n = n.next {
			pushBack(q.to, d.all[n.id-1])
		}
	}
	return d
}
