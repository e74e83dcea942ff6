package sharedict

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIncr(t *testing.T) {
	d := newTestDict(t, 1<<20)
	mustSet(t, d, t0, "n", Number(10), 5*time.Second, 3)
	mustSet(t, d, t0, "s", String("12"), 0, 0)
	mustSet(t, d, t0, "e", Number(1), time.Second, 0)
	_, err := d.RPushAt(t0, "l", Number(1))
	require.NoError(t, err)
	tests := []struct {
		key  string
		n    float64
		want float64
		err  error
	}{
		{"n", 2.5, 12.5, nil},
		{"n", -20, -7.5, nil},
		{"missing", 1, 0, ErrNotFound},
		{"e", 1, 0, ErrNotFound}, // expired at t0+2s
		{"s", 1, 0, ErrNotNumber},
		{"l", 1, 0, ErrNotNumber},
		{"", 1, 0, ErrEmptyKey},
	}
	for _, tt := range tests {
		v, err := d.IncrAt(t0.Add(2*time.Second), tt.key, tt.n)
		assert.Equal(t, tt.err, err, tt.key)
		assert.Equal(t, tt.want, v, tt.key)
	}
	ttl, err := d.TTLAt(t0, "n")
	require.NoError(t, err)
	assert.Equal(t, 5*time.Second, ttl, "incr keeps the expiry")
	_, flags, _ := d.GetAt(t0, "n")
	assert.Equal(t, uint32(3), flags, "and the flags")
}

func TestIncrInit(t *testing.T) {
	d := newTestDict(t, 1<<20)
	v, forcible, err := d.IncrInitAt(t0, "c", 1, 10, time.Second)
	require.NoError(t, err)
	assert.Equal(t, 11.0, v)
	assert.False(t, forcible)
	ttl, _ := d.TTLAt(t0, "c")
	assert.Equal(t, time.Second, ttl)

	v, _, err = d.IncrInitAt(t0, "c", 1, 100, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 12.0, v, "a live key ignores init")
	ttl, _ = d.TTLAt(t0, "c")
	assert.Equal(t, time.Second, ttl, "and init_ttl")

	v, _, err = d.IncrInitAt(t0.Add(2*time.Second), "c", 1, 100, 0)
	require.NoError(t, err)
	assert.Equal(t, 101.0, v, "an expired key starts again from init")
	ttl, _ = d.TTLAt(t0, "c")
	assert.Equal(t, time.Duration(0), ttl)

	_, _, err = d.IncrInitAt(t0, "c", 1, 0, -time.Second)
	assert.Equal(t, ErrBadInitTTL, err)
	mustSet(t, d, t0, "s", String("x"), 0, 0)
	_, _, err = d.IncrInitAt(t0, "s", 1, 0, 0)
	assert.Equal(t, ErrNotNumber, err)
}

// TestIncrInitReusesExpiredNode: an expired value of a number's size (8 bytes) is overwritten in
// place, flags and all, whatever its type.
func TestIncrInitReusesExpiredNode(t *testing.T) {
	d := newTestDict(t, 1<<20)
	mustSet(t, d, t0, "g", String("12345678"), time.Second, 9)
	v, _, err := d.IncrInitAt(t0.Add(2*time.Second), "g", 1, 1, 0)
	require.NoError(t, err)
	assert.Equal(t, 2.0, v)
	got, flags, _ := d.GetAt(t0.Add(2*time.Second), "g")
	assert.Equal(t, Number(2), got)
	assert.Equal(t, uint32(0), flags)
}

func TestPush(t *testing.T) {
	d := newTestDict(t, 1<<20)
	for i, f := range []func(time.Time, string, Value) (int, error){d.RPushAt, d.LPushAt, d.RPushAt} {
		n, err := f(t0, "l", Number(float64(i)))
		require.NoError(t, err)
		assert.Equal(t, i+1, n)
	}
	var got []Value
	for {
		v, err := d.LPopAt(t0, "l")
		require.NoError(t, err)
		if v.IsNil() {
			break
		}
		got = append(got, v)
	}
	assert.Equal(t, []Value{Number(1), Number(0), Number(2)}, got)

	mustSet(t, d, t0, "s", String("v"), 0, 0)
	tests := []struct {
		key string
		v   Value
		err error
	}{
		{"s", Number(1), ErrNotList},
		{"l", Bool(true), ErrBadValueType},
		{"l", Nil, ErrBadValueType},
		{"", Number(1), ErrEmptyKey},
	}
	for _, tt := range tests {
		_, err := d.LPushAt(t0, tt.key, tt.v)
		assert.Equal(t, tt.err, err, "lpush %q %v", tt.key, tt.v)
		_, err = d.RPushAt(t0, tt.key, tt.v)
		assert.Equal(t, tt.err, err, "rpush %q %v", tt.key, tt.v)
	}
}

