package sharedict_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/goresty/goresty/sharedict"
)

func Example() {
	size, _ := sharedict.ParseSize("10m") // lua_shared_dict dogs 10m;
	dogs, err := sharedict.New("dogs", size)
	if err != nil {
		panic(err)
	}
	defer dogs.Close()

	dogs.Set("Jim", sharedict.Number(8), 0, 0)
	v, _, _ := dogs.Get("Jim")
	fmt.Println("Jim:", v)

	_, err = dogs.Add("Jim", sharedict.Number(9), 0, 0)
	fmt.Println("add:", err)

	n, _ := dogs.Incr("Jim", 1)
	fmt.Println("incr:", n)
	// Output:
	// Jim: 8
	// add: exists
	// incr: 9
}

// A rate counter per client and minute, as resty.limit.count keeps it: the first request of a
// window creates the key with a TTL, the others decrement it.
func ExampleDict_IncrInit() {
	d, _ := sharedict.New("counters", 1<<20)
	defer d.Close()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		remaining, _, _ := d.IncrInitAt(now.Add(time.Duration(i)*time.Second), "client:1", -1, 3, time.Minute)
		fmt.Println("remaining:", remaining)
	}
	ttl, _ := d.TTLAt(now.Add(2*time.Second), "client:1")
	fmt.Println("window ends in", ttl)
	// Output:
	// remaining: 2
	// remaining: 1
	// remaining: 0
	// window ends in 58s
}

// Expired values stay readable with GetStale until they are freed, which makes a dict a cache
// that can serve stale content while a fresh one is fetched. Get frees expired entries at the
// least recently used end of the dict before it looks up its key.
func ExampleDict_GetStale() {
	d, _ := sharedict.New("cache", 1<<20)
	defer d.Close()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d.SetAt(now, "page", sharedict.String("<html>"), time.Second, 0)

	later := now.Add(2 * time.Second)
	v, _, stale, _ := d.GetStaleAt(later, "page")
	fmt.Println("get_stale:", v, stale)
	v, _, _ = d.GetAt(later, "page")
	fmt.Println("get:", v)
	v, _, stale, _ = d.GetStaleAt(later, "page")
	fmt.Println("get_stale:", v, stale)
	// Output:
	// get_stale: <html> true
	// get: nil
	// get_stale: nil false
}

// A lock built on Add: only one caller at a time gets it; the TTL frees it if its holder dies.
func ExampleDict_Add() {
	d, _ := sharedict.New("locks", 1<<20)
	defer d.Close()
	_, err := d.Add("lock:job", sharedict.Bool(true), 30*time.Second, 0)
	fmt.Println("first:", err)
	_, err = d.Add("lock:job", sharedict.Bool(true), 30*time.Second, 0)
	fmt.Println("second:", err, errors.Is(err, sharedict.ErrExists))
	d.Delete("lock:job")
	_, err = d.Add("lock:job", sharedict.Bool(true), 30*time.Second, 0)
	fmt.Println("after release:", err)
	// Output:
	// first: <nil>
	// second: exists true
	// after release: <nil>
}

// A full dict evicts its least recently used entries and says so with forcible; SafeSet refuses
// instead.
func ExampleDict_Set_eviction() {
	d, _ := sharedict.New("small", 12<<10) // the smallest dict: room for 31 small numbers
	defer d.Close()
	for i := range 31 {
		d.Set(fmt.Sprint("k", i), sharedict.Number(float64(i)), 0, 0)
	}
	_, err := d.SafeSet("new", sharedict.Number(1), 0, 0)
	fmt.Println("safe_set:", err)
	forcible, err := d.Set("new", sharedict.Number(1), 0, 0)
	fmt.Println("set:", forcible, err)
	v, _, _ := d.Get("k0")
	fmt.Println("k0:", v)
	// Output:
	// safe_set: no memory
	// set: true <nil>
	// k0: nil
}

func ExampleDict_RPush() {
	d, _ := sharedict.New("queue", 1<<20)
	defer d.Close()
	d.RPush("jobs", sharedict.String("a"))
	n, _ := d.RPush("jobs", sharedict.String("b"))
	fmt.Println("length:", n)
	for {
		v, _ := d.LPop("jobs")
		if v.IsNil() {
			break
		}
		fmt.Println("job:", v)
	}
	// Output:
	// length: 2
	// job: a
	// job: b
}

func ExampleParseSize() {
	for _, s := range []string{"10m", "512k", "4096", "1g"} {
		n, err := sharedict.ParseSize(s)
		fmt.Println(n, err)
	}
	// Output:
	// 10485760 <nil>
	// 524288 <nil>
	// 4096 <nil>
	// 0 sharedict: invalid size "1g"
}
