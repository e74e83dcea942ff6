package sharedict

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const workers = 8

func opsPerWorker() int {
	if testing.Short() {
		return 10_000
	}
	return 100_000
}

func runWorkers(f func(w int)) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w)
		}()
	}
	wg.Wait()
}

func TestConcurrentIncrIsExact(t *testing.T) {
	d, err := New("incr", 1<<20)
	require.NoError(t, err)
	defer d.Close()
	keys := []string{"a", "b", "c", "d"}
	n := opsPerWorker()
	runWorkers(func(w int) {
		for i := range n {
			if _, _, err := d.IncrInit(keys[(i+w)%len(keys)], 1, 0, 0); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for _, k := range keys {
		v, _, err := d.Get(k)
		require.NoError(t, err)
		assert.Equal(t, Number(float64(workers*n/len(keys))), v, k)
	}
}

func TestConcurrentAddIsExact(t *testing.T) {
	d := newTestDict(t, 1<<20)
	const nkeys = 1000
	var added [nkeys]atomic.Int32
	n := opsPerWorker()
	runWorkers(func(w int) {
		for i := range n {
			k := (i*7 + w) % nkeys
			_, err := d.Add("k"+strconv.Itoa(k), Number(float64(w)), 0, 0)
			switch err {
			case nil:
				added[k].Add(1)
			case ErrExists:
			default:
				t.Error(err)
				return
			}
		}
	})
	for k := range added {
		assert.Equal(t, int32(1), added[k].Load(), "key %d added once", k)
	}
}

func TestConcurrentAddLock(t *testing.T) {
	d := newTestDict(t, 1<<20)
	var holders, doubles atomic.Int32
	var granted atomic.Int64
	n := opsPerWorker()
	runWorkers(func(int) {
		for range n {
			_, err := d.Add("lock", Bool(true), time.Minute, 0)
			if err == ErrExists {
				continue
			}
			if err != nil {
				t.Error(err)
				return
			}
			if holders.Add(1) != 1 {
				doubles.Add(1)
			}
			granted.Add(1)
			holders.Add(-1)
			if err := d.Delete("lock"); err != nil {
				t.Error(err)
				return
			}
		}
	})
	assert.Zero(t, doubles.Load(), "the lock was held twice at once")
	assert.Positive(t, granted.Load())
}

// TestConcurrentMixed runs every kind of call, with eviction in a small dict, and checks the
// dict's invariants afterwards (run it with -race).
func TestConcurrentMixed(t *testing.T) {
	d := newTestDict(t, 64<<10)
	n := opsPerWorker() / 10
	runWorkers(func(w int) {
		r := rand.New(rand.NewPCG(uint64(w), 1))
		for range n {
			mixedCall(d, r)
		}
	})
	checkInvariants(t, d)
}

func mixedCall(d *Dict, r *rand.Rand) {
	k := "k" + strconv.Itoa(r.IntN(200))
	ttl := time.Duration(r.IntN(3)) * time.Millisecond
	switch r.IntN(14) {
	case 0:
		d.Set(k, String(strings.Repeat("v", r.IntN(3000))), ttl, 0)
	case 1:
		d.SafeSet(k, Number(1), ttl, 0)
	case 2:
		d.Add(k, Bool(true), ttl, 0)
	case 3:
		d.Replace(k, String("r"), 0, 0)
	case 4:
		d.Delete(k)
	case 5:
		d.IncrInit(k, 1, 0, ttl)
	case 6:
		d.RPush("l"+k, Number(1))
	case 7:
		d.LPop("l" + k)
	case 8:
		d.Get(k)
	case 9:
		d.GetStale(k)
	case 10:
		d.Expire(k, ttl)
	case 11:
		d.FlushExpired(r.IntN(3))
	case 12:
		d.GetKeys(10)
	case 13:
		if r.IntN(50) == 0 {
			d.FlushAll()
		}
	}
}
