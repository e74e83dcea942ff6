package upstream

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixed returns a random source that always picks k, as math.random(n) would return k.
func fixed(k int) func(int) int { return func(int) int { return k } }

// finds returns the next n choices of r, joined by spaces.
func finds(t *testing.T, r *RoundRobin, n int) string {
	t.Helper()
	var ids []string
	for range n {
		id, ok := r.Find()
		require.True(t, ok)
		ids = append(ids, id)
	}
	return strings.Join(ids, " ")
}

func TestRoundRobinNew(t *testing.T) {
	for _, c := range []struct {
		name  string
		nodes map[string]int
		start int
		want  string
		gcd   int
		max   int
	}{
		{"weighted, after the first", map[string]int{"a": 4, "b": 2, "c": 1}, 1, "a a b a b c a a a b a b c", 1, 4},
		{"weighted, after the last", map[string]int{"a": 4, "b": 2, "c": 1}, 3, "a a b a b c a a a b a b c", 1, 4},
		{"equal weights start after the pick", map[string]int{"a": 1, "b": 1, "c": 1, "d": 1}, 2, "c d a b c", 1, 1},
		{"gcd steps", map[string]int{"a": 8, "b": 4, "c": 2}, 3, "a a b a b c a", 2, 8},
		{"weight 0 is never chosen", map[string]int{"a": 0, "b": 1, "c": 0}, 1, "b b b", 1, 1},
		{"all weights 0 go round", map[string]int{"a": 0, "b": 0}, 1, "b a b", 0, 0},
		{"single server", map[string]int{"only": 3}, 1, "only only", 3, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewRoundRobinRand(c.nodes, fixed(c.start))
			require.NoError(t, err)
			gcd, maxWeight, _, _, _ := r.State()
			assert.Equal(t, c.gcd, gcd)
			assert.Equal(t, c.max, maxWeight)
			assert.Equal(t, c.want, finds(t, r, len(strings.Fields(c.want))))
		})
	}
	_, err := NewRoundRobin(nil)
	assert.ErrorIs(t, err, ErrEmptyNodes)
	_, err = NewRoundRobin(map[string]int{"a": -1})
	assert.ErrorIs(t, err, ErrInvalidWeight)
	r, err := NewRoundRobin(map[string]int{"a": 6, "b": 3, "c": 1})
	require.NoError(t, err)
	counts := map[string]int{}
	for range 1000 {
		id, _ := r.Next()
		counts[id]++
	}
	assert.Equal(t, map[string]int{"a": 600, "b": 300, "c": 100}, counts)
}

func TestRoundRobinChanges(t *testing.T) {
	newRR := func(t *testing.T) *RoundRobin {
		r, err := NewRoundRobinRand(map[string]int{"a": 2, "b": 2, "c": 1}, fixed(1))
		require.NoError(t, err)
		return r
	}
	for _, c := range []struct {
		name   string
		change func(r *RoundRobin) error
		want   string
		weight map[string]int // weights expected after the change; -1: not a member
	}{
		{"reinit", func(r *RoundRobin) error { return r.Reinit(map[string]int{"x": 1, "y": 1}) }, "y x y", map[string]int{"a": -1, "x": 1}},
		{"delete the last chosen restarts", func(r *RoundRobin) error { return r.Delete("b") }, "a a c", map[string]int{"b": -1}},
		{"delete before the last chosen", func(r *RoundRobin) error { return r.Delete("a") }, "b c b", map[string]int{"a": -1}},
		{"delete a missing id", func(r *RoundRobin) error { return r.Delete("zz") }, "a b c a", nil},
		{"incr a member", func(r *RoundRobin) error { return r.Incr("c", 2) }, "c a b c", map[string]int{"c": 3}},
		{"incr a new id goes last", func(r *RoundRobin) error { return r.Incr("d", 1) }, "a b c d a", map[string]int{"d": 1}},
		{"decr", func(r *RoundRobin) error { return r.Decr("a", 1) }, "a b c b", map[string]int{"a": 1}},
		{"decr to nothing deletes", func(r *RoundRobin) error { return r.Decr("c", 5) }, "a b a", map[string]int{"c": -1}},
		{"decr a missing id", func(r *RoundRobin) error { return r.Decr("zz", 1) }, "a b c a", nil},
		{"set up", func(r *RoundRobin) error { return r.Set("c", 2) }, "c a b c a", map[string]int{"c": 2}},
		{"set down", func(r *RoundRobin) error { return r.Set("a", 1) }, "a b c b", map[string]int{"a": 1}},
		{"set 0 deletes", func(r *RoundRobin) error { return r.Set("b", 0) }, "a a c", map[string]int{"b": -1}},
		{"set unchanged", func(r *RoundRobin) error { return r.Set("a", 2) }, "a b c a", map[string]int{"a": 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRR(t)
			// Starting after a with cw 2, the first choice is b.
			require.Equal(t, "b", finds(t, r, 1))
			require.NoError(t, c.change(r))
			assert.Equal(t, c.want, finds(t, r, len(strings.Fields(c.want))))
			for id, w := range c.weight {
				got, ok := r.Weight(id)
				if w < 0 {
					assert.False(t, ok, id)
				} else {
					assert.Equal(t, w, got, id)
				}
			}
		})
	}
	t.Run("deleting every server", func(t *testing.T) {
		r, err := NewRoundRobinRand(map[string]int{"a": 1}, fixed(1))
		require.NoError(t, err)
		assert.ErrorIs(t, r.Delete("a"), ErrEmptyNodes)
		_, ok := r.Find()
		assert.False(t, ok)
		assert.ErrorIs(t, r.Incr("a", -1), ErrInvalidWeight)
		assert.ErrorIs(t, r.Decr("a", -1), ErrInvalidWeight)
		assert.ErrorIs(t, r.Set("a", -1), ErrInvalidWeight)
		require.NoError(t, r.Incr("b", 1))
		assert.Equal(t, "b b", finds(t, r, 2))
	})
}
