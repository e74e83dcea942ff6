package pattern

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// plainFind is lua5.2's search loop: a match attempt at every position.
func plainFind(m *Matcher) (start, end int, err error) {
	defer catch(&err)
	for s := 0; s <= len(m.src); s++ {
		if e := m.matchAt(s, 0); e >= 0 {
			return s, e, nil
		}
	}
	return -1, -1, nil
}

// TestScannerSkipsOnlyFailingPositions checks on generated patterns that a
// search which skips positions finds the same match, or raises the same
// error, as one that tries every position.
func TestScannerSkipsOnlyFailingPositions(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 20000 {
		subject, pattern := randomCase(r)
		if pattern[0] == '^' {
			continue // anchored searches make one attempt and never skip
		}
		var m Matcher
		m.Reset(subject, pattern)
		wantStart, wantEnd, wantErr := plainFind(&m)
		start, end, err := m.Find(0)
		require.Equal(t, wantErr, err, "subject %q pattern %q", subject, pattern)
		require.Equal(t, []int{wantStart, wantEnd}, []int{start, end}, "subject %q pattern %q", subject, pattern)
	}
}
