package lua

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// within runs f on a goroutine and fails the test if it has not returned after d.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not finish within %v", what, d)
	}
}

func TestStatesOfOneVMShareItsGlobalsNotTheirEnvironments(t *testing.T) {
	e, p := newTestEngine(t, Config{Workers: 1, MaxStates: 2})
	states := acquireAll(t, e, 2)
	assert.Same(t, states[0].vm, states[1].vm)
	execIn(t, states[0], p, `_G.hits = 1 x = "mine" string.shout = string.upper`)
	out := execIn(t, states[1], p, `print(hits, x, ("a"):shout())`)
	assert.Equal(t, "1\tnil\tA\n", out, "_G and library tables are the VM's; plain globals are the Exec's")
}

func TestRegistryIsSharedByTheStatesOfAVM(t *testing.T) {
	setup := func(s *State) error {
		s.L.Register("reg_set", func(l *glua.State) int {
			l.SetField(glua.RegistryIndex, "test.value")
			return 0
		})
		s.L.Register("reg_get", func(l *glua.State) int {
			l.Field(glua.RegistryIndex, "test.value")
			return 1
		})
		return nil
	}
	e, p := newTestEngine(t, Config{Workers: 1, MaxStates: 2, Setup: setup})
	states := acquireAll(t, e, 2)
	execIn(t, states[0], p, `reg_set({name = "made by a request"})`)
	assert.Equal(t, "made by a request\n", execIn(t, states[1], p, `print(reg_get().name)`))
}

func TestWaitLetsTheOtherStatesOfTheVMRun(t *testing.T) {
	release := make(chan struct{})
	setup := func(s *State) error {
		s.L.Register("wait_for_signal", func(l *glua.State) int {
			Wait(l, func() { <-release })
			l.PushString("woke")
			return 1
		})
		s.L.Register("signal", func(l *glua.State) int {
			close(release)
			return 0
		})
		return nil
	}
	e, p := newTestEngine(t, Config{Workers: 1, MaxStates: 2, Setup: setup})
	states := acquireAll(t, e, 2)
	waiter := make(chan string)
	go func() {
		err := states[0].Exec(context.Background(), mustCompile(t, "a.lua", `print(wait_for_signal())`), 0)
		if err != nil {
			waiter <- err.Error()
			return
		}
		waiter <- "done"
	}()
	within(t, 5*time.Second, "the second state's Exec", func() {
		time.Sleep(10 * time.Millisecond) // let the first state reach its wait
		assert.NoError(t, states[1].Exec(context.Background(), mustCompile(t, "b.lua", `signal()`), 0))
	})
	assert.Equal(t, "done", <-waiter)
	assert.Equal(t, "woke\n", p.take())
}

func TestManyStatesWaitAtOnceOnOneVM(t *testing.T) {
	const n = 500
	var waiting, most atomic.Int32
	all := make(chan struct{})
	setup := func(s *State) error {
		s.L.Register("pause", func(l *glua.State) int {
			Wait(l, func() {
				now := waiting.Add(1)
				for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
				}
				if now == n {
					close(all)
				}
				select {
				case <-all:
				case <-time.After(5 * time.Second):
				}
				waiting.Add(-1)
			})
			return 0
		})
		return nil
	}
	e, _ := newTestEngine(t, Config{Workers: 1, MaxStates: n, Setup: setup})
	c := mustCompile(t, "t.lua", `local before = tostring(x) pause() return before`)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := e.Acquire(context.Background())
			if !assert.NoError(t, err) {
				return
			}
			defer e.Release(s)
			assert.NoError(t, s.Exec(context.Background(), c, 1))
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(n), most.Load(), "every state waited at the same time")
}

func TestWaitOutsideAnExecJustRuns(t *testing.T) {
	ran := false
	Wait(glua.NewState(), func() { ran = true })
	assert.True(t, ran)
}

func TestVMsAreMadeAsStatesAreNeeded(t *testing.T) {
	var setups atomic.Int32
	setup := func(*State) error { setups.Add(1); return nil }
	e, p := newTestEngine(t, Config{Workers: 2, MaxStates: 4, Setup: setup})
	runLua(t, e, p, "t.lua", `x = 1`)
	runLua(t, e, p, "t.lua", `x = 2`)
	assert.Equal(t, int32(1), setups.Load(), "one request at a time needs one VM")
	states := acquireAll(t, e, 4)
	assert.Equal(t, int32(2), setups.Load(), "never more than Workers")
	assert.NotSame(t, states[0].vm, states[1].vm, "the second request goes to a second VM")
	assert.Same(t, states[0].vm, states[2].vm, "then to the least busy")
	assert.Same(t, states[1].vm, states[3].vm)
}

