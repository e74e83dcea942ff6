package sharedict

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A 12 KiB dict named "test" has two pages, both taken by the dict's own bookkeeping: one of
// 128-byte chunks with 31 left, one of 32-byte chunks with 126 left. A number under a short key
// (68 + 3 + 8 bytes) takes a 128-byte chunk, so 31 of them fill the dict.
const smallDict = 12 << 10

func fillSmall(t *testing.T, d *Dict) []string {
	t.Helper()
	var keys []string
	for i := range 31 {
		k := "k" + strconv.Itoa(10+i)
		forcible, err := d.SetAt(t0, k, Number(float64(i)), 0, 0)
		require.NoError(t, err)
		require.False(t, forcible, "%s fits", k)
		keys = append(keys, k)
	}
	return keys
}

func keysAt(t *testing.T, d *Dict) []string {
	t.Helper()
	keys, err := d.GetKeysAt(t0, 0)
	require.NoError(t, err)
	return keys
}

func TestEvictLeastRecentlyUsed(t *testing.T) {
	d := newTestDict(t, smallDict)
	keys := fillSmall(t, d)
	_, _, err := d.GetAt(t0, keys[0])
	require.NoError(t, err)
	forcible, err := d.SetAt(t0, "new", Number(1), 0, 0)
	require.NoError(t, err)
	assert.True(t, forcible)
	want := append(append([]string{}, keys[2:]...), keys[0], "new")
	assert.Equal(t, want, keysAt(t, d), "k11, the least recently used, was evicted; k10 was touched")

	forcible, err = d.AddAt(t0, "new2", Number(1), 0, 0)
	require.NoError(t, err)
	assert.True(t, forcible)
	forcible, err = d.ReplaceAt(t0, keys[5], String(strings.Repeat("x", 40)), 0, 0)
	require.NoError(t, err)
	assert.False(t, forcible, "68+3+40 bytes still fit the freed 128-byte chunk")
	assert.NotContains(t, keysAt(t, d), keys[2])
}

// TestEvictAlsoFreesExpired: a forced round frees the least recently used entry, live or not,
// then up to two more if they have expired.
func TestEvictAlsoFreesExpired(t *testing.T) {
	d := newTestDict(t, smallDict)
	mustSet(t, d, t0, "old", Number(1), 0, 0)
	mustSet(t, d, t0, "x1", Number(1), time.Second, 0)
	mustSet(t, d, t0, "x2", Number(1), time.Second, 0)
	for i := range 28 {
		mustSet(t, d, t0, "k"+strconv.Itoa(10+i), Number(1), 0, 0)
	}
	later := t0.Add(2 * time.Second)
	forcible, err := d.SetAt(later, "new", Number(1), 0, 0)
	require.NoError(t, err)
	assert.True(t, forcible)
	for _, k := range []string{"old", "x1", "x2"} {
		v, _, _, err := d.GetStaleAt(later, k)
		require.NoError(t, err)
		assert.True(t, v.IsNil(), "%s freed", k)
	}
	keys, _ := d.GetKeysAt(later, 0)
	assert.Len(t, keys, 29, "three freed, one added")
}

func TestIncrInitEvicts(t *testing.T) {
	d := newTestDict(t, smallDict)
	fillSmall(t, d)
	v, forcible, err := d.IncrInitAt(t0, "cnt", 1, 0, 0)
	require.NoError(t, err)
	assert.Equal(t, 1.0, v)
	assert.True(t, forcible)
}

func TestSafeNoMemory(t *testing.T) {
	d := newTestDict(t, smallDict)
	keys := fillSmall(t, d)
	forcible, err := d.SafeSetAt(t0, "x", Number(1), 0, 0)
	assert.Equal(t, ErrNoMemory, err)
	assert.False(t, forcible)
	forcible, err = d.SafeAddAt(t0, "x", Number(1), 0, 0)
	assert.Equal(t, ErrNoMemory, err)
	assert.False(t, forcible)
	assert.Len(t, keysAt(t, d), 31, "nothing evicted")

	_, err = d.SafeSetAt(t0, keys[3], String("abcdefgh1"), 0, 0)
	require.NoError(t, err, "a new value of another size that fits the freed chunk")
	_, err = d.SafeSetAt(t0, keys[4], String(strings.Repeat("x", 3000)), 0, 0)
	assert.Equal(t, ErrNoMemory, err)
	v, _, _ := d.GetAt(t0, keys[4])
	assert.True(t, v.IsNil(), "as in OpenResty, the old value was freed before the allocation failed")
}

func TestSetTooBig(t *testing.T) {
	d := newTestDict(t, smallDict)
	fillSmall(t, d)
	forcible, err := d.SetAt(t0, "huge", String(strings.Repeat("x", 5000)), 0, 0)
	assert.Equal(t, ErrNoMemory, err)
	assert.True(t, forcible)
	assert.Len(t, keysAt(t, d), 1, "30 rounds of eviction, each freeing one entry, were not enough")
}

func TestPushNoMemory(t *testing.T) {
	d := newTestDict(t, smallDict)
	fillSmall(t, d)
	_, err := d.LPushAt(t0, "l", Number(1))
	assert.Equal(t, ErrNoMemoryNewList, err, "no 128-byte chunk for the list itself")
	assert.Len(t, keysAt(t, d), 31, "pushes never evict")

	d2 := newTestDict(t, 32<<10) // 5 free pages of 127 32-byte list elements, plus 126
	for i := range 761 {
		n, err := d2.RPushAt(t0, "l", Number(float64(i)))
		require.NoError(t, err)
		require.Equal(t, i+1, n)
	}
	_, err = d2.RPushAt(t0, "l", Number(1))
	assert.Equal(t, ErrNoMemory, err)
	n, _ := d2.LLenAt(t0, "l")
	assert.Equal(t, 761, n)
	_, err = d2.RPushAt(t0, "l2", Number(1))
	assert.Equal(t, ErrNoMemory, err, "the list was created, but not its element")
	v, _, err := d2.GetAt(t0, "l2")
	require.NoError(t, err)
	assert.True(t, v.IsNil(), "and the empty list was removed again")
}

func TestEvictionKeepsDictConsistent(t *testing.T) {
	d := newTestDict(t, 32<<10)
	for i := range 2000 {
		k := "k" + strconv.Itoa(i%97)
		switch i % 5 {
		case 0:
			_, err := d.SetAt(t0, k, String(strings.Repeat("v", i%300)), 0, 0)
			require.True(t, err == nil || err == ErrNoMemory, "%v", err)
		case 1:
			_, _, err := d.IncrInitAt(t0, "n"+k, 1, 0, time.Duration(i%3)*time.Second)
			require.True(t, err == nil || err == ErrNoMemory, "%v", err)
		case 2:
			d.RPushAt(t0, "l"+k, String(k))
		case 3:
			d.LPopAt(t0, "l"+k)
		case 4:
			d.SafeAddAt(t0, k, Number(1), 0, 0)
		}
	}
	checkInvariants(t, d)
}
