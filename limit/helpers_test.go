package limit

import (
	"testing"
	"time"

	"github.com/goresty/goresty/sharedict"
	"github.com/stretchr/testify/require"
)

// t0 is the fixed time the sequences start at.
var t0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func newDict(t testing.TB) *sharedict.Dict {
	t.Helper()
	d, err := sharedict.New("store", 1<<20)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	return d
}

// fixedClock returns a clock standing at *now, which the test moves.
func fixedClock(now *time.Time) func() time.Time { return func() time.Time { return *now } }

// outcome is one incoming result, for comparing sequences.
type outcome struct {
	Delay, State float64
	Err          string
}

func result(delay, state float64, err error) outcome {
	if err != nil {
		return outcome{Err: err.Error()}
	}
	return outcome{Delay: delay, State: state}
}

func ok(delay, state float64) outcome { return outcome{Delay: delay, State: state} }

var rejected = outcome{Err: "rejected"}
