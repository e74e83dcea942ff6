package upstream

import (
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
)

// ErrEmptyNodes is returned when a RoundRobin would be left without servers (the original
// raises "empty nodes").
var ErrEmptyNodes = errors.New("empty nodes")

// RoundRobin is lua-resty-balancer's weighted round robin (resty.roundrobin). It is the
// classic interleaved weighted round robin of LVS, not nginx's smooth one: a current weight
// cw starts at the largest weight; Find walks the servers in order from the last one chosen
// and returns the next whose weight is at least cw; at the end of the list cw drops by the
// GCD of the weights (back to the largest weight once it would reach 0) and the walk restarts
// at the first server. Over a cycle every server is chosen weight/GCD times. As in the
// original, the walk starts after a server picked at random, so that balancers made at the same
// time (one per nginx worker) do not all start with the same server. With a single server
// Find always returns it.
//
// The order of the servers is NewRoundRobin's (by id), the order of the Lua table's pairs for
// resty.roundrobin, which in the original is LuaJIT's table order; servers added by Incr or
// Set go last.
//
// A RoundRobin is safe for concurrent use.
type RoundRobin struct {
	mu      sync.Mutex
	random  func(n int) int
	order   []string
	weights map[string]int
	last    int    // index in order of the last server chosen; -1: none (start at the first)
	only    string // the single server, when hasOnly
	hasOnly bool
	gcd     int
	max     int
	cw      int
}

// NewRoundRobin returns a round robin of nodes, server id to weight, ordered by id, starting
// after a server picked with math/rand/v2. It fails with ErrEmptyNodes for no nodes, and with
// ErrInvalidWeight for a negative weight.
func NewRoundRobin(nodes map[string]int) (*RoundRobin, error) {
	return NewRoundRobinRand(nodes, nil)
}

// NewRoundRobinRand is NewRoundRobin with the random start drawn from random, which returns a
// number from 1 to n as Lua's math.random(n) does (the original calls math.random(#nodes) in
// new and reinit; resty.roundrobin passes Lua's math.random, so math.randomseed makes it
// reproducible). The round robin then starts after the random(n)-th server. A nil random
// uses math/rand/v2.
func NewRoundRobinRand(nodes map[string]int, random func(n int) int) (*RoundRobin, error) {
	r := &RoundRobin{random: random}
	if err := r.init(sortedNodes(nodes), random); err != nil {
		return nil, err
	}
	return r, nil
}

// Reinit replaces all the servers with nodes, as NewRoundRobin makes them, with a new random
// start. On error r is unchanged.
func (r *RoundRobin) Reinit(nodes map[string]int) error {
	return r.init(sortedNodes(nodes), r.random)
}

