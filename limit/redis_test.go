package limit

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/goresty/goresty/sharedict"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startRedis starts a redis-server on a free loopback port for the test and returns its address.
func startRedis(t testing.TB) string { return servertest.StartRedis(t) }

func newClient(t testing.TB, addr string) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// newRedisStore returns a store named name on a fresh client of addr, as another process would
// have.
func newRedisStore(t testing.TB, addr, name string) *RedisStore {
	return NewRedisStore(newClient(t, addr), name, 1<<20)
}

// TestRedisSameSequences plays every local sequence on Redis and expects the same results.
func TestRedisSameSequences(t *testing.T) {
	addr := startRedis(t)
	for i, tc := range reqSequences {
		t.Run("req/"+tc.name, func(t *testing.T) {
			local, err := NewReq(newDict(t), tc.rate, tc.burst)
			require.NoError(t, err)
			fleet, err := NewReq(newRedisStore(t, addr, "req"+strconv.Itoa(i)), tc.rate, tc.burst)
			require.NoError(t, err)
			assert.Equal(t, runReq(local, tc.steps), runReq(fleet, tc.steps))
		})
	}
	for i, tc := range connSequences {
		t.Run("conn/"+tc.name, func(t *testing.T) {
			local, err := NewConn(newDict(t), tc.max, tc.burst, tc.unitDelay)
			require.NoError(t, err)
			fleet, err := NewConn(newRedisStore(t, addr, "conn"+strconv.Itoa(i)), tc.max, tc.burst, tc.unitDelay)
			require.NoError(t, err)
			assert.Equal(t, runConn(t, local, tc.steps), runConn(t, fleet, tc.steps))
		})
	}
	for i, tc := range countSequences {
		t.Run("count/"+tc.name, func(t *testing.T) {
			for _, s := range tc.steps {
				if s.ms != 0 {
					t.Skip("Redis expires windows by its own clock")
				}
			}
			local, err := NewCount(newDict(t), tc.limit, tc.window)
			require.NoError(t, err)
			fleet, err := NewCount(newRedisStore(t, addr, "count"+strconv.Itoa(i)), tc.limit, tc.window)
			require.NoError(t, err)
			assert.Equal(t, runCount(local, tc.steps), runCount(fleet, tc.steps))
		})
	}
}

// TestRedisStateIsADict: the records and counters are a RedisDict's values, the same bytes as in
// a local Dict.
func TestRedisStateIsADict(t *testing.T) {
	addr := startRedis(t)
	store := newRedisStore(t, addr, "shared")
	local := newDict(t)
	for _, s := range []sharedict.Store{store, local} {
		req, err := NewReq(s, 2, 10)
		require.NoError(t, err)
		for range 3 {
			_, _, err = req.IncomingAt(t0, "r", true)
			require.NoError(t, err)
		}
		conn, err := NewConn(s, 2, 2, 1)
		require.NoError(t, err)
		_, _, err = conn.Incoming("c", true)
		require.NoError(t, err)
		count, err := NewCount(s, 10, 60)
		require.NoError(t, err)
		_, _, err = count.Incoming("n", true)
		require.NoError(t, err)
	}
	dict := sharedict.NewRedis(newClient(t, addr), "shared", 1<<20)
	for _, key := range []string{"r", "c", "n"} {
		want, _, err := local.Get(key)
		require.NoError(t, err)
		got, _, err := dict.Get(key)
		require.NoError(t, err)
		assert.Equal(t, want, got, key)
	}
	ttl, err := dict.TTL("n")
	require.NoError(t, err)
	assert.InDelta(t, 60*time.Second, ttl, float64(2*time.Second))
}

func TestRedisServerTime(t *testing.T) {
	addr := startRedis(t)
	l, err := NewReq(newRedisStore(t, addr, "time"), 2, 10)
	require.NoError(t, err)
	_, _, err = l.Incoming("k", true)
	require.NoError(t, err)
	_, excess, err := l.Incoming("k", true)
	require.NoError(t, err)
	// One more request, drained by the few milliseconds between the calls.
	assert.LessOrEqual(t, excess, 1.0)
	assert.Greater(t, excess, 0.9)
	// A record written by the server's clock drains by it: far in the past, a given time sees
	// elapsed time as absolute and drains it all.
	_, excess, err = l.IncomingAt(time.Unix(0, 0), "k", false)
	require.NoError(t, err)
	assert.Zero(t, excess)
}

