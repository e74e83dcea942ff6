package sharedict

import (
	"context"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startRedis starts a redis-server on a free loopback port for the test and returns a client.
func startRedis(t testing.TB, args ...string) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: servertest.StartRedis(t, args...)})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestRedisValues(t *testing.T) {
	d := NewRedis(startRedis(t), "v", 1<<20)
	tests := []struct {
		v     Value
		flags uint32
	}{
		{String("x"), 0},
		{String(""), 7},
		{String("bin\x00\xff"), 0},
		{Number(1.5), 4294967295},
		{Number(0.1 + 0.2), 0},
		{Number(math.Inf(-1)), 0},
		{Number(math.Copysign(0, -1)), 0},
		{Bool(true), 1},
		{Bool(false), 0},
	}
	for _, tt := range tests {
		_, err := d.Set("k", tt.v, 0, tt.flags)
		require.NoError(t, err)
		v, flags, err := d.Get("k")
		require.NoError(t, err)
		assert.Equal(t, tt.v, v)
		assert.Equal(t, tt.flags, flags)
	}
	_, err := d.Set("nan", Number(math.NaN()), 0, 0)
	require.NoError(t, err)
	v, _, err := d.Get("nan")
	require.NoError(t, err)
	n, _ := v.AsNumber()
	assert.True(t, math.IsNaN(n))
	v, _, err = d.Get("missing")
	require.NoError(t, err)
	assert.True(t, v.IsNil())
}

func TestRedisStoreErrors(t *testing.T) {
	d := NewRedis(startRedis(t), "e", 1<<20)
	_, err := d.Add("k", Number(1), 0, 0)
	require.NoError(t, err)
	_, err = d.Add("k", Number(2), 0, 0)
	assert.Equal(t, ErrExists, err)
	_, err = d.SafeAdd("k", Number(2), 0, 0)
	assert.Equal(t, ErrExists, err)
	_, err = d.Replace("missing", Number(1), 0, 0)
	assert.Equal(t, ErrNotFound, err)
	_, err = d.Replace("k", String("r"), 0, 0)
	require.NoError(t, err)
	_, err = d.Add("k", Nil, 0, 0)
	assert.Equal(t, ErrNilValue, err)
	_, err = d.Replace("k", Nil, 0, 0)
	assert.Equal(t, ErrNilValue, err)
	_, err = d.Set("k", Number(1), -time.Second, 0)
	assert.Equal(t, ErrBadExptime, err)
	_, err = d.SafeSet("", Number(1), 0, 0)
	assert.Equal(t, ErrEmptyKey, err)
	_, _, err = d.Get(strings.Repeat("k", maxKeyLen+1))
	assert.Equal(t, ErrKeyTooLong, err)
	require.NoError(t, d.Delete("k"))
	v, _, _ := d.Get("k")
	assert.True(t, v.IsNil())
	_, err = d.Set("k", Number(1), 0, 0)
	require.NoError(t, err)
	_, err = d.Set("k", Nil, 0, 0)
	require.NoError(t, err)
	v, _, _ = d.Get("k")
	assert.True(t, v.IsNil(), "setting nil deletes")
}

