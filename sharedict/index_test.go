package sharedict

import (
	"hash/maphash"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runScript applies the same random calls to a dict and returns what they returned.
func runScript(d *Dict, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 2))
	var out []string
	for range 3000 {
		k := "k" + strconv.Itoa(r.IntN(300))
		var v Value
		var err error
		switch r.IntN(6) {
		case 0:
			_, err = d.SetAt(t0, k, Number(float64(r.IntN(9))), 0, 0)
		case 1:
			_, err = d.AddAt(t0, k, String("a"), 0, 0)
		case 2:
			err = d.DeleteAt(t0, k)
		case 3:
			var n float64
			n, _, err = d.IncrInitAt(t0, k, 1, 0, 0)
			v = Number(n)
		case 4:
			var n int
			n, err = d.RPushAt(t0, "l"+k, Number(1))
			v = Number(float64(n))
		default:
			v, _, err = d.GetAt(t0, k)
		}
		out = append(out, v.String()+" "+errString(err))
	}
	keys, _ := d.GetKeysAt(t0, 0)
	return append(out, keys...)
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

// TestHashCollisions gives every key the same hash: one key holds ristretto's slot, the others
// live in the overflow map, and the dict must behave exactly as with distinct hashes.
func TestHashCollisions(t *testing.T) {
	want := runScript(newTestDict(t, 1<<20), 1)
	d := newTestDict(t, 1<<20)
	d.testHash = func(string) uint64 { return 42 }
	assert.Equal(t, want, runScript(d, 1))
	assert.NotEmpty(t, d.shards[0].overflow)
	checkInvariants(t, d)
}

// TestPendingConfirm puts every key in one shard, so that inserts cross confirmBatch many times
// while others are deleted and re-added.
func TestPendingConfirm(t *testing.T) {
	want := runScript(newTestDict(t, 1<<20), 2)
	d := newTestDict(t, 1<<20)
	seed := maphash.MakeSeed()
	d.testHash = func(k string) uint64 { return maphash.String(seed, k) >> 8 }
	assert.Equal(t, want, runScript(d, 2))
	for i := range 3 * confirmBatch {
		_, err := d.SetAt(t0, "p"+strconv.Itoa(i), Number(1), 0, 0)
		require.NoError(t, err)
	}
	assert.Less(t, len(d.shards[0].pending), confirmBatch, "confirmed in batches")
	for i := range 3 * confirmBatch {
		v, _, err := d.GetAt(t0, "p"+strconv.Itoa(i))
		require.NoError(t, err)
		require.Equal(t, Number(1), v)
	}
	checkInvariants(t, d)
}
