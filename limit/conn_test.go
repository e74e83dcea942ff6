package limit

import (
	"testing"

	"github.com/goresty/goresty/sharedict"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// connStep is one call on a Conn: incoming (with commit), leaving (with a latency or NoLatency),
// uncommit, or a change of max and burst.
type connStep struct {
	op       string // "in", "dry", "leave", "uncommit", "set"
	latency  float64
	max, bst float64
}

type connOutcome struct {
	outcome
	Committed bool
}

func inN(n int) []connStep {
	s := make([]connStep, n)
	for i := range s {
		s[i] = connStep{op: "in"}
	}
	return s
}

func runConn(t *testing.T, c *Conn, steps []connStep) []connOutcome {
	t.Helper()
	var got []connOutcome
	for _, s := range steps {
		switch s.op {
		case "in", "dry":
			o := result(c.Incoming("foo", s.op == "in"))
			got = append(got, connOutcome{o, c.IsCommitted()})
		case "leave":
			n, err := c.Leaving("foo", s.latency)
			got = append(got, connOutcome{result(0, n, err), false})
		case "uncommit":
			require.NoError(t, c.Uncommit("foo"))
		case "set":
			require.NoError(t, c.SetMax(s.max))
			require.NoError(t, c.SetBurst(s.bst))
		}
	}
	return got
}

func in(delay, conn float64) connOutcome  { return connOutcome{ok(delay, conn), true} }
func dry(delay, conn float64) connOutcome { return connOutcome{ok(delay, conn), false} }
func left(conn float64) connOutcome       { return connOutcome{ok(0, conn), false} }

var connRejected = connOutcome{rejected, false}

// The sequences of lua-resty-limit-traffic's t/conn.t (max 2, burst 8, default delay 1 unless
// said), and the unit delay's averaging.
var connSequences = []struct {
	name                  string
	max, burst, unitDelay float64
	steps                 []connStep
	want                  []connOutcome
}{
	{
		name: "always commit, no leaving", max: 2, burst: 8, unitDelay: 1,
		steps: inN(12),
		want: []connOutcome{in(0, 1), in(0, 2), in(1, 3), in(1, 4), in(2, 5), in(2, 6), in(3, 7), in(3, 8),
			in(4, 9), in(4, 10), connRejected, connRejected},
	},
	{
		name: "commit only the 3rd and 5th", max: 2, burst: 8, unitDelay: 1,
		steps: []connStep{{op: "dry"}, {op: "dry"}, {op: "in"}, {op: "dry"}, {op: "in"}, {op: "dry"}, {op: "dry"}},
		want:  []connOutcome{dry(0, 1), dry(0, 1), in(0, 1), dry(0, 2), in(0, 2), dry(1, 3), dry(1, 3)},
	},
	{
		name: "leaving after the 4th and 7th", max: 2, burst: 8, unitDelay: 1,
		steps: []connStep{{op: "in"}, {op: "in"}, {op: "in"}, {op: "in"}, {op: "leave", latency: NoLatency},
			{op: "in"}, {op: "in"}, {op: "in"}, {op: "leave", latency: NoLatency}, {op: "in"}, {op: "in"}},
		want: []connOutcome{in(0, 1), in(0, 2), in(1, 3), in(1, 4), left(3), in(1, 4), in(2, 5), in(2, 6), left(5),
			in(2, 6), in(3, 7)},
	},
	{
		name: "commit and uncommit", max: 2, burst: 8, unitDelay: 1,
		steps: []connStep{{op: "in"}, {op: "uncommit"}, {op: "in"}, {op: "uncommit"}, {op: "in"}},
		want:  []connOutcome{in(0, 1), in(0, 1), in(0, 1)},
	},
	{
		name: "set_conn and set_burst", max: 2, burst: 1, unitDelay: 1,
		steps: append(append(inN(4), connStep{op: "set", max: 5, bst: 2}), inN(6)...),
		want: []connOutcome{in(0, 1), in(0, 2), in(1, 3), connRejected, in(0, 4), in(0, 5), in(1, 6), in(1, 7),
			connRejected, connRejected},
	},
	{
		name: "latencies move the unit delay halfway", max: 1, burst: 5, unitDelay: 1,
		steps: []connStep{{op: "in"}, {op: "in"}, {op: "leave", latency: 3}, {op: "in"}, {op: "leave", latency: 0},
			{op: "in"}, {op: "in"}},
		want: []connOutcome{in(0, 1), in(1, 2), left(1), in(2, 2), left(1), in(1, 2), in(2, 3)},
	},
}

func TestConnSequences(t *testing.T) {
	for _, tc := range connSequences {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewConn(newDict(t), tc.max, tc.burst, tc.unitDelay)
			require.NoError(t, err)
			assert.Equal(t, tc.want, runConn(t, c, tc.steps))
		})
	}
}

func TestConnRejectionLeavesTheCount(t *testing.T) {
	d := newDict(t)
	c, err := NewConn(d, 1, 1, 0.5)
	require.NoError(t, err)
	runConn(t, c, inN(4))
	v, _, err := d.Get("foo")
	require.NoError(t, err)
	assert.Equal(t, sharedict.Number(2), v)
}

func TestConnCountsAreDictNumbers(t *testing.T) {
	d := newDict(t)
	_, err := d.Set("foo", sharedict.String("3"), 0, 0)
	require.NoError(t, err)
	c, err := NewConn(d, 2, 8, 1)
	require.NoError(t, err)
	// A dry run adds one to what get returns, as Lua's arithmetic converts a numeric string.
	delay, conn, err := c.Incoming("foo", false)
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 4}, []float64{delay, conn})
	// incr does not convert: "not a number".
	_, _, err = c.Incoming("foo", true)
	assert.ErrorIs(t, err, sharedict.ErrNotNumber)
	_, err = d.Set("foo", sharedict.Bool(true), 0, 0)
	require.NoError(t, err)
	_, _, err = c.Incoming("foo", false)
	assert.EqualError(t, err, `limit: key "foo" holds boolean true, not a number`)
}

func TestConnLeavingMissing(t *testing.T) {
	c, err := NewConn(newDict(t), 2, 8, 1)
	require.NoError(t, err)
	_, err = c.Leaving("nobody", 0.1)
	assert.ErrorIs(t, err, sharedict.ErrNotFound)
	assert.Equal(t, 1.0, c.UnitDelay(), "a failed leaving keeps the unit delay")
	assert.ErrorIs(t, c.Uncommit("nobody"), sharedict.ErrNotFound)
}

func TestConnParameters(t *testing.T) {
	d := newDict(t)
	tests := []struct {
		max, burst, delay float64
		wantErr           string
	}{
		{0, 1, 1, "limit: max 0 must be > 0"},
		{1, -1, 1, "limit: burst -1 must be >= 0"},
		{1, 1, 0, "limit: default_conn_delay 0 must be > 0"},
	}
	for _, tc := range tests {
		_, err := NewConn(d, tc.max, tc.burst, tc.delay)
		assert.EqualError(t, err, tc.wantErr)
	}
	c, err := NewConn(d, 3, 4, 0.5)
	require.NoError(t, err)
	assert.Equal(t, []float64{3, 4, 0.5}, []float64{c.Max(), c.Burst(), c.UnitDelay()})
	assert.EqualError(t, c.SetMax(0), "limit: max 0 must be > 0")
	assert.EqualError(t, c.SetBurst(-1), "limit: burst -1 must be >= 0")
}
