package sharedict

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newTestDict(t testing.TB, size int64) *Dict {
	t.Helper()
	d, err := New("test", size)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	return d
}

func mustSet(t testing.TB, d *Dict, now time.Time, key string, v Value, exptime time.Duration, flags uint32) {
	t.Helper()
	_, err := d.SetAt(now, key, v, exptime, flags)
	require.NoError(t, err)
}

func TestGet(t *testing.T) {
	d := newTestDict(t, 1<<20)
	mustSet(t, d, t0, "s", String("x"), 0, 0)
	mustSet(t, d, t0, "n", Number(1.5), 0, 7)
	mustSet(t, d, t0, "b", Bool(false), 0, 0)
	mustSet(t, d, t0, "e", String("gone"), time.Second, 0)
	_, err := d.RPushAt(t0, "l", Number(1))
	require.NoError(t, err)
	tests := []struct {
		key   string
		v     Value
		flags uint32
		err   error
	}{
		{"s", String("x"), 0, nil},
		{"n", Number(1.5), 7, nil},
		{"b", Bool(false), 0, nil},
		{"missing", Nil, 0, nil},
		{"e", Nil, 0, nil},
		{"l", Nil, 0, ErrIsList},
		{"", Nil, 0, ErrEmptyKey},
		{strings.Repeat("k", maxKeyLen+1), Nil, 0, ErrKeyTooLong},
	}
	for _, tt := range tests {
		v, flags, err := d.GetAt(t0.Add(2*time.Second), tt.key)
		assert.Equal(t, tt.err, err, "key %.10q", tt.key)
		assert.Equal(t, tt.v, v, "key %.10q", tt.key)
		assert.Equal(t, tt.flags, flags, "key %.10q", tt.key)
	}
}

func TestGetStale(t *testing.T) {
	d := newTestDict(t, 1<<20)
	mustSet(t, d, t0, "old", String("x"), time.Second, 3)
	mustSet(t, d, t0, "live", String("y"), 0, 0)
	later := t0.Add(2 * time.Second)

	v, flags, stale, err := d.GetStaleAt(later, "old")
	require.NoError(t, err)
	assert.Equal(t, String("x"), v)
	assert.Equal(t, uint32(3), flags)
	assert.True(t, stale, "expired but not freed yet")

	v, _, stale, err = d.GetStaleAt(later, "live")
	require.NoError(t, err)
	assert.Equal(t, String("y"), v)
	assert.False(t, stale)

	_, err = d.FlushExpiredAt(later, 0)
	require.NoError(t, err)
	v, _, stale, err = d.GetStaleAt(later, "old")
	require.NoError(t, err)
	assert.True(t, v.IsNil(), "freed by flush_expired")
	assert.False(t, stale)
}

func TestGetSweepsExpiredTail(t *testing.T) {
	d := newTestDict(t, 1<<20)
	for _, k := range []string{"x1", "x2", "x3"} {
		mustSet(t, d, t0, k, Number(1), time.Millisecond, 0)
	}
	mustSet(t, d, t0, "live", Number(1), 0, 0)
	later := t0.Add(time.Second)
	_, _, err := d.GetAt(later, "live")
	require.NoError(t, err)
	for k, want := range map[string]bool{"x1": false, "x2": false, "x3": true} {
		v, _, _, err := d.GetStaleAt(later, k)
		require.NoError(t, err)
		assert.Equal(t, want, !v.IsNil(), "%s: get frees the two least recently used expired entries", k)
	}
}

func TestSet(t *testing.T) {
	d := newTestDict(t, 1<<20)
	forcible, err := d.SetAt(t0, "k", String("a"), 0, 1)
	require.NoError(t, err)
	assert.False(t, forcible)
	mustSet(t, d, t0, "k", Number(2), 0, 0)
	v, flags, err := d.GetAt(t0, "k")
	require.NoError(t, err)
	assert.Equal(t, Number(2), v, "overwritten")
	assert.Equal(t, uint32(0), flags, "flags are replaced too")

	mustSet(t, d, t0, "k", Nil, 0, 0)
	v, _, err = d.GetAt(t0, "k")
	require.NoError(t, err)
	assert.True(t, v.IsNil(), "setting nil deletes")

	_, err = d.SetAt(t0, "k", Number(1), -time.Millisecond, 0)
	assert.Equal(t, ErrBadExptime, err)
	_, err = d.SetAt(t0, "", Number(1), 0, 0)
	assert.Equal(t, ErrEmptyKey, err)
	_, err = d.SetAt(t0, strings.Repeat("k", maxKeyLen+1), Number(1), 0, 0)
	assert.Equal(t, ErrKeyTooLong, err)
}

func TestSetExptime(t *testing.T) {
	d := newTestDict(t, 1<<20)
	tests := []struct {
		exptime time.Duration
		ttl     time.Duration
	}{
		{0, 0},
		{500 * time.Microsecond, 0}, // under a millisecond: never expires, as in OpenResty
		{1500 * time.Microsecond, time.Millisecond},
		{2500 * time.Millisecond, 2500 * time.Millisecond},
	}
	for _, tt := range tests {
		mustSet(t, d, t0, "k", Number(1), tt.exptime, 0)
		ttl, err := d.TTLAt(t0, "k")
		require.NoError(t, err)
		assert.Equal(t, tt.ttl, ttl, "exptime %v", tt.exptime)
	}
}

func TestSafeSet(t *testing.T) {
	d := newTestDict(t, 1<<20)
	forcible, err := d.SafeSetAt(t0, "k", String("v"), time.Second, 2)
	require.NoError(t, err)
	assert.False(t, forcible)
	v, flags, err := d.GetAt(t0, "k")
	require.NoError(t, err)
	assert.Equal(t, String("v"), v)
	assert.Equal(t, uint32(2), flags)
	_, err = d.SafeSetAt(t0, "k", Number(1), -1, 0)
	assert.Equal(t, ErrBadExptime, err)
}

