package limit

import (
	"fmt"
	"testing"
	"time"

	"github.com/goresty/goresty/sharedict"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// trafficSetup builds t/traffic.t's limiters: req(3, 2) on "foo", req(2, 3) on "bar", conn(4, 1,
// 2) on "foo" and count(countLimit, 100) on "bar", all reading *now.
func trafficSetup(t *testing.T, now *time.Time, countLimit float64) ([]Limiter, *Conn) {
	t.Helper()
	reqDict, connDict, countDict := newDict(t), newDict(t), newDict(t)
	lim1, err := NewReq(reqDict, 3, 2)
	require.NoError(t, err)
	lim2, err := NewReq(reqDict, 2, 3)
	require.NoError(t, err)
	lim3, err := NewConn(connDict, 4, 1, 2)
	require.NoError(t, err)
	lim4, err := NewCount(countDict, countLimit, 100)
	require.NoError(t, err)
	for _, c := range []interface{ SetClock(func() time.Time) }{lim1, lim2, lim3, lim4} {
		c.SetClock(fixedClock(now))
	}
	return []Limiter{lim1, lim2, lim3, lim4}, lim3
}

// TestCombineSequences replays t/traffic.t: six requests, the clock moving one second after the
// fourth.
func TestCombineSequences(t *testing.T) {
	tests := []struct {
		name       string
		countLimit float64
		want       []string
	}{
		{
			name: "sanity", countLimit: 10,
			want: []string{
				"0 committed=true states=[0 0 1 9]",
				"0.5 committed=true states=[1 1 2 8]",
				"1 committed=true states=[2 2 3 7]",
				"rejected states=[2 2 3 7]",
				"0.5 committed=true states=[0 1 4 6]",
				"2 committed=true states=[1 2 5 5]",
			},
		},
		{
			name: "blocked by count", countLimit: 2,
			want: []string{
				"0 committed=true states=[0 0 1 1]",
				"0.5 committed=true states=[1 1 2 0]",
				"rejected states=[1 1 2 0]",
				"rejected states=[1 1 2 0]",
				"rejected states=[1 1 2 0]",
				"rejected states=[1 1 2 0]",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := t0
			limiters, conn := trafficSetup(t, &now, tc.countLimit)
			keys := []string{"foo", "bar", "foo", "bar"}
			states := make([]float64, 4)
			var got []string
			for i := 1; i <= 6; i++ {
				delay, err := Combine(limiters, keys, states)
				if err != nil {
					got = append(got, fmt.Sprintf("%v states=%v", err, states))
				} else {
					got = append(got, fmt.Sprintf("%v committed=%v states=%v", delay, conn.IsCommitted(), states))
				}
				if i == 4 {
					now = now.Add(time.Second)
				}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// recorder is a Limiter that logs its calls and rejects the calls numbered in reject.
type recorder struct {
	name   string
	log    *[]string
	calls  int
	reject map[int]bool
	delay  float64
}

func (r *recorder) Incoming(key string, commit bool) (float64, float64, error) {
	r.calls++
	*r.log = append(*r.log, fmt.Sprintf("%s.incoming(%s,%v)", r.name, key, commit))
	if r.reject[r.calls] {
		return 0, 0, ErrRejected
	}
	return r.delay, float64(r.calls), nil
}

func (r *recorder) Uncommit(key string) error {
	*r.log = append(*r.log, fmt.Sprintf("%s.uncommit(%s)", r.name, key))
	return sharedict.ErrNotFound // ignored by Combine
}

func TestCombineCommitAndUncommitRules(t *testing.T) {
	tests := []struct {
		name    string
		reject  map[string]int // limiter -> the call it rejects
		want    []string
		wantErr bool
	}{
		{
			name: "all admit",
			want: []string{"a.incoming(ka,false)", "b.incoming(kb,false)", "c.incoming(kc,true)",
				"a.incoming(ka,true)", "b.incoming(kb,true)"},
		},
		{
			name: "a dry run rejects: nothing else runs", reject: map[string]int{"b": 1}, wantErr: true,
			want: []string{"a.incoming(ka,false)", "b.incoming(kb,false)"},
		},
		{
			name: "the last rejects", reject: map[string]int{"c": 1}, wantErr: true,
			want: []string{"a.incoming(ka,false)", "b.incoming(kb,false)", "c.incoming(kc,true)"},
		},
		{
			name: "a commit rejects: the earlier ones and the last are uncommitted", reject: map[string]int{"b": 2},
			wantErr: true,
			want: []string{"a.incoming(ka,false)", "b.incoming(kb,false)", "c.incoming(kc,true)",
				"a.incoming(ka,true)", "b.incoming(kb,true)", "a.uncommit(ka)", "c.uncommit(kc)"},
		},
		{
			name: "the first commit rejects: only the last is uncommitted", reject: map[string]int{"a": 2},
			wantErr: true,
			want: []string{"a.incoming(ka,false)", "b.incoming(kb,false)", "c.incoming(kc,true)",
				"a.incoming(ka,true)", "c.uncommit(kc)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var log []string
			var limiters []Limiter
			for _, name := range []string{"a", "b", "c"} {
				limiters = append(limiters, &recorder{name: name, log: &log, reject: map[int]bool{tc.reject[name]: true}})
			}
			_, err := Combine(limiters, []string{"ka", "kb", "kc"}, nil)
			assert.Equal(t, tc.wantErr, err != nil, "error: %v", err)
			assert.Equal(t, tc.want, log)
		})
	}
}

func TestCombineDelayIsTheLargest(t *testing.T) {
	var log []string
	limiters := []Limiter{&recorder{name: "a", log: &log, delay: 0.2}, &recorder{name: "b", log: &log, delay: 0.7},
		&recorder{name: "c", log: &log, delay: 0.1}}
	states := make([]float64, 3)
	delay, err := Combine(limiters, []string{"1", "2", "3"}, states)
	require.NoError(t, err)
	assert.Equal(t, 0.7, delay)
	assert.Equal(t, []float64{2, 2, 1}, states, "the committing call's states")
}

func TestCombineSameReqTwiceRollsBack(t *testing.T) {
	d := newDict(t)
	req, err := NewReq(d, 2, 0)
	require.NoError(t, err)
	count, err := NewCount(d, 5, 60)
	require.NoError(t, err)
	// Both dry runs pass on a fresh key; the second commit then sees the first one's record.
	_, err = Combine([]Limiter{req, req, count}, []string{"r", "r", "c"}, nil)
	require.ErrorIs(t, err, ErrRejected)
	v, _, err := d.Get("c")
	require.NoError(t, err)
	assert.Equal(t, sharedict.Number(5), v, "count uncommitted")
	_, excess, err := req.Incoming("r", false)
	require.ErrorIs(t, err, ErrRejected, "the record stays, uncommitted to excess 0: %v", excess)
}

func TestCombineArguments(t *testing.T) {
	var log []string
	a := &recorder{name: "a", log: &log}
	_, err := Combine([]Limiter{a, a}, []string{"k"}, nil)
	assert.EqualError(t, err, "limit: Combine: 1 keys for 2 limiters")
	_, err = Combine([]Limiter{a}, []string{"k"}, []float64{})
	assert.EqualError(t, err, "limit: Combine: 0 states for 1 limiters")
	delay, err := Combine(nil, nil, nil)
	require.NoError(t, err)
	assert.Zero(t, delay)
	assert.Empty(t, log)
}
