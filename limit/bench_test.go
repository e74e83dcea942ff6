package limit

import (
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/goresty/goresty/sharedict"
	"golang.org/x/time/rate"
)

// The benchmarks put Req.Incoming (a committed decision on a local Dict: get, compute, set under
// the key's lock, reading the clock) side by side with golang.org/x/time/rate's Allow, on one key
// and on 10k keys (a read-only map of *rate.Limiter for rate), serially and in parallel. Rates
// are high enough that every call is admitted and so writes.

const benchKeys = 10_000

var benchKey = func() []string {
	k := make([]string, benchKeys)
	for i := range k {
		k[i] = "client:" + strconv.Itoa(i)
	}
	return k
}()

// benchReq is a Req on a dict large enough for every key (10k records need about 1.3 MB).
func benchReq(b *testing.B) *Req {
	d, err := sharedict.New("bench", 16<<20)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(d.Close)
	l, err := NewReq(d, 1e9, 1e9)
	if err != nil {
		b.Fatal(err)
	}
	return l
}

func benchRateMap() map[string]*rate.Limiter {
	m := make(map[string]*rate.Limiter, benchKeys)
	for _, k := range benchKey {
		m[k] = rate.NewLimiter(1e9, 1e9)
	}
	return m
}

func BenchmarkIncomingOneKey(b *testing.B) {
	b.Run("Req", func(b *testing.B) {
		l := benchReq(b)
		for b.Loop() {
			if _, _, err := l.Incoming("k", true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("RateAllow", func(b *testing.B) {
		l := rate.NewLimiter(1e9, 1e9)
		for b.Loop() {
			l.Allow()
		}
	})
}

func BenchmarkIncomingOneKeyParallel(b *testing.B) {
	b.Run("Req", func(b *testing.B) {
		l := benchReq(b)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, _, _ = l.Incoming("k", true)
			}
		})
	})
	b.Run("RateAllow", func(b *testing.B) {
		l := rate.NewLimiter(1e9, 1e9)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				l.Allow()
			}
		})
	})
}

func BenchmarkIncoming10kKeys(b *testing.B) {
	b.Run("Req", func(b *testing.B) {
		l := benchReq(b)
		for i := 0; b.Loop(); i++ {
			if _, _, err := l.Incoming(benchKey[i%benchKeys], true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("RateAllow", func(b *testing.B) {
		m := benchRateMap()
		for i := 0; b.Loop(); i++ {
			m[benchKey[i%benchKeys]].Allow()
		}
	})
}

func BenchmarkIncoming10kKeysParallel(b *testing.B) {
	var seed atomic.Int64
	b.Run("Req", func(b *testing.B) {
		l := benchReq(b)
		b.RunParallel(func(pb *testing.PB) {
			for i := int(seed.Add(7919)); pb.Next(); i++ {
				_, _, _ = l.Incoming(benchKey[i%benchKeys], true)
			}
		})
	})
	b.Run("RateAllow", func(b *testing.B) {
		m := benchRateMap()
		b.RunParallel(func(pb *testing.PB) {
			for i := int(seed.Add(7919)); pb.Next(); i++ {
				m[benchKey[i%benchKeys]].Allow()
			}
		})
	})
}

// BenchmarkRedis measures Redis-mode decisions (one EVALSHA each, the server's time) against a
// local redis-server from 16 goroutines per P, as a single caller mostly waits on the network;
// decisions/s is reported.
func BenchmarkRedis(b *testing.B) {
	addr := startRedis(b)
	for _, keys := range []int{1, benchKeys} {
		b.Run(strconv.Itoa(keys)+"keys", func(b *testing.B) {
			l, err := NewReq(newRedisStore(b, addr, "bench"), 1e9, 1e9)
			if err != nil {
				b.Fatal(err)
			}
			var seed atomic.Int64
			b.SetParallelism(16)
			b.RunParallel(func(pb *testing.PB) {
				for i := int(seed.Add(7919)); pb.Next(); i++ {
					if _, _, err := l.Incoming(benchKey[i%keys], true); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
		})
	}
}
