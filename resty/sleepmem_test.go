//go:build !race

package resty_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// TestSleepingRequestsMemory holds 10,000 requests in ngx.sleep(1) at once, over real
// connections, and checks that all of them sleep at the same time and that the whole process
// (server and clients) stays under 500 MB of resident memory. (Not under -race, whose shadow
// memory would be measured too; .ci/run runs it separately.) The connections are made first
// and the requests sent together; an access hook then holds each request until all n have
// arrived, so that they sleep together however slowly a busy machine starts them.
func TestSleepingRequestsMemory(t *testing.T) {
	const n = 10000
	var arrived, sleeping, most atomic.Int64
	var first, last atomic.Int64 // when the first and the last request started (UnixNano)
	all := make(chan struct{})
	h, err := resty.New(resty.Config{
		Lua: resty.LuaConfig{MaxStates: n},
		Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{
			resty.Access(func(*ngx.Request) error {
				if arrived.Add(1) == n {
					close(all)
				}
				select {
				case <-all:
				case <-time.After(time.Minute): // fails below as fewer than n at once
				}
				now := sleeping.Add(1)
				for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
				}
				at := time.Now().UnixNano()
				first.CompareAndSwap(0, at)
				last.Store(at)
				return nil
			}),
			resty.LuaHook(ngx.PhaseContent, `ngx.sleep(1) ngx.print("ok")`),
			resty.Log(func(*ngx.Request) error { sleeping.Add(-1); return nil }),
		}}},
	})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	var peak int64
	var atPeak runtime.MemStats
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if rss := residentKB(t); rss > peak {
				peak = rss
				runtime.ReadMemStats(&atPeak)
			}
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()

	start := time.Now()
	ok := fetchAll(t, h, ln.Addr().String(), n)
	elapsed := time.Since(start)
	close(stop)
	<-sampled
	t.Logf("%d requests in %v (started over %v), at most %d at once, peak RSS %d MB (heap in use %d MB, stacks %d MB), GOMAXPROCS %d",
		ok, elapsed, time.Duration(last.Load()-first.Load()), most.Load(), peak/1024,
		atPeak.HeapInuse>>20, atPeak.StackInuse>>20, runtime.GOMAXPROCS(0))
	assert.Equal(t, n, ok, "requests answered ok")
	assert.Equal(t, int64(n), most.Load(), "requests sleeping at once")
	assert.Less(t, peak, int64(500*1024), "peak RSS in KB")
}

// fetchAll sends n requests for "/" at once and returns how many were answered "ok": each on
// its own connection to addr, made (and the request all but sent) before any request is
// completed, or to h in-process when the descriptor limit is too low for 2n connections (client
// and server ends).
func fetchAll(t *testing.T, h http.Handler, addr string, n int) int {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) != nil || lim.Cur < uint64(2*n+200) {
		t.Logf("descriptor limit %d too low for %d connections: serving in-process", lim.Cur, n)
		return fetchInProcess(h, n)
	}
	// A few clients share the connections, so that the clients' own goroutines and buffers
	// weigh little in the process's memory: the responses all come about a second after the
	// requests, so reading them one after the other costs no time.
	const clients = 64
	var ready, done sync.WaitGroup
	var ok atomic.Int64
	begin := make(chan struct{})
	for i := range clients {
		conns := make([]net.Conn, 0, n/clients+1)
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			defer func() {
				for _, c := range conns {
					c.Close()
				}
			}()
			for j := i; j < n; j += clients {
				c, err := net.Dial("tcp", addr)
				if err == nil {
					// All but the blank line that ends the request: the server reads it now
					// and waits for the rest, so that the requests start together.
					_, err = io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n")
				}
				if err != nil {
					t.Errorf("connection %d: %v", j, err)
					break
				}
				conns = append(conns, c)
			}
			ready.Done()
			<-begin
			for _, c := range conns {
				_, _ = io.WriteString(c, "\r\n")
			}
			br := bufio.NewReaderSize(nil, 512)
			for _, c := range conns {
				br.Reset(c)
				if body(br) == "ok" {
					ok.Add(1)
				}
			}
		}()
	}
	ready.Wait()
	close(begin)
	done.Wait()
	return int(ok.Load())
}

// fetchInProcess serves n requests for "/" by h at once, on goroutines started together.
func fetchInProcess(h http.Handler, n int) int {
	var ready, done sync.WaitGroup
	var ok atomic.Int64
	begin := make(chan struct{})
	for range n {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-begin
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			if w.Body.String() == "ok" {
				ok.Add(1)
			}
		}()
	}
	ready.Wait()
	close(begin)
	done.Wait()
	return int(ok.Load())
}

// body reads a response from br and returns its body, or the error.
func body(br *bufio.Reader) string {
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func residentKB(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status on this system")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return kb
		}
	}
	return 0
}
