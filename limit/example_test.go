package limit_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/goresty/goresty/limit"
	"github.com/goresty/goresty/sharedict"
)

// A leaky bucket of 2 requests per second with a burst of 10, the clock standing still: each
// request on a key adds one to its excess and should wait excess/rate seconds.
func ExampleReq() {
	dict, _ := sharedict.New("store", 1<<20)
	defer dict.Close()
	lim, _ := limit.NewReq(dict, 2, 10)
	now := time.Now()
	for range 2 {
		delay, excess, err := lim.IncomingAt(now, "client", true)
		fmt.Println(delay, excess, err)
	}
	// Output:
	// 0 0 <nil>
	// 0.5 1 <nil>
}

// A fixed window of 2 requests per minute: the third is rejected.
func ExampleCount() {
	dict, _ := sharedict.New("store", 1<<20)
	defer dict.Close()
	lim, _ := limit.NewCount(dict, 2, 60)
	for range 3 {
		_, remaining, err := lim.Incoming("client", true)
		if errors.Is(err, limit.ErrRejected) {
			fmt.Println("rejected")
			continue
		}
		fmt.Println("remaining", remaining)
	}
	// Output:
	// remaining 1
	// remaining 0
	// rejected
}

// Up to 2 requests at once per key, a third one delayed by the unit delay, a fourth rejected;
// each admitted request leaves when it is done.
func ExampleConn() {
	dict, _ := sharedict.New("store", 1<<20)
	defer dict.Close()
	lim, _ := limit.NewConn(dict, 2, 1, 0.5)
	for range 4 {
		delay, conn, err := lim.Incoming("client", true)
		fmt.Println(delay, conn, err)
	}
	left, _ := lim.Leaving("client", 0.1)
	fmt.Println(left, lim.UnitDelay())
	// Output:
	// 0 1 <nil>
	// 0 2 <nil>
	// 0.5 3 <nil>
	// 0 0 rejected
	// 2 0.3
}

// Combine admits a request only if every limiter does, with the largest delay.
func ExampleCombine() {
	dict, _ := sharedict.New("store", 1<<20)
	defer dict.Close()
	perClient, _ := limit.NewReq(dict, 2, 10)
	perHost, _ := limit.NewCount(dict, 100, 60)
	now := time.Now() // the clock standing still, so that the output does not depend on timing
	perClient.SetClock(func() time.Time { return now })
	perHost.SetClock(func() time.Time { return now })
	states := make([]float64, 2)
	for range 2 {
		delay, err := limit.Combine([]limit.Limiter{perClient, perHost}, []string{"client:1", "host:a"}, states)
		fmt.Println(delay, err, states)
	}
	// Output:
	// 0 <nil> [0 99]
	// 0.5 <nil> [1 98]
}

// The middleware rejects with 429 and tells the client when to come back.
func ExampleMiddleware() {
	dict, _ := sharedict.New("store", 1<<20)
	defer dict.Close()
	lim, _ := limit.NewCount(dict, 1, 60)
	h := limit.Middleware(limit.Config{Limiter: lim})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello")
	}))
	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
		fmt.Printf("%d remaining=%s retry-after=%q\n", w.Code, w.Header().Get("RateLimit-Remaining"), w.Header().Get("Retry-After"))
	}
	// Output:
	// 200 remaining=0 retry-after=""
	// 429 remaining=0 retry-after="60"
}
