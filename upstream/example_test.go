package upstream_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/goresty/goresty/upstream"
)

// echo serves lines back on a loopback port.
func echo() (addr string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadSlice('\n')
					if err != nil {
						return
					}
					_, _ = c.Write(line)
				}
			}()
		}
	}()
	return ln.Addr().String(), func() { _ = ln.Close() }
}

// A connection kept alive goes back to its pool (named after the address) and the next Dial
// takes it again, as tcpsock:setkeepalive and connect do.
func ExamplePools_Dial() {
	addr, stop := echo()
	defer stop()
	pools := upstream.NewPools()
	defer pools.Close()

	for range 3 {
		c, err := pools.Dial(context.Background(), "tcp", addr, upstream.DialOptions{Backlog: -1})
		if err != nil {
			panic(err)
		}
		_, _ = c.Write([]byte("ping\n"))
		line, _ := c.ReadLine()
		fmt.Println(string(line), c.Reused())
		if err := c.Keepalive(pools, 0, 10); err != nil { // no idle timeout, 10 idle at most
			panic(err)
		}
	}
	fmt.Println(pools.Pool(addr).Idle(), "idle")
	// Output:
	// ping 0
	// ping 1
	// ping 2
	// 1 idle
}

// A consistent hash sends a key to the same server for as long as the ring does not change.
// A third server takes about a third of the keys, and only keys that move to it move, as with
// resty.chash.
func ExampleNewCHash() {
	ring, err := upstream.NewCHash(map[string]int{"10.0.0.1:80": 1, "10.0.0.2:80": 1})
	if err != nil {
		panic(err)
	}
	before := map[string]string{}
	for i := range 300 {
		user := fmt.Sprint("user", i)
		before[user], _, _ = ring.Find(user)
	}
	_ = ring.Set("10.0.0.3:80", 1) // a third server takes its share
	moved, toNew := 0, 0
	for user, server := range before {
		if now, _, _ := ring.Find(user); now != server {
			moved++
			if now == "10.0.0.3:80" {
				toNew++
			}
		}
	}
	fmt.Println(ring.Points(), "points;", moved, "of 300 keys moved,", toNew, "of them to the new server")
	// Output: 480 points; 97 of 300 keys moved, 97 of them to the new server
}

// A weighted round robin gives each server its weight's share of every round, as
// resty.roundrobin does; the random start is fixed here to make the order reproducible.
func ExampleNewRoundRobinRand() {
	rr, err := upstream.NewRoundRobinRand(map[string]int{"a": 2, "b": 1}, func(int) int { return 1 })
	if err != nil {
		panic(err)
	}
	counts := map[string]int{}
	for range 6 {
		server, _ := rr.Find()
		counts[server]++
	}
	fmt.Println(counts["a"], counts["b"])
	// Output: 4 2
}

// A reverse proxy in front of an upstream group, as nginx's "upstream app { server a;
// server b weight=2; server c; }" with proxy_pass http://app: requests go round robin by
// weight, and the request that meets c, which refuses connections, is passed on to the next
// server (c is then left out for its fail_timeout).
func ExampleProxy() {
	backend := func(name string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "%s got %s %s", name, r.Method, r.URL.RequestURI())
		}))
	}
	a, b := backend("a"), backend("b")
	defer a.Close()
	defer b.Close()
	down := httptest.NewServer(nil)
	down.Close() // nothing listens there any more
	g, err := upstream.NewGroup("app", []upstream.Server{
		{Addr: strings.TrimPrefix(a.URL, "http://")},
		{Addr: strings.TrimPrefix(b.URL, "http://"), Weight: 2},
		{Addr: strings.TrimPrefix(down.URL, "http://")},
	})
	if err != nil {
		panic(err)
	}
	defer g.Close()
	proxy := &upstream.Proxy{Group: g}
	for i := range 4 {
		w := httptest.NewRecorder()
		proxy.ServeHTTP(w, httptest.NewRequest("GET", fmt.Sprintf("/page?n=%d", i), nil))
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 b got GET /page?n=0
	// 200 a got GET /page?n=1
	// 200 b got GET /page?n=2
	// 200 b got GET /page?n=3
}
