package sharedict

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lruModel is OpenResty's LRU queue in its simplest form: the order of the keys' last lookups.
type lruModel struct {
	clock int
	last  map[string]int
}

func (m *lruModel) touch(k string)  { m.clock++; m.last[k] = m.clock }
func (m *lruModel) remove(k string) { delete(m.last, k) }

func (m *lruModel) order() []string {
	keys := make([]string, 0, len(m.last))
	for k := range m.last {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return m.last[a] - m.last[b] })
	return keys
}

// lruStep makes one random call on d and mirrors its effect on the LRU order in m.
func lruStep(t *testing.T, d *Dict, m *lruModel, r *rand.Rand) {
	k := "k" + strconv.Itoa(r.IntN(3000))
	_, exists := m.last[k]
	switch r.IntN(7) {
	case 0, 1:
		mustSet(t, d, t0, k, Number(1), 0, 0)
		m.touch(k)
	case 2:
		_, _, err := d.GetAt(t0, k)
		require.NoError(t, err)
		if exists {
			m.touch(k)
		}
	case 3:
		_, _, err := d.IncrInitAt(t0, k, 1, 0, 0)
		require.NoError(t, err)
		m.touch(k)
	case 4:
		_, err := d.AddAt(t0, k, Number(2), 0, 0)
		require.True(t, err == nil || err == ErrExists, "%v", err)
		m.touch(k)
	case 5:
		require.NoError(t, d.DeleteAt(t0, k))
		m.remove(k)
	default:
		_, err := d.TTLAt(t0, k) // no effect on the order
		require.True(t, err == nil || err == ErrNotFound, "%v", err)
	}
}

// TestLRUOrderMatchesModel checks the lazy heaps against the plain LRU queue on a dict with
// thousands of keys per shard, where most heap roots have been used since they were placed.
func TestLRUOrderMatchesModel(t *testing.T) {
	d := newTestDict(t, 16<<20)
	m := &lruModel{last: map[string]int{}}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 20000 {
		lruStep(t, d, m, r)
		if i%2500 == 0 {
			require.Equal(t, m.order(), keysAt(t, d), "after %d calls", i+1)
		}
	}
	checkInvariants(t, d)
	for range 500 {
		want := m.order()[0]
		d.lockAll()
		_, e, _ := d.oldestLocked()
		d.unlockAll()
		require.NotNil(t, e)
		require.Equal(t, want, e.key, "oldest entry")
		require.NoError(t, d.DeleteAt(t0, want))
		m.remove(want)
		if r.IntN(4) == 0 {
			lruStep(t, d, m, r)
		}
	}
	assert.Equal(t, m.order(), keysAt(t, d))
	checkInvariants(t, d)
}

// TestCloseWhileBusy closes a dict while goroutines call it: each call before Close works, each
// one after returns ErrClosed, and none panics (ristretto's Get must not run into its Close).
func TestCloseWhileBusy(t *testing.T) {
	d, err := New("busy", 1<<20)
	require.NoError(t, err)
	for i := range 100 {
		_, err := d.Set("k"+strconv.Itoa(i), Number(1), 0, 0)
		require.NoError(t, err)
	}
	var started sync.WaitGroup
	var calls atomic.Int64
	errs := make(chan error, workers)
	started.Add(workers)
	for w := range workers {
		go func() {
			errs <- closeWorker(d, w, &started, &calls)
		}()
	}
	started.Wait()
	for calls.Load() < 10_000 {
		time.Sleep(time.Millisecond)
	}
	d.Close()
	for range workers {
		assert.NoError(t, <-errs)
	}
}

// closeWorker calls d until it sees ErrClosed, then checks that the next calls see it too.
func closeWorker(d *Dict, w int, started *sync.WaitGroup, calls *atomic.Int64) error {
	started.Done()
	r := rand.New(rand.NewPCG(uint64(w), 9))
	call := func() error {
		k := "k" + strconv.Itoa(r.IntN(100))
		switch r.IntN(3) {
		case 0:
			_, _, err := d.Get(k)
			return err
		case 1:
			_, err := d.Incr(k, 1)
			return err
		}
		_, err := d.Set(k, Number(2), 0, 0)
		return err
	}
	for {
		err := call()
		calls.Add(1)
		if err == ErrClosed {
			break
		}
		if err != nil {
			return err
		}
	}
	for range 100 {
		if err := call(); err != ErrClosed {
			return err
		}
	}
	return nil
}

// TestCloseWaitsForLookups: a lookup that entered ristretto before Close holds Close back until
// it leaves; one that enters after Close sees the dict closed.
func TestCloseWaitsForLookups(t *testing.T) {
	d, err := New("wait", 1<<20)
	require.NoError(t, err)
	r := d.enter()
	closed := make(chan struct{})
	go func() {
		d.Close()
		close(closed)
	}()
	for !d.closed.Load() {
		time.Sleep(time.Millisecond)
	}
	select {
	case <-closed:
		t.Fatal("Close returned while a lookup was inside ristretto")
	case <-time.After(20 * time.Millisecond):
	}
	r.n.Add(-1)
	<-closed
	assert.Nil(t, d.lookup("k", d.hash("k")), "a lookup after Close finds nothing")
}

// TestDueIsRaised: once the entries with early expiries are gone, due rises to the earliest
// expiry left, after as many accesses as there are entries, so later sweeps are skipped; and a
// sweep still frees an entry as soon as it is due.
func TestDueIsRaised(t *testing.T) {
	d := newTestDict(t, 1<<20)
	mustSet(t, d, t0, "early", Number(1), time.Second, 0)
	for i := range 100 {
		mustSet(t, d, t0, "k"+strconv.Itoa(i), Number(1), time.Hour, 0)
	}
	require.Equal(t, t0.Add(time.Second).UnixMilli(), d.due.Load())
	require.NoError(t, d.DeleteAt(t0, "early"))
	later := t0.Add(time.Minute)
	for i := range 200 {
		_, _, err := d.GetAt(later, "k"+strconv.Itoa(i%100))
		require.NoError(t, err)
	}
	assert.Equal(t, t0.Add(time.Hour).UnixMilli(), d.due.Load(), "due raised to the earliest expiry")
	checkInvariants(t, d)

	end := t0.Add(time.Hour)
	_, _, err := d.GetAt(end, "k99")
	require.NoError(t, err)
	keys, err := d.GetKeysAt(t0, 0)
	require.NoError(t, err)
	assert.Len(t, keys, 98, "the two least recently used entries, due, were freed")
}
