package sharedict

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// storeTranscript runs random calls through the Store interface and records their results. It
// avoids what the backends legitimately do differently: eviction (the dict is large), expiry,
// and the order of GetKeys.
func storeTranscript(t *testing.T, s Store) []string {
	t.Helper()
	r := rand.New(rand.NewPCG(5, 5))
	var out []string
	rec := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	for range 600 {
		k := "k" + strconv.Itoa(r.IntN(20))
		v := []Value{Number(float64(r.IntN(5))), String("s"), Bool(true), Nil}[r.IntN(4)]
		switch r.IntN(13) {
		case 0:
			f, err := s.Set(k, v, time.Hour, uint32(r.IntN(3)))
			rec("set %v %v", f, err)
		case 1:
			f, err := s.Add(k, v, 0, 0)
			rec("add %v %v", f, err)
		case 2:
			f, err := s.SafeAdd(k, v, 0, 0)
			rec("safe_add %v %v", f, err)
		case 3:
			f, err := s.Replace(k, v, 0, 1)
			rec("replace %v %v", f, err)
		case 4:
			rec("delete %v", s.Delete(k))
		case 5:
			n, err := s.Incr(k, 1.5)
			rec("incr %v %v", n, err)
		case 6:
			n, f, err := s.IncrInit(k, -1, 10, 0)
			rec("incr_init %v %v %v", n, f, err)
		case 7:
			n, err := s.RPush(k, v)
			rec("rpush %v %v", n, err)
		case 8:
			n, err := s.LPush(k, v)
			rec("lpush %v %v", n, err)
		case 9:
			x, err := s.LPop(k)
			rec("lpop %v %v", x, err)
		case 10:
			n, err := s.LLen(k)
			rec("llen %v %v", n, err)
		case 11:
			x, flags, stale, err := s.GetStale(k)
			rec("get_stale %v %v %v %v", x, flags, stale, err)
		default:
			x, flags, err := s.Get(k)
			rec("get %v %v %v", x, flags, err)
		}
	}
	keys, err := s.GetKeys(0)
	require.NoError(t, err)
	sort.Strings(keys)
	rec("keys %v", keys)
	require.NoError(t, s.FlushAll())
	keys, err = s.GetKeys(0)
	require.NoError(t, err)
	rec("after flush_all %v", keys)
	return out
}

func TestStoreBackendsAgree(t *testing.T) {
	c := startRedis(t)
	local := storeTranscript(t, newTestDict(t, 1<<20))
	remote := storeTranscript(t, NewRedis(c, "conf", 1<<20))
	assert.Equal(t, local, remote)
}