func TestRedisIncr(t *testing.T) {
	d := NewRedis(startRedis(t), "i", 1<<20)
	_, err := d.Incr("c", 1)
	assert.Equal(t, ErrNotFound, err)
	n, init := 0.1, 0.2
	v, forcible, err := d.IncrInit("c", n, init, time.Minute)
	require.NoError(t, err)
	assert.False(t, forcible)
	assert.Equal(t, init+n, v, "float64 addition, exactly (0.30000000000000004)")
	_, err = d.Set("f", Number(1), time.Minute, 9)
	require.NoError(t, err)
	v, err = d.Incr("f", 2)
	require.NoError(t, err)
	assert.Equal(t, 3.0, v)
	_, flags, _ := d.Get("f")
	assert.Equal(t, uint32(9), flags, "incr keeps the flags")
	ttl, err := d.TTL("f")
	require.NoError(t, err)
	assert.Greater(t, ttl, 50*time.Second, "and the TTL")
	v, _, err = d.IncrInit("f", 1, 100, time.Second)
	require.NoError(t, err)
	assert.Equal(t, 4.0, v, "a live key ignores init")

	_, err = d.Set("s", String("12"), 0, 0)
	require.NoError(t, err)
	_, err = d.Incr("s", 1)
	assert.Equal(t, ErrNotNumber, err)
	_, err = d.RPush("l", Number(1))
	require.NoError(t, err)
	_, _, err = d.IncrInit("l", 1, 0, 0)
	assert.Equal(t, ErrNotNumber, err)
	_, _, err = d.IncrInit("c", 1, 0, -time.Second)
	assert.Equal(t, ErrBadInitTTL, err)
}

// TestRedisNoScript: EVALSHA falls back to EVAL when the server lost its scripts.
func TestRedisNoScript(t *testing.T) {
	c := startRedis(t)
	d := NewRedis(c, "ns", 1<<20)
	_, _, err := d.IncrInit("c", 1, 0, 0)
	require.NoError(t, err)
	require.NoError(t, c.ScriptFlush(context.Background()).Err())
	v, err := d.Incr("c", 1)
	require.NoError(t, err)
	assert.Equal(t, 2.0, v)
}

func TestRedisLists(t *testing.T) {
	d := NewRedis(startRedis(t), "l", 1<<20)
	for i, push := range []func(string, Value) (int, error){d.RPush, d.LPush, d.RPush} {
		n, err := push("l", Number(float64(i)))
		require.NoError(t, err)
		assert.Equal(t, i+1, n)
	}
	n, err := d.LLen("l")
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	_, _, err = d.Get("l")
	assert.Equal(t, ErrIsList, err)
	v, err := d.LPop("l")
	require.NoError(t, err)
	assert.Equal(t, Number(1), v)
	v, err = d.RPop("l")
	require.NoError(t, err)
	assert.Equal(t, Number(2), v)
	_, err = d.RPush("l", String("s"))
	require.NoError(t, err)
	v, err = d.RPop("l")
	require.NoError(t, err)
	assert.Equal(t, String("s"), v)

	_, err = d.Set("s", String("v"), 0, 0)
	require.NoError(t, err)
	_, err = d.LPush("s", Number(1))
	assert.Equal(t, ErrNotList, err)
	_, err = d.LPop("s")
	assert.Equal(t, ErrNotList, err)
	_, err = d.LLen("s")
	assert.Equal(t, ErrNotList, err)
	_, err = d.LPush("l", Bool(true))
	assert.Equal(t, ErrBadValueType, err)
	v, err = d.RPop("missing")
	require.NoError(t, err)
	assert.True(t, v.IsNil())
	n, err = d.LLen("missing")
	require.NoError(t, err)
	assert.Equal(t, 0, n)
}

func TestRedisTTLAndExpire(t *testing.T) {
	d := NewRedis(startRedis(t), "t", 1<<20)
	_, err := d.Set("k", String("v"), 1500*time.Millisecond, 0)
	require.NoError(t, err)
	ttl, err := d.TTL("k")
	require.NoError(t, err)
	assert.InDelta(t, 1500, ttl.Milliseconds(), 200, "millisecond resolution")
	require.NoError(t, d.Expire("k", 0))
	ttl, _ = d.TTL("k")
	assert.Equal(t, time.Duration(0), ttl, "expire 0 removes the TTL")
	assert.Equal(t, ErrNotFound, d.Expire("missing", time.Second))
	assert.Equal(t, ErrNotFound, d.Expire("missing", 0))
	_, err = d.TTL("missing")
	assert.Equal(t, ErrNotFound, err)

	require.NoError(t, d.Expire("k", 20*time.Millisecond))
	time.Sleep(50 * time.Millisecond)
	v, _, stale, err := d.GetStale("k")
	require.NoError(t, err)
	assert.True(t, v.IsNil(), "Redis does not keep expired values")
	assert.False(t, stale)
	_, err = d.Set("sub", Number(1), 500*time.Microsecond, 0)
	require.NoError(t, err)
	ttl, _ = d.TTL("sub")
	assert.Equal(t, time.Duration(0), ttl, "under a millisecond means no expiry, as in OpenResty")
}