func TestPushOnExpiredKey(t *testing.T) {
	d := newTestDict(t, 1<<20)
	mustSet(t, d, t0, "keep", Number(1), 0, 0)
	_, err := d.RPushAt(t0, "l", String("a"))
	require.NoError(t, err)
	_, err = d.RPushAt(t0, "l", String("b"))
	require.NoError(t, err)
	require.NoError(t, d.ExpireAt(t0, "l", time.Second))
	mustSet(t, d, t0, "s", String("x"), time.Second, 0)
	later := t0.Add(2 * time.Second)
	n, err := d.RPushAt(later, "l", String("c"))
	require.NoError(t, err)
	assert.Equal(t, 1, n, "an expired list starts empty")
	ttl, _ := d.TTLAt(later, "l")
	assert.Equal(t, time.Duration(0), ttl, "and loses its expiry")
	n, err = d.RPushAt(later, "s", String("c"))
	require.NoError(t, err)
	assert.Equal(t, 1, n, "an expired value is replaced by a list")
}

func TestPop(t *testing.T) {
	d := newTestDict(t, 1<<20)
	for _, s := range []string{"a", "b", "c"} {
		_, err := d.RPushAt(t0, "l", String(s))
		require.NoError(t, err)
	}
	v, err := d.RPopAt(t0, "l")
	require.NoError(t, err)
	assert.Equal(t, String("c"), v)
	v, err = d.LPopAt(t0, "l")
	require.NoError(t, err)
	assert.Equal(t, String("a"), v)
	v, err = d.RPopAt(t0, "l")
	require.NoError(t, err)
	assert.Equal(t, String("b"), v)
	_, _, err = d.GetAt(t0, "l")
	require.NoError(t, err, "popping the last element deletes the list")

	mustSet(t, d, t0, "s", String("v"), 0, 0)
	for _, pop := range []func(time.Time, string) (Value, error){d.LPopAt, d.RPopAt} {
		v, err := pop(t0, "missing")
		require.NoError(t, err)
		assert.True(t, v.IsNil())
		_, err = pop(t0, "s")
		assert.Equal(t, ErrNotList, err)
		_, err = pop(t0, "")
		assert.Equal(t, ErrEmptyKey, err)
	}
}

func TestLLen(t *testing.T) {
	d := newTestDict(t, 1<<20)
	_, err := d.LPushAt(t0, "l", String("x"))
	require.NoError(t, err)
	_, err = d.LPushAt(t0, "l", String("y"))
	require.NoError(t, err)
	mustSet(t, d, t0, "s", String("v"), 0, 0)
	tests := []struct {
		key  string
		want int
		err  error
	}{
		{"l", 2, nil},
		{"missing", 0, nil},
		{"s", 0, ErrNotList},
		{"", 0, ErrEmptyKey},
	}
	for _, tt := range tests {
		n, err := d.LLenAt(t0, tt.key)
		assert.Equal(t, tt.err, err, tt.key)
		assert.Equal(t, tt.want, n, tt.key)
	}
	require.NoError(t, d.ExpireAt(t0, "l", time.Second))
	n, err := d.LLenAt(t0.Add(2*time.Second), "l")
	require.NoError(t, err)
	assert.Equal(t, 0, n, "an expired list is empty")
}

