package limit

import (
	"testing"
	"time"

	"github.com/goresty/goresty/sharedict"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The sequences of lua-resty-limit-traffic's t/count.t, with a clock standing still unless a step
// moves it.
var countSequences = []struct {
	name          string
	limit, window float64
	steps         []step
	want          []outcome
}{
	{
		name: "limit 10, one key", limit: 10, window: 100,
		steps: commits(12, "/t"),
		want: []outcome{ok(0, 9), ok(0, 8), ok(0, 7), ok(0, 6), ok(0, 5), ok(0, 4), ok(0, 3), ok(0, 2), ok(0, 1),
			ok(0, 0), rejected, rejected},
	},
	{
		name: "two keys", limit: 1, window: 10,
		steps: []step{{key: "foo", commit: true}, {key: "foo", commit: true}, {key: "bar", commit: true}, {key: "bar", commit: true}},
		want:  []outcome{ok(0, 0), rejected, ok(0, 0), rejected},
	},
	{
		// 1001: at exactly its expiry millisecond nginx still finds a key on lookup.
		name: "the window resets", limit: 1, window: 1,
		steps: []step{{key: "k", commit: true}, {ms: 999, key: "k", commit: true}, {ms: 1001, key: "k", commit: true},
			{ms: 1001, key: "k", commit: true}},
		want: []outcome{ok(0, 0), rejected, ok(0, 0), rejected},
	},
	{
		name: "dry runs from the third", limit: 5, window: 10,
		steps: []step{{key: "foo", commit: true}, {key: "foo", commit: true}, {key: "foo"}, {key: "foo"}},
		want:  []outcome{ok(0, 4), ok(0, 3), ok(0, 2), ok(0, 2)},
	},
	{
		name: "commit and uncommit", limit: 2, window: 10,
		steps: []step{{key: "foo", commit: true}, {key: "foo", uncommit: true}, {key: "foo", commit: true},
			{key: "foo", uncommit: true}, {key: "foo", commit: true}},
		want: []outcome{ok(0, 1), {}, ok(0, 1), {}, ok(0, 1)},
	},
	{
		name: "rejections count; uncommit gives them back", limit: 1, window: 10,
		steps: []step{{key: "k", commit: true}, {key: "k", commit: true}, {key: "k", commit: true},
			{key: "k", uncommit: true}, {key: "k", uncommit: true}, {key: "k"}},
		want: []outcome{ok(0, 0), rejected, rejected, {}, {}, rejected},
	},
	{
		name: "a dry run on a fresh key", limit: 3, window: 10,
		steps: []step{{key: "new"}},
		want:  []outcome{ok(0, 2)},
	},
}

// runCount plays a sequence on c; uncommit steps run at the time of the step before.
func runCount(c *Count, steps []step) []outcome {
	var got []outcome
	now := t0
	c.SetClock(fixedClock(&now))
	for _, s := range steps {
		if s.uncommit {
			got = append(got, result(0, 0, c.Uncommit(s.key)))
			continue
		}
		now = t0.Add(time.Duration(s.ms) * time.Millisecond)
		got = append(got, result(c.IncomingAt(now, s.key, s.commit)))
	}
	return got
}

func TestCountSequences(t *testing.T) {
	for _, tc := range countSequences {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewCount(newDict(t), tc.limit, tc.window)
			require.NoError(t, err)
			assert.Equal(t, tc.want, runCount(c, tc.steps))
		})
	}
}

func TestCountWindowStartsAtTheFirstCommit(t *testing.T) {
	d := newDict(t)
	c, err := NewCount(d, 5, 1.5)
	require.NoError(t, err)
	now := t0
	c.SetClock(fixedClock(&now))
	_, _, err = c.Incoming("k", true)
	require.NoError(t, err)
	now = now.Add(400 * time.Millisecond)
	_, _, err = c.Incoming("k", true)
	require.NoError(t, err)
	ttl, err := d.TTLAt(now, "k")
	require.NoError(t, err)
	assert.Equal(t, 1100*time.Millisecond, ttl)
	v, _, err := d.GetAt(now, "k")
	require.NoError(t, err)
	assert.Equal(t, sharedict.Number(3), v)
}

func TestCountUncommitAfterTheWindow(t *testing.T) {
	c, err := NewCount(newDict(t), 7, 10)
	require.NoError(t, err)
	remaining, err := c.uncommit("gone")
	require.NoError(t, err)
	assert.Equal(t, 7.0, remaining, "Lua's uncommit returns the limit")
	require.NoError(t, c.Uncommit("gone"))
}

func TestCountDecideReportsTheWindow(t *testing.T) {
	c, err := NewCount(newDict(t), 1, 60)
	require.NoError(t, err)
	_, ttl, err := c.decide("k", at(t0), true, true)
	require.NoError(t, err)
	assert.Equal(t, 60*time.Second, ttl)
	remaining, ttl, err := c.decide("k", at(t0.Add(15*time.Second)), true, true)
	require.ErrorIs(t, err, ErrRejected)
	assert.Equal(t, -1.0, remaining)
	assert.Equal(t, 45*time.Second, ttl)
	_, ttl, err = c.decide("fresh", at(t0), false, true)
	require.NoError(t, err)
	assert.Zero(t, ttl, "a dry run on a fresh key has no window yet")
}

func TestCountParameters(t *testing.T) {
	d := newDict(t)
	_, err := NewCount(d, 0, 1)
	assert.EqualError(t, err, "limit: limit 0 must be > 0")
	_, err = NewCount(d, 1, -1)
	assert.EqualError(t, err, "limit: window -1 must be > 0")
	c, err := NewCount(d, 10, 60)
	require.NoError(t, err)
	assert.Equal(t, []float64{10, 60}, []float64{c.Limit(), c.Window()})
}