func TestInternalErrorRetiresTheVM(t *testing.T) {
	setup := func(s *State) error {
		s.L.Register("mk", func(l *glua.State) int {
			l.PushGoFunction(func(l *glua.State) int {
				var m map[int]int
				m[1] = 1
				return 0
			})
			return 1
		})
		return nil
	}
	e, p := newTestEngine(t, Config{Workers: 1, MaxStates: 3, Setup: setup})
	first := acquireAll(t, e, 1)[0]
	execIn(t, first, p, `_G.mark = "old VM"`)
	broken, err := e.Acquire(context.Background())
	require.NoError(t, err)
	err = broken.Exec(context.Background(), mustCompile(t, "t.lua", `mk()()`), 0)
	require.ErrorIs(t, err, errInternal)
	old := broken.vm
	e.Release(broken)
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	defer e.Release(s)
	assert.NotSame(t, old, s.vm, "a new state goes to a new VM")
	assert.Equal(t, "nil\n", execIn(t, s, p, `print(mark)`))
	assert.Equal(t, "old VM\n", execIn(t, first, p, `print(mark)`), "states of the old VM keep running")
}

func TestCoroutineWorkersServeEachStateWithItsOwnDataAndDeadline(t *testing.T) {
	setup := func(s *State) error {
		s.L.Register("data", func(l *glua.State) int {
			l.PushString(Current(l).Data.(string))
			return 1
		})
		return nil
	}
	e, _ := newTestEngine(t, Config{Workers: 1, MaxStates: 1, Setup: setup, Timeout: 200 * time.Millisecond})
	c := mustCompile(t, "t.lua", `return coroutine.wrap(function() local d = data() if d == "spin" then while true do end end return d end)()`)
	for _, data := range []string{"first", "second", "spin"} {
		s, err := e.Acquire(context.Background())
		require.NoError(t, err)
		s.Data = data
		within(t, 5*time.Second, "Exec for "+data, func() { err = s.Exec(context.Background(), c, 1) })
		if data == "spin" {
			assert.True(t, errors.Is(err, ErrTimeout), "the worker checks this state's deadline: %v", err)
		} else if assert.NoError(t, err) {
			got, _ := s.L.ToString(-1)
			assert.Equal(t, data, got)
		}
		e.Release(s)
	}
}

func TestCloseWaitsForTheStatesInUse(t *testing.T) {
	e, err := NewEngine(Config{Workers: 1, MaxStates: 2, Print: func(string) {}})
	require.NoError(t, err)
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	require.NoError(t, s.Exec(context.Background(), mustCompile(t, "t.lua", `
co = coroutine.wrap(function() coroutine.yield() end) co()`), 0))
	e.Close()
	assert.False(t, s.vm.closed, "the VM stays open while a state runs on it")
	require.NoError(t, s.Exec(context.Background(), mustCompile(t, "t.lua", `return 1`), 0))
	e.Release(s)
	assert.True(t, s.vm.closed, "and closes with its last state (goleak checks its goroutines)")
}

func TestStatesComeAndGoWhileAVMIsBuilt(t *testing.T) {
	var setups atomic.Int32
	gate := make(chan struct{})
	setup := func(*State) error {
		if setups.Add(1) > 1 {
			<-gate
		}
		return nil
	}
	e, _ := newTestEngine(t, Config{Workers: 2, MaxStates: 4, Setup: setup})
	a, err := e.Acquire(context.Background())
	require.NoError(t, err)
	got := make(chan *State)
	go func() {
		s, err := e.Acquire(context.Background()) // builds the second VM
		assert.NoError(t, err)
		got <- s
	}()
	for setups.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	within(t, 5*time.Second, "Release and Acquire during the build", func() {
		e.Release(a)
		c, err := e.Acquire(context.Background())
		assert.NoError(t, err)
		assert.Same(t, a.vm, c.vm, "the VM being built is not picked")
		e.Release(c)
	})
	close(gate)
	b := <-got
	assert.NotSame(t, a.vm, b.vm)
	e.Release(b)
}
