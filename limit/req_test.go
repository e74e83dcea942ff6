package limit

import (
	"encoding/binary"
	"math"
	"testing"
	"time"

	"github.com/goresty/goresty/sharedict"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// step is one call in a sequence: incoming (or uncommit) on key at t0 + ms.
type step struct {
	ms       int64
	key      string
	commit   bool
	uncommit bool
}

func commits(n int, key string) []step {
	s := make([]step, n)
	for i := range s {
		s[i] = step{key: key, commit: true}
	}
	return s
}

// The sequences of lua-resty-limit-traffic's t/req.t, restated with a clock that stands still
// unless a step moves it, plus the draining formula at chosen times.
var reqSequences = []struct {
	name        string
	rate, burst float64
	steps       []step
	want        []outcome
}{
	{
		name: "rate 2 burst 10, one key, clock still", rate: 2, burst: 10,
		steps: commits(12, "foo"),
		want: []outcome{ok(0, 0), ok(0.5, 1), ok(1, 2), ok(1.5, 3), ok(2, 4), ok(2.5, 5), ok(3, 6),
			ok(3.5, 7), ok(4, 8), ok(4.5, 9), ok(5, 10), rejected},
	},
	{
		name: "two keys are independent", rate: 2, burst: 10,
		steps: []step{{key: "foo", commit: true}, {key: "foo", commit: true}, {key: "bar", commit: true}, {key: "bar", commit: true}},
		want:  []outcome{ok(0, 0), ok(0.5, 1), ok(0, 0), ok(0.5, 1)},
	},
	{
		name: "burst 0 rejects the second", rate: 2, burst: 0,
		steps: commits(3, "foo"),
		want:  []outcome{ok(0, 0), rejected, rejected},
	},
	{
		name: "burst 2 rejects the fourth", rate: 2, burst: 2,
		steps: commits(4, "foo"),
		want:  []outcome{ok(0, 0), ok(0.5, 1), ok(1, 2), rejected},
	},
	{
		name: "dry runs record nothing", rate: 2, burst: 10,
		steps: []step{{key: "bar", commit: true}, {key: "bar", commit: true}, {key: "bar"}, {key: "bar"}},
		want:  []outcome{ok(0, 0), ok(0.5, 1), ok(1, 2), ok(1, 2)},
	},
	{
		name: "commit then uncommit", rate: 40, burst: 40,
		steps: []step{{key: "/t", commit: true}, {key: "/t", uncommit: true}, {key: "/t", commit: true},
			{key: "/t", uncommit: true}, {key: "/t", commit: true}},
		want: []outcome{ok(0, 0), {}, ok(0.025, 1), {}, ok(0.025, 1)},
	},
	{
		name: "rate and burst 0.1: only the first", rate: 0.1, burst: 0.1,
		steps: commits(3, "k"),
		want:  []outcome{ok(0, 0), rejected, rejected},
	},
	{
		name: "the excess drains at the rate", rate: 2, burst: 10,
		steps: []step{{ms: 0, key: "k", commit: true}, {ms: 0, key: "k", commit: true}, {ms: 250, key: "k", commit: true},
			{ms: 2000, key: "k", commit: true}, {ms: 2001, key: "k", commit: true}},
		// 1000 - 2000*250/1000 + 1000 = 1500; then drained below 0, so 0; then 0 - 2 + 1000.
		want: []outcome{ok(0, 0), ok(0.5, 1), ok(0.75, 1.5), ok(0, 0), ok(0.499, 0.998)},
	},
	{
		name: "a clock that steps back drains too", rate: 2, burst: 10,
		steps: []step{{ms: 1000, key: "k", commit: true}, {ms: 1000, key: "k", commit: true}, {ms: 500, key: "k", commit: true}},
		want:  []outcome{ok(0, 0), ok(0.5, 1), ok(0.5, 1)},
	},
	{
		name: "a rejection records nothing", rate: 1, burst: 1,
		steps: []step{{key: "k", commit: true}, {key: "k", commit: true}, {key: "k", commit: true}, {ms: 1000, key: "k", commit: true}},
		want:  []outcome{ok(0, 0), ok(1, 1), rejected, ok(1, 1)},
	},
}

// runReq plays a sequence on l; uncommit steps produce the zero outcome or their error.
func runReq(l *Req, steps []step) []outcome {
	var got []outcome
	for _, s := range steps {
		now := t0.Add(time.Duration(s.ms) * time.Millisecond)
		if s.uncommit {
			got = append(got, result(0, 0, l.Uncommit(s.key)))
			continue
		}
		got = append(got, result(l.IncomingAt(now, s.key, s.commit)))
	}
	return got
}

func TestReqSequences(t *testing.T) {
	for _, tc := range reqSequences {
		t.Run(tc.name, func(t *testing.T) {
			l, err := NewReq(newDict(t), tc.rate, tc.burst)
			require.NoError(t, err)
			got := runReq(l, tc.steps)
			require.Len(t, got, len(tc.want))
			for i := range got {
				assert.InDelta(t, tc.want[i].Delay, got[i].Delay, 1e-12, "step %d delay", i)
				assert.InDelta(t, tc.want[i].State, got[i].State, 1e-12, "step %d excess", i)
				assert.Equal(t, tc.want[i].Err, got[i].Err, "step %d error", i)
			}
		})
	}
}

func TestReqIncomingReadsTheClock(t *testing.T) {
	now := t0
	l, err := NewReq(newDict(t), 2, 10)
	require.NoError(t, err)
	l.SetClock(fixedClock(&now))
	var got []outcome
	for range 2 {
		got = append(got, result(l.Incoming("k", true)))
	}
	now = now.Add(500 * time.Millisecond)
	got = append(got, result(l.Incoming("k", true)))
	assert.Equal(t, []outcome{ok(0, 0), ok(0.5, 1), ok(0.5, 1)}, got)
}

func TestReqRecordIsOpenRestys(t *testing.T) {
	d := newDict(t)
	l, err := NewReq(d, 2, 10)
	require.NoError(t, err)
	for range 3 {
		_, _, err = l.IncomingAt(t0.Add(1500*time.Microsecond), "k", true)
		require.NoError(t, err)
	}
	v, flags, err := d.Get("k")
	require.NoError(t, err)
	s, isString := v.AsString()
	require.True(t, isString, "record is a string")
	require.Len(t, s, 16)
	assert.Equal(t, uint64(2000), binary.LittleEndian.Uint64([]byte(s[:8])), "excess in milli-requests")
	assert.Equal(t, uint64(t0.UnixMilli()+1), binary.LittleEndian.Uint64([]byte(s[8:])), "last in ms")
	assert.Zero(t, flags)
	ttl, err := d.TTL("k")
	require.NoError(t, err)
	assert.Zero(t, ttl, "no expiry")
}

func TestReqExcessIsStoredTruncated(t *testing.T) {
	d := newDict(t)
	// A rate of 0.0007 r/s drains 0.0007 milli-requests per ms, so the excess has a fraction,
	// which the record drops (an unsigned integer in OpenResty) but the results keep.
	l, err := NewReq(d, 0.0007, 10)
	require.NoError(t, err)
	var got []outcome
	for i := range 3 {
		got = append(got, result(l.IncomingAt(t0.Add(time.Duration(i)*time.Millisecond), "k", true)))
	}
	assert.Equal(t, outcome{}, got[0])
	assert.InDelta(t, (1000-0.0007)/0.7, got[1].Delay, 1e-9)
	// excess 999.9993 was stored as 999, so the third is 999 - 0.0007 + 1000.
	assert.InDelta(t, (1999-0.0007)/1000, got[2].State, 1e-12)
}

func TestReqAbusedDict(t *testing.T) {
	tests := []struct {
		name string
		v    sharedict.Value
	}{
		{"a number", sharedict.Number(32)},
		{"a short string", sharedict.String("a")},
		{"a boolean", sharedict.Bool(true)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDict(t)
			_, err := d.Set("bar", tc.v, 0, 0)
			require.NoError(t, err)
			l, err := NewReq(d, 2, 10)
			require.NoError(t, err)
			_, _, err = l.Incoming("bar", true)
			require.ErrorIs(t, err, ErrAbused)
			assert.Equal(t, "shdict abused by other users", err.Error())
			assert.ErrorIs(t, l.Uncommit("bar"), ErrAbused)
		})
	}
}

