package sharedict

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dgraph-io/ristretto/v2"
)

// The benchmarks compare the Dict with a sync.Map and with raw ristretto (string keys, Set
// without Wait, so not exact) on the same 1024 keys; the Parallel variants show how throughput
// scales with -cpu when every goroutine uses every key, BenchmarkDisjoint when each uses its own.

const benchKeys = 1024

var benchKey = func() []string {
	k := make([]string, benchKeys)
	for i := range k {
		k[i] = "key:" + strconv.Itoa(i)
	}
	return k
}()

func benchDict(b *testing.B) *Dict {
	d, err := New("bench", 64<<20)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(d.Close)
	for _, k := range benchKey {
		if _, err := d.Set(k, Number(1), 0, 0); err != nil {
			b.Fatal(err)
		}
	}
	return d
}

func benchSyncMap() *sync.Map {
	var m sync.Map
	for _, k := range benchKey {
		m.Store(k, Number(1))
	}
	return &m
}

func benchRistretto(b *testing.B) *ristretto.Cache[string, Value] {
	c, err := ristretto.NewCache(&ristretto.Config[string, Value]{
		NumCounters: 10 * benchKeys, MaxCost: 1 << 30, BufferItems: 64,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	for _, k := range benchKey {
		c.Set(k, Number(1), 1)
	}
	c.Wait()
	return c
}

// parallel runs f on each benchmark goroutine with its own starting key.
func parallel(b *testing.B, f func(key string)) {
	var seed atomic.Uint64
	b.RunParallel(func(pb *testing.PB) {
		i := rand.New(rand.NewPCG(seed.Add(1), 1)).IntN(benchKeys)
		for pb.Next() {
			f(benchKey[i&(benchKeys-1)])
			i++
		}
	})
}

// disjoint runs f on each benchmark goroutine with its own share of the keys, so that goroutines
// write no entry in common.
func disjoint(b *testing.B, f func(key string)) {
	var next atomic.Int64
	share := benchKeys / runtime.GOMAXPROCS(0)
	b.RunParallel(func(pb *testing.PB) {
		first := int(next.Add(1)-1) * share % benchKeys
		for i := 0; pb.Next(); i++ {
			f(benchKey[first+i%share])
		}
	})
}

func serial(b *testing.B, f func(key string)) {
	for i := 0; b.Loop(); i++ {
		f(benchKey[i&(benchKeys-1)])
	}
}

func BenchmarkGet(b *testing.B)         { benchGet(b, serial) }
func BenchmarkGetParallel(b *testing.B) { benchGet(b, parallel) }

func benchGet(b *testing.B, run func(*testing.B, func(string))) {
	b.Run("Dict", func(b *testing.B) {
		d := benchDict(b)
		run(b, func(k string) { d.Get(k) })
	})
	b.Run("SyncMap", func(b *testing.B) {
		m := benchSyncMap()
		run(b, func(k string) { m.Load(k) })
	})
	b.Run("Ristretto", func(b *testing.B) {
		c := benchRistretto(b)
		run(b, func(k string) { c.Get(k) })
	})
}

func BenchmarkSet(b *testing.B)         { benchSet(b, serial) }
func BenchmarkSetParallel(b *testing.B) { benchSet(b, parallel) }

func benchSet(b *testing.B, run func(*testing.B, func(string))) {
	b.Run("Dict", func(b *testing.B) {
		d := benchDict(b)
		run(b, func(k string) { d.Set(k, Number(2), 0, 0) })
	})
	b.Run("SyncMap", func(b *testing.B) {
		m := benchSyncMap()
		run(b, func(k string) { m.Store(k, Number(2)) })
	})
	b.Run("Ristretto", func(b *testing.B) {
		c := benchRistretto(b)
		run(b, func(k string) { c.Set(k, Number(2), 1) })
	})
}

func BenchmarkIncr(b *testing.B)         { benchIncr(b, serial) }
func BenchmarkIncrParallel(b *testing.B) { benchIncr(b, parallel) }

func benchIncr(b *testing.B, run func(*testing.B, func(string))) {
	b.Run("Dict", func(b *testing.B) {
		d := benchDict(b)
		run(b, func(k string) { d.Incr(k, 1) })
	})
	// The least any exact counter can do: one atomic add per call on a per-key counter. In the
	// Parallel variant every core adds to every key, so each add usually waits for the counter's
	// cache line to come from another core; this bounds how Incr can scale.
	b.Run("AtomicPerKey", func(b *testing.B) {
		m := make(map[string]*atomic.Int64, benchKeys)
		for _, k := range benchKey {
			m[k] = new(atomic.Int64)
		}
		run(b, func(k string) { m[k].Add(1) })
	})
}

// BenchmarkDisjoint is the Parallel benchmarks with keys that goroutines do not share (think of
// per-client rate-limit counters): what is left shared is the dict's LRU stamp counter and
// ristretto's internals.
func BenchmarkDisjoint(b *testing.B) {
	b.Run("Get", func(b *testing.B) {
		d := benchDict(b)
		disjoint(b, func(k string) { d.Get(k) })
	})
	b.Run("Set", func(b *testing.B) {
		d := benchDict(b)
		disjoint(b, func(k string) { d.Set(k, Number(2), 0, 0) })
	})
	b.Run("Incr", func(b *testing.B) {
		d := benchDict(b)
		disjoint(b, func(k string) { d.Incr(k, 1) })
	})
}

// BenchmarkRedis measures a RedisDict against a local redis-server: one round trip per call
// (Incr runs its script with EVALSHA), from 16 goroutines per P, since a single caller mostly
// waits for the network; ops/s is 1e9 / (ns/op).
func BenchmarkRedis(b *testing.B) {
	d := NewRedis(startRedis(b), "bench", 0)
	for _, k := range benchKey {
		if _, err := d.Set(k, Number(1), 0, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("Get", func(b *testing.B) { b.SetParallelism(16); parallel(b, func(k string) { d.Get(k) }) })
	b.Run("Set", func(b *testing.B) { b.SetParallelism(16); parallel(b, func(k string) { d.Set(k, Number(2), 0, 0) }) })
	b.Run("Incr", func(b *testing.B) { b.SetParallelism(16); parallel(b, func(k string) { d.Incr(k, 1) }) })
}

// BenchmarkIncrInitTTL is resty.limit.count's call: keys with an expiry, so every call first
// checks the least recently used entry of the dict for expiry, reading the clock.
func BenchmarkIncrInitTTL(b *testing.B) {
	d := benchDict(b)
	for _, k := range benchKey {
		d.Set(k, Number(1), time.Hour, 0)
	}
	b.Run("Serial", func(b *testing.B) { serial(b, func(k string) { d.IncrInit(k, -1, 100, time.Minute) }) })
	b.Run("Parallel", func(b *testing.B) { parallel(b, func(k string) { d.IncrInit(k, -1, 100, time.Minute) }) })
}