func TestRedisKeysAndFlush(t *testing.T) {
	c := startRedis(t)
	d := NewRedis(c, "k*[", 1<<20)
	other := NewRedis(c, "other", 1<<20)
	for _, k := range []string{"a", "b", "c"} {
		_, err := d.Set(k, Number(1), 0, 0)
		require.NoError(t, err)
	}
	_, err := other.Set("x", Number(1), 0, 0)
	require.NoError(t, err)
	keys, err := d.GetKeys(0)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"a", "b", "c"}, keys)
	keys, err = d.GetKeys(2)
	require.NoError(t, err)
	assert.Len(t, keys, 2)
	n, err := d.FlushExpired(0)
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	require.NoError(t, d.FlushAll())
	keys, err = d.GetKeys(0)
	require.NoError(t, err)
	assert.Empty(t, keys)
	v, _, _ := other.Get("x")
	assert.Equal(t, Number(1), v, "another dict is untouched")
}

func TestRedisNoMemory(t *testing.T) {
	c := startRedis(t, "--maxmemory-policy", "noeviction")
	d := NewRedis(c, "m", 2<<20)
	_, err := d.Set("k", String(strings.Repeat("x", 64<<10)), 0, 0)
	require.NoError(t, err)
	free, err := d.FreeSpace()
	require.NoError(t, err)
	assert.Equal(t, int64(2<<20), free, "without maxmemory, FreeSpace is the capacity")
	require.NoError(t, c.ConfigSet(context.Background(), "maxmemory", "1").Err())
	_, err = d.Set("k2", Number(1), 0, 0)
	assert.Equal(t, ErrNoMemory, err)
	_, err = d.SafeAdd("new", Number(1), 0, 0)
	assert.Equal(t, ErrNoMemory, err)
	_, _, err = d.IncrInit("cnt", 1, 0, 0)
	assert.Equal(t, ErrNoMemory, err)
	_, err = d.LPush("l", Number(1))
	assert.Equal(t, ErrNoMemory, err)
	free, err = d.FreeSpace()
	require.NoError(t, err)
	assert.Equal(t, int64(0), free)
	assert.Equal(t, int64(2<<20), d.Capacity())
}

func TestRedisWithContext(t *testing.T) {
	d := NewRedis(startRedis(t), "ctx", 1<<20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := d.WithContext(ctx).Get("k")
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), `"k"`, "the error names the key")
	_, _, err = d.Get("k")
	assert.NoError(t, err, "the original keeps its context")
	assert.Equal(t, "ctx", d.Name())
}

func TestRedisConcurrentIncrAndLock(t *testing.T) {
	d := NewRedis(startRedis(t), "cc", 1<<20)
	n := 2000
	if testing.Short() {
		n = 200
	}
	var holders, doubles atomic.Int32
	runWorkers(func(w int) {
		for i := range n {
			if _, _, err := d.IncrInit("total", 1, 0, 0); err != nil {
				t.Error(err)
				return
			}
			if i%4 != 0 {
				continue
			}
			if _, err := d.Add("lock", Bool(true), time.Minute, 0); err == nil {
				if holders.Add(1) != 1 {
					doubles.Add(1)
				}
				holders.Add(-1)
				if err := d.Delete("lock"); err != nil {
					t.Error(err)
				}
			}
		}
	})
	v, _, err := d.Get("total")
	require.NoError(t, err)
	assert.Equal(t, Number(float64(workers*n)), v)
	assert.Zero(t, doubles.Load())
}
