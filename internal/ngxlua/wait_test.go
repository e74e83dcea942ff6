package ngxlua_test

import (
	"context"
	"sync"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	engine "github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/internal/ngxlua"
	"github.com/goresty/goresty/ngx"
)

// TestSleepGivesTheVMUp runs sleeps at once on one VM: each gives the VM up while it sleeps, so
// they overlap instead of taking turns (as in an nginx worker).
func TestSleepGivesTheVMUp(t *testing.T) {
	const n, nap = 20, 200 * time.Millisecond
	e, err := engine.NewEngine(engine.Config{Workers: 1, MaxStates: n, Setup: func(s *engine.State) error {
		ngxlua.Open(s.L, ngxlua.Options{})
		return nil
	}})
	require.NoError(t, err)
	defer e.Close()
	c, err := engine.Compile("timer.lua", `ngx.sleep(0.2) return ngx.now()`)
	require.NoError(t, err)
	start := time.Now()
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
			s.Data = ngx.PhaseTimer
			assert.NoError(t, s.Exec(context.Background(), c, 1))
			assert.Equal(t, glua.TypeNumber, s.L.TypeOf(-1))
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	assert.GreaterOrEqual(t, elapsed, nap)
	assert.Less(t, elapsed, n*nap/4, "%d sleeps of %v on one VM took %v: they did not overlap", n, nap, elapsed)
}