func TestRedisErrors(t *testing.T) {
	addr := startRedis(t)
	store := newRedisStore(t, addr, "err")
	_, err := store.Set("abused", sharedict.Number(1), 0, 0)
	require.NoError(t, err)
	_, err = store.Set("text", sharedict.String("x"), 0, 0)
	require.NoError(t, err)
	req, err := NewReq(store, 1, 1)
	require.NoError(t, err)
	conn, err := NewConn(store, 1, 1, 1)
	require.NoError(t, err)
	count, err := NewCount(store, 1, 1)
	require.NoError(t, err)

	_, _, err = req.Incoming("abused", true)
	assert.ErrorIs(t, err, ErrAbused)
	assert.ErrorIs(t, req.Uncommit("abused"), ErrAbused)
	assert.ErrorIs(t, req.Uncommit("missing"), sharedict.ErrNotFound)
	_, _, err = conn.Incoming("text", true)
	assert.ErrorIs(t, err, sharedict.ErrNotNumber)
	_, err = conn.Leaving("missing", NoLatency)
	assert.ErrorIs(t, err, sharedict.ErrNotFound)
	_, _, err = count.Incoming("text", true)
	assert.ErrorIs(t, err, sharedict.ErrNotNumber)
	_, _, err = conn.Incoming("", true)
	assert.ErrorIs(t, err, sharedict.ErrEmptyKey)
	delay, excess, err := req.Incoming("", true)
	require.NoError(t, err, "an empty key passes, as on a Dict")
	assert.Zero(t, delay+excess)
}

func TestRedisNoScriptFallsBackToEval(t *testing.T) {
	addr := startRedis(t)
	client := newClient(t, addr)
	l, err := NewReq(NewRedisStore(client, "flush", 0), 2, 10)
	require.NoError(t, err)
	_, _, err = l.IncomingAt(t0, "k", true)
	require.NoError(t, err)
	require.NoError(t, client.ScriptFlush(context.Background()).Err())
	delay, _, err := l.IncomingAt(t0, "k", true)
	require.NoError(t, err)
	assert.Equal(t, 0.5, delay)
}

func TestRedisUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	client := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	t.Cleanup(func() { _ = client.Close() })
	req, err := NewReq(NewRedisStore(client, "down", 0), 1, 1)
	require.NoError(t, err)
	_, _, err = req.Incoming("k", true)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrRejected)
	assert.Contains(t, err.Error(), `limit: redis req "k": `)
}

func TestRedisWithContext(t *testing.T) {
	addr := startRedis(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	store := newRedisStore(t, addr, "ctx").WithContext(ctx)
	l, err := NewReq(store, 1, 1)
	require.NoError(t, err)
	_, _, err = l.Incoming("k", true)
	assert.ErrorIs(t, err, context.Canceled)
	_, _, err = store.Get("k")
	assert.ErrorIs(t, err, context.Canceled, "the dict's calls use the context too")
}

// TestRedisConcurrentTwoProcesses: two stores (two clients, as two processes) share one limit of
// rate 100 burst 0 for a second of the server's clock.
func TestRedisConcurrentTwoProcesses(t *testing.T) {
	addr := startRedis(t)
	var limiters [2]*Req
	for i := range limiters {
		var err error
		limiters[i], err = NewReq(newRedisStore(t, addr, "fleet"), 100, 0)
		require.NoError(t, err)
	}
	var admitted atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for g := range 40 {
		wg.Go(func() {
			for time.Since(start) < time.Second {
				if _, _, err := limiters[g%2].Incoming("k", true); err == nil {
					admitted.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	assert.LessOrEqual(t, admitted.Load(), int64(elapsed/(10*time.Millisecond))+1)
	assert.GreaterOrEqual(t, admitted.Load(), int64(50))
}

func TestRedisCountWindowExpires(t *testing.T) {
	addr := startRedis(t)
	c, err := NewCount(newRedisStore(t, addr, "window"), 1, 0.2)
	require.NoError(t, err)
	var got []outcome
	for _, pause := range []time.Duration{0, 0, 250 * time.Millisecond, 0} {
		time.Sleep(pause)
		got = append(got, result(c.Incoming("k", true)))
	}
	assert.Equal(t, []outcome{ok(0, 0), rejected, ok(0, 0), rejected}, got)
}

// TestRedisTwoHandlersShareOneLimit: two Handlers, each with its own client (as two processes of
// a fleet), limit the same clients together.
func TestRedisTwoHandlersShareOneLimit(t *testing.T) {
	addr := startRedis(t)
	var handlers [2]http.Handler
	for i := range handlers {
		count, err := NewCount(newRedisStore(t, addr, "api"), 3, 60)
		require.NoError(t, err)
		handlers[i] = Middleware(Config{Limiter: count})(okHandler)
	}
	var got []reply
	for i := range 5 {
		got = append(got, serve(handlers[i%2], "192.0.2.1:1"))
	}
	got = append(got, serve(handlers[0], "192.0.2.2:1"))
	want := []reply{
		{200, "3", "2", "60", "", "ok"},
		{200, "3", "1", "60", "", "ok"},
		{200, "3", "0", "60", "", "ok"},
		{429, "3", "0", "60", "60", tooMany},
		{429, "3", "0", "60", "60", tooMany},
		{200, "3", "2", "60", "", "ok"},
	}
	assert.Equal(t, want, got)
}
