package limit

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hammer runs n goroutines calling f until stop is closed; wait waits for them and returns how
// many calls returned true and how many there were.
func hammer(n int, stop <-chan struct{}, f func() bool) (wait func() (admitted, calls int64)) {
	var admitted, calls atomic.Int64
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if f() {
					admitted.Add(1)
				}
				calls.Add(1)
			}
		})
	}
	return func() (int64, int64) {
		wg.Wait()
		return admitted.Load(), calls.Load()
	}
}

// TestReqConcurrentExact: 1,000 goroutines against rate 100 burst 0 for one second of a clock
// that moves a millisecond at a time, each millisecond seen by at least 50 calls. A leaky bucket
// of 100 r/s without burst admits one request per 10 ms: 100 in the second, exactly, because
// each decision (get, compute, set, and reading the clock) is atomic.
func TestReqConcurrentExact(t *testing.T) {
	var ms atomic.Int64
	l, err := NewReq(newDict(t), 100, 0)
	require.NoError(t, err)
	l.SetClock(func() time.Time { return t0.Add(time.Duration(ms.Load()) * time.Millisecond) })

	var calls atomic.Int64
	stop := make(chan struct{})
	wait := hammer(1000, stop, func() bool {
		_, _, err := l.Incoming("k", true)
		calls.Add(1)
		return err == nil
	})
	for tick := range int64(1000) {
		ms.Store(tick)
		for target := calls.Load() + 50; calls.Load() < target; {
			runtime.Gosched()
		}
	}
	close(stop)
	admitted, n := wait()
	assert.Equal(t, int64(100), admitted, "admitted of %d calls", n)
}

// TestReqConcurrentRealClock is the same against the real clock: whatever the scheduling, no
// two admissions are closer than 10 ms, so a second admits at most 101.
func TestReqConcurrentRealClock(t *testing.T) {
	l, err := NewReq(newDict(t), 100, 0)
	require.NoError(t, err)
	stop := make(chan struct{})
	start := time.Now()
	wait := hammer(1000, stop, func() bool {
		_, _, err := l.Incoming("k", true)
		return err == nil
	})
	time.Sleep(time.Second)
	close(stop)
	admitted, calls := wait()
	elapsed := time.Since(start)
	assert.LessOrEqual(t, admitted, int64(elapsed/(10*time.Millisecond))+1, "over %v", elapsed)
	assert.GreaterOrEqual(t, admitted, int64(50), "%d calls", calls)
	t.Logf("admitted %d of %d calls in %v", admitted, calls, elapsed)
}

// TestConnConcurrentNeverExceeds: requests that count themselves in and out never run more than
// max + burst at once, and the count returns to zero.
func TestConnConcurrentNeverExceeds(t *testing.T) {
	d := newDict(t)
	c, err := NewConn(d, 3, 2, 0.001)
	require.NoError(t, err)
	var running, peak atomic.Int64
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			for range 50 {
				if _, _, err := c.Incoming("k", true); err != nil {
					continue
				}
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				runtime.Gosched()
				running.Add(-1)
				_, err := c.Leaving("k", NoLatency)
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int64(5))
	v, _, err := d.Get("k")
	require.NoError(t, err)
	n, _ := v.AsNumber()
	assert.Zero(t, n)
}

// TestCountConcurrentExact: 1,000 goroutines committing against a limit of 500 get 500 admissions.
func TestCountConcurrentExact(t *testing.T) {
	c, err := NewCount(newDict(t), 500, 60)
	require.NoError(t, err)
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for range 1000 {
		wg.Go(func() {
			if _, _, err := c.Incoming("k", true); err == nil {
				admitted.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(500), admitted.Load())
}