func TestAdd(t *testing.T) {
	d := newTestDict(t, 1<<20)
	_, err := d.AddAt(t0, "k", String("first"), time.Second, 0)
	require.NoError(t, err)
	_, err = d.AddAt(t0, "k", String("second"), 0, 0)
	assert.Equal(t, ErrExists, err)
	v, _, _ := d.GetAt(t0, "k")
	assert.Equal(t, String("first"), v, "add does not overwrite a live key")

	_, err = d.AddAt(t0.Add(2*time.Second), "k", String("third"), 0, 4)
	require.NoError(t, err, "an expired key counts as missing")
	v, flags, _ := d.GetAt(t0.Add(2*time.Second), "k")
	assert.Equal(t, String("third"), v)
	assert.Equal(t, uint32(4), flags)

	_, err = d.AddAt(t0, "n", Nil, 0, 0)
	assert.Equal(t, ErrNilValue, err)
	_, err = d.RPushAt(t0, "l", Number(1))
	require.NoError(t, err)
	_, err = d.AddAt(t0, "l", Number(1), 0, 0)
	assert.Equal(t, ErrExists, err, "a list counts as a live key")
}

func TestSafeAdd(t *testing.T) {
	d := newTestDict(t, 1<<20)
	_, err := d.SafeAddAt(t0, "k", Number(1), 0, 0)
	require.NoError(t, err)
	_, err = d.SafeAddAt(t0, "k", Number(2), 0, 0)
	assert.Equal(t, ErrExists, err)
	_, err = d.SafeAddAt(t0, "k", Nil, 0, 0)
	assert.Equal(t, ErrNilValue, err)
}

func TestReplace(t *testing.T) {
	d := newTestDict(t, 1<<20)
	_, err := d.ReplaceAt(t0, "k", Number(1), 0, 0)
	assert.Equal(t, ErrNotFound, err)
	mustSet(t, d, t0, "k", Number(1), time.Second, 0)
	_, err = d.ReplaceAt(t0, "k", String("longer value"), 0, 9)
	require.NoError(t, err)
	v, flags, _ := d.GetAt(t0, "k")
	assert.Equal(t, String("longer value"), v)
	assert.Equal(t, uint32(9), flags)
	ttl, _ := d.TTLAt(t0, "k")
	assert.Equal(t, time.Duration(0), ttl, "the new exptime (0) replaces the old one")

	mustSet(t, d, t0, "e", Number(1), time.Second, 0)
	_, err = d.ReplaceAt(t0.Add(2*time.Second), "e", Number(2), 0, 0)
	assert.Equal(t, ErrNotFound, err, "an expired key counts as missing")
	_, err = d.ReplaceAt(t0, "k", Nil, 0, 0)
	assert.Equal(t, ErrNilValue, err)

	_, err = d.RPushAt(t0, "l", Number(1))
	require.NoError(t, err)
	_, err = d.ReplaceAt(t0, "l", Number(2), 0, 0)
	require.NoError(t, err, "a list can be replaced by a value")
	v, _, _ = d.GetAt(t0, "l")
	assert.Equal(t, Number(2), v)
}

func TestDelete(t *testing.T) {
	d := newTestDict(t, 1<<20)
	mustSet(t, d, t0, "k", Number(1), 0, 0)
	require.NoError(t, d.DeleteAt(t0, "k"))
	v, _, _ := d.GetAt(t0, "k")
	assert.True(t, v.IsNil())
	require.NoError(t, d.DeleteAt(t0, "k"), "deleting a missing key succeeds")
	assert.Equal(t, ErrEmptyKey, d.DeleteAt(t0, ""))
	_, err := d.RPushAt(t0, "l", Number(1))
	require.NoError(t, err)
	require.NoError(t, d.Delete("l"))
	n, _ := d.LLenAt(t0, "l")
	assert.Equal(t, 0, n)
}

func TestCapacityAndFreeSpace(t *testing.T) {
	d := newTestDict(t, 1<<20)
	assert.Equal(t, int64(1<<20), d.Capacity())
	free0, err := d.FreeSpace()
	require.NoError(t, err)
	mustSet(t, d, t0, "big", String(strings.Repeat("x", 10000)), 0, 0)
	free1, err := d.FreeSpace()
	require.NoError(t, err)
	assert.Equal(t, free0-3*pageSize, free1, "68+3+10000 bytes take three pages")
	require.NoError(t, d.DeleteAt(t0, "big"))
	free2, _ := d.FreeSpace()
	assert.Equal(t, free0, free2)
}

func TestClose(t *testing.T) {
	d, err := New("c", 1<<20)
	require.NoError(t, err)
	d.Close()
	d.Close()
	_, _, err = d.Get("k")
	assert.Equal(t, ErrClosed, err)
	_, err = d.Set("k", Number(1), 0, 0)
	assert.Equal(t, ErrClosed, err)
	_, err = d.Incr("k", 1)
	assert.Equal(t, ErrClosed, err)
	_, _, err = d.IncrInit("k", 1, 0, 0)
	assert.Equal(t, ErrClosed, err)
	_, err = d.LPush("k", Number(1))
	assert.Equal(t, ErrClosed, err)
	_, err = d.TTL("k")
	assert.Equal(t, ErrClosed, err)
	assert.Equal(t, ErrClosed, d.FlushAll())
	_, err = d.GetKeys(0)
	assert.Equal(t, ErrClosed, err)
	_, err = d.FreeSpace()
	assert.Equal(t, ErrClosed, err)
}