// init sets r to the servers of list, in list's order, starting after the random(n)-th.
func (r *RoundRobin) init(list []weighted, random func(n int) int) error {
	if len(list) == 0 {
		return ErrEmptyNodes
	}
	weights := make(map[string]int, len(list))
	order := make([]string, 0, len(list))
	for _, n := range list {
		if n.weight < 0 {
			return ErrInvalidWeight
		}
		if _, dup := weights[n.id]; !dup {
			order = append(order, n.id)
		}
		weights[n.id] = n.weight
	}
	if random == nil {
		random = func(n int) int { return rand.IntN(n) + 1 }
	}
	start := random(len(order))
	if start < 1 || start > len(order) {
		start = 1
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.order, r.weights, r.last = order, weights, start-1
	r.stats()
	r.cw = r.max
	return nil
}

// stats recomputes the single server, the GCD and the largest weight; with no servers it
// reports ErrEmptyNodes and keeps the old ones, as the original does.
func (r *RoundRobin) stats() error {
	if len(r.order) == 0 {
		return ErrEmptyNodes
	}
	first := r.order[0]
	r.hasOnly, r.only = len(r.order) == 1, first
	r.gcd, r.max = r.weights[first], r.weights[first]
	for _, id := range r.order[1:] {
		w := r.weights[id]
		r.gcd = gcd(r.gcd, w)
		r.max = max(r.max, w)
	}
	return nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Find returns the next server. ok is false only when Delete or Decr has removed every server
// (where the original loops forever, or returns a deleted single server).
func (r *RoundRobin) Find() (id string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.order) == 0 {
		return "", false
	}
	if r.hasOnly {
		return r.only, true
	}
	cw := r.cw
	for i := r.last + 1; ; i++ {
		if i == len(r.order) {
			i = -1
			if cw -= r.gcd; cw <= 0 {
				cw = r.max
			}
			continue
		}
		if r.weights[r.order[i]] >= cw {
			r.cw, r.last = cw, i
			return r.order[i], true
		}
	}
}

// Next is Find: the original's next is its find.
func (r *RoundRobin) Next() (id string, ok bool) { return r.Find() }

// Weight returns the weight of server id and whether it is a member.
func (r *RoundRobin) Weight(id string) (int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w, ok := r.weights[id]
	return w, ok
}

// State returns the original's fields: the GCD of the weights, the largest weight, the
// current weight cw, and the last server chosen (ok false for none yet).
func (r *RoundRobin) State() (gcd, maxWeight, cw int, last string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last >= 0 {
		last, ok = r.order[r.last], true
	}
	return r.gcd, r.max, r.cw, last, ok
}

// Delete removes server id (a missing id changes nothing). Removing the last server chosen
// restarts the walk at the first server. Removing the only server leaves r empty and returns
// ErrEmptyNodes.
func (r *RoundRobin) Delete(id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.delete(id)
}

func (r *RoundRobin) delete(id string) error {
	if i := slices.Index(r.order, id); i >= 0 {
		r.order = slices.Delete(r.order, i, i+1)
		delete(r.weights, id)
		switch {
		case i == r.last:
			r.last = -1
		case i < r.last:
			r.last--
		}
	}
	if err := r.stats(); err != nil {
		return err
	}
	r.cw = min(r.cw, r.max)
	return nil
}

// Incr adds weight to server id, adding it last with that weight if it is not a member (lua's
// default step is 1).
func (r *RoundRobin) Incr(id string, weight int) error {
	if weight < 0 {
		return ErrInvalidWeight
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.incr(id, weight)
	return nil
}

func (r *RoundRobin) incr(id string, weight int) {
	if _, ok := r.weights[id]; !ok {
		r.order = append(r.order, id)
	}
	r.weights[id] += weight
	_ = r.stats() // never empty here
}

// Decr takes weight from server id (lua's default step is 1); a server left with no more
// weight than it loses is deleted, as by Delete. A missing id is ignored.
func (r *RoundRobin) Decr(id string, weight int) error {
	if weight < 0 {
		return ErrInvalidWeight
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.decr(id, weight)
}

func (r *RoundRobin) decr(id string, weight int) error {
	old, ok := r.weights[id]
	if !ok {
		return nil
	}
	if old <= weight {
		return r.delete(id)
	}
	r.weights[id] = old - weight
	_ = r.stats()
	r.cw = min(r.cw, r.max)
	return nil
}

// Set sets the weight of server id, by Incr or Decr of the difference (a missing id counts as
// weight 0).
func (r *RoundRobin) Set(id string, weight int) error {
	if weight < 0 {
		return ErrInvalidWeight
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.weights[id]
	switch {
	case old < weight:
		r.incr(id, weight-old)
	case old > weight:
		return r.decr(id, old-weight)
	}
	return nil
}

// clone returns a copy of r that shares nothing with it.
func (r *RoundRobin) clone() *RoundRobin {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := &RoundRobin{
		random: r.random, order: slices.Clone(r.order), weights: maps.Clone(r.weights),
		last: r.last, only: r.only, hasOnly: r.hasOnly, gcd: r.gcd, max: r.max, cw: r.cw,
	}
	return c
}