func TestReqUncommitMissing(t *testing.T) {
	l, err := NewReq(newDict(t), 2, 10)
	require.NoError(t, err)
	err = l.Uncommit("nobody")
	require.ErrorIs(t, err, sharedict.ErrNotFound)
	assert.Equal(t, "not found", err.Error())
}

func TestReqEmptyKeyPassesAsInOpenResty(t *testing.T) {
	// get("") and set("") fail with "empty key", which the original ignores.
	l, err := NewReq(newDict(t), 1, 0)
	require.NoError(t, err)
	for range 3 {
		delay, excess, err := l.Incoming("", true)
		require.NoError(t, err)
		assert.Zero(t, delay+excess)
	}
}

func TestReqClosedDictFails(t *testing.T) {
	d, err := sharedict.New("closed", 1<<20)
	require.NoError(t, err)
	l, err := NewReq(d, 1, 0)
	require.NoError(t, err)
	d.Close()
	_, _, err = l.Incoming("k", true)
	assert.ErrorIs(t, err, sharedict.ErrClosed)
}

func TestReqSetRateAndBurst(t *testing.T) {
	l, err := NewReq(newDict(t), 2, 0)
	require.NoError(t, err)
	require.NoError(t, l.SetBurst(1))
	require.NoError(t, l.SetRate(4))
	assert.Equal(t, 4.0, l.Rate())
	assert.Equal(t, 1.0, l.Burst())
	got := runReq(l, commits(3, "k"))
	assert.Equal(t, []outcome{ok(0, 0), ok(0.25, 1), rejected}, got)
}

func TestReqParameters(t *testing.T) {
	d := newDict(t)
	tests := []struct {
		name        string
		rate, burst float64
		wantErr     string
	}{
		{"zero rate", 0, 1, "limit: rate 0 must be > 0"},
		{"negative burst", 1, -1, "limit: burst -1 must be >= 0"},
		{"infinite rate", posInf, 1, "limit: rate +Inf is not a finite number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReq(d, tc.rate, tc.burst)
			assert.EqualError(t, err, tc.wantErr)
		})
	}
	_, err := NewReq(nil, 1, 1)
	assert.EqualError(t, err, "limit: nil store")
	l, err := NewReq(d, 1, 1)
	require.NoError(t, err)
	assert.EqualError(t, l.SetRate(-2), "limit: rate -2 must be > 0")
	assert.EqualError(t, l.SetBurst(-2), "limit: burst -2 must be >= 0")
}

var posInf = math.Inf(1)