func TestTTL(t *testing.T) {
	d := newTestDict(t, 1<<20)
	mustSet(t, d, t0, "forever", Number(1), 0, 0)
	mustSet(t, d, t0, "soon", Number(1), 1500*time.Millisecond, 0)
	tests := []struct {
		key  string
		at   time.Duration
		want time.Duration
		err  error
	}{
		{"forever", time.Hour, 0, nil},
		{"soon", 0, 1500 * time.Millisecond, nil},
		{"soon", time.Second, 500 * time.Millisecond, nil},
		{"soon", 2 * time.Second, -500 * time.Millisecond, nil}, // expired, not freed yet
		{"missing", 0, 0, ErrNotFound},
		{"", 0, 0, ErrEmptyKey},
	}
	for _, tt := range tests {
		ttl, err := d.TTLAt(t0.Add(tt.at), tt.key)
		assert.Equal(t, tt.err, err, "%s at %v", tt.key, tt.at)
		assert.Equal(t, tt.want, ttl, "%s at %v", tt.key, tt.at)
	}
}

func TestExpire(t *testing.T) {
	d := newTestDict(t, 1<<20)
	mustSet(t, d, t0, "k", Number(1), 0, 0)
	tests := []struct {
		exptime time.Duration
		ttl     time.Duration
	}{
		{10 * time.Second, 10 * time.Second},
		{0, 0},
		{-time.Second, 0}, // negative removes the expiry, as in OpenResty
		{400 * time.Microsecond, 0},
		{time.Second, time.Second},
	}
	for _, tt := range tests {
		require.NoError(t, d.ExpireAt(t0, "k", tt.exptime))
		ttl, err := d.TTLAt(t0, "k")
		require.NoError(t, err)
		assert.Equal(t, tt.ttl, ttl, "expire %v", tt.exptime)
	}
	assert.Equal(t, ErrNotFound, d.ExpireAt(t0, "missing", time.Second))
	assert.Equal(t, ErrEmptyKey, d.ExpireAt(t0, "", time.Second))
}

func TestExpireRevivesExpired(t *testing.T) {
	d := newTestDict(t, 1<<20)
	mustSet(t, d, t0, "k", String("v"), time.Second, 0)
	later := t0.Add(2 * time.Second)
	require.NoError(t, d.ExpireAt(later, "k", time.Minute))
	v, _, err := d.GetAt(later, "k")
	require.NoError(t, err)
	assert.Equal(t, String("v"), v)
}

func TestFlushAll(t *testing.T) {
	d := newTestDict(t, 1<<20)
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		mustSet(t, d, t0, k, String(k), 0, 0)
	}
	require.NoError(t, d.FlushAll())
	keys, err := d.GetKeysAt(t0, 0)
	require.NoError(t, err)
	assert.Empty(t, keys)
	var stale []string
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		v, _, isStale, err := d.GetStaleAt(t0, k)
		require.NoError(t, err)
		if !v.IsNil() {
			assert.True(t, isStale)
			stale = append(stale, k)
		}
	}
	assert.Equal(t, []string{"d", "e"}, stale, "flush_all frees the three least recently used entries")
	n, err := d.FlushExpiredAt(t0, 0)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}

func TestFlushExpired(t *testing.T) {
	d := newTestDict(t, 1<<20)
	for _, k := range []string{"a", "b", "c", "d"} {
		mustSet(t, d, t0, k, Number(1), time.Second, 0)
	}
	mustSet(t, d, t0, "live", Number(1), 0, 0)
	later := t0.Add(2 * time.Second)
	n, err := d.FlushExpiredAt(later, 3)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	v, _, _, _ := d.GetStaleAt(later, "d")
	assert.False(t, v.IsNil(), "the most recently used expired entry is left")
	n, err = d.FlushExpiredAt(later, 0)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = d.FlushExpiredAt(later, -1)
	require.NoError(t, err)
	assert.Equal(t, 0, n)
}

func TestGetKeys(t *testing.T) {
	d := newTestDict(t, 1<<20)
	for _, k := range []string{"a", "b", "c", "d"} {
		mustSet(t, d, t0, k, Number(1), 0, 0)
	}
	mustSet(t, d, t0, "e", Number(1), time.Second, 0)
	_, _, err := d.GetAt(t0, "a")
	require.NoError(t, err)
	keys, err := d.GetKeysAt(t0.Add(2*time.Second), 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"b", "c", "d", "a"}, keys, "least recently used first, expired left out")
	keys, err = d.GetKeysAt(t0, 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"b", "c"}, keys)
	d2 := newTestDict(t, 1<<20)
	keys, err = d2.GetKeys(0)
	require.NoError(t, err)
	assert.Equal(t, []string{}, keys)
}
