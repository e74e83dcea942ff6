package upstream

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawBackend is a TCP server for the proxy tests: it records the bytes of each request it
// reads (head and Content-Length body) and lets answer reply on the connection, which it
// closes when answer returns. It closes everything when the test ends.
type rawBackend struct {
	ln       net.Listener
	answer   func(c net.Conn, br *bufio.Reader, req []byte)
	requests chan []byte
	accepted atomic.Int32
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
}

// startRawBackend starts a rawBackend; answer nil writes response to each request.
func startRawBackend(t testing.TB, response string, answer func(c net.Conn, br *bufio.Reader, req []byte)) *rawBackend {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	b := &rawBackend{ln: ln, answer: answer, requests: make(chan []byte, 100)}
	if answer == nil {
		b.answer = func(c net.Conn, _ *bufio.Reader, _ []byte) { _, _ = io.WriteString(c, response) }
	}
	b.wg.Add(1)
	go b.serve()
	t.Cleanup(b.close)
	return b
}

func (b *rawBackend) addr() string { return b.ln.Addr().String() }

func (b *rawBackend) serve() {
	defer b.wg.Done()
	for {
		c, err := b.ln.Accept()
		if err != nil {
			return
		}
		b.accepted.Add(1)
		b.mu.Lock()
		b.conns = append(b.conns, c)
		b.mu.Unlock()
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			defer c.Close()
			br := bufio.NewReader(c)
			req, err := readRawRequest(br)
			if err != nil {
				return
			}
			b.requests <- req
			b.answer(c, br, req)
		}()
	}
}

func (b *rawBackend) close() {
	_ = b.ln.Close()
	b.mu.Lock()
	for _, c := range b.conns {
		_ = c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
}

// request returns the next request the backend read.
func (b *rawBackend) request(t testing.TB) string {
	select {
	case req := <-b.requests:
		return string(req)
	case <-time.After(5 * time.Second):
		t.Fatal("the backend got no request")
		return ""
	}
}

// readRawRequest reads a request head and its Content-Length body, as bytes.
func readRawRequest(br *bufio.Reader) ([]byte, error) {
	var req []byte
	length := 0
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return nil, err
		}
		req = append(req, line...)
		if name, value, ok := strings.Cut(string(line), ":"); ok && strings.EqualFold(name, "Content-Length") {
			length, _ = strconv.Atoi(strings.TrimSpace(value))
		}
		if string(line) == "\r\n" {
			break
		}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(br, body); err != nil {
		return nil, err
	}
	return append(req, body...), nil
}

// silent reads a request and waits, without answering, until the connection closes.
func silent(c net.Conn, br *bufio.Reader, _ []byte) { _, _ = io.Copy(io.Discard, br) }

// newTestProxy returns a Proxy to a group of servers, closed when the test ends.
func newTestProxy(t *testing.T, servers ...Server) *Proxy {
	g, err := NewGroup("backend", servers)
	require.NoError(t, err)
	t.Cleanup(g.Close)
	return &Proxy{Group: g}
}

// doBody sends out and returns the response and its body.
func doBody(t *testing.T, p *Proxy, out *Outgoing) (*Response, string) {
	resp, err := p.Do(context.Background(), out)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, string(body)
}

// refusedAddr is an address nothing listens on.
func refusedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

const okResponse = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"

func TestProxyRequestOnTheWire(t *testing.T) {
	for _, tc := range []struct{ version, want string }{
		{"", "POST /a?b=1 HTTP/1.0\r\nHost: x\r\nConnection: close\r\nX-B: 2\r\nX-A: 1\r\nContent-Length: 5\r\n\r\nhello"},
		{"1.1", "POST /a?b=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-B: 2\r\nX-A: 1\r\nContent-Length: 5\r\n\r\nhello"},
	} {
		t.Run("HTTP/"+tc.version, func(t *testing.T) {
			b := startRawBackend(t, okResponse, nil)
			p := newTestProxy(t, Server{Addr: b.addr()})
			p.HTTPVersion = tc.version
			resp, body := doBody(t, p, &Outgoing{Method: "POST", URI: "/a?b=1", Body: []byte("hello"),
				Header: []Field{{"Host", "x"}, {"Connection", "close"}, {"X-Empty", ""}, {"X-B", "2"}, {"X-A", "1"}}})
			assert.Equal(t, tc.want, b.request(t))
			assert.Equal(t, 200, resp.Status)
			assert.Equal(t, "ok", body)
			require.Len(t, resp.Attempts, 1)
			assert.Equal(t, b.addr(), resp.Attempts[0].Addr)
			assert.Equal(t, 200, resp.Attempts[0].Status)
		})
	}
}

func TestProxyResponseBodies(t *testing.T) {
	for _, tc := range []struct{ name, response, method, body, proto string }{
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "GET", "hello world", "HTTP/1.1"},
		{"close-delimited", "HTTP/1.0 200 OK\r\n\r\nall of it", "GET", "all of it", "HTTP/1.0"},
		{"length", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef", "GET", "abc", "HTTP/1.1"},
		{"HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", "HEAD", "", "HTTP/1.1"},
		{"HTTP/0.9", "garbage\r\nmore", "GET", "garbage\r\nmore", "HTTP/0.9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := startRawBackend(t, tc.response, nil)
			p := newTestProxy(t, Server{Addr: b.addr()})
			resp, body := doBody(t, p, &Outgoing{Method: tc.method})
			assert.Equal(t, 200, resp.Status)
			assert.Equal(t, tc.proto, resp.Proto)
			assert.Equal(t, tc.body, body)
		})
	}
}

// keepaliveBackend is an HTTP/1.1 server that counts the connections it accepts.
func keepaliveBackend(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

func TestProxyKeepalive(t *testing.T) {
	srv, conns := keepaliveBackend(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello "+r.URL.Path)
	})
	addr := strings.TrimPrefix(srv.URL, "http://")
	send := func(p *Proxy, fields []Field, read bool) {
		resp, err := p.Do(context.Background(), &Outgoing{URI: "/x", Header: fields})
		require.NoError(t, err)
		if read {
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, "hello /x", string(body))
		}
		require.NoError(t, resp.Body.Close())
	}
	host := []Field{{"Host", "x"}, {"Connection", ""}}
	for _, tc := range []struct {
		name      string
		version   string
		keepalive int
		fields    []Field
		read      bool
		want      int32
	}{
		{"reused", "1.1", 2, host, true, 1},
		{"no keepalive", "1.1", 0, host, true, 3},
		{"HTTP/1.0", "1.0", 2, host, true, 3},
		{"Connection: close", "1.1", 2, []Field{{"Host", "x"}, {"Connection", "close"}}, true, 3},
		// Go's server answers at once, so the body is in the buffer and Close finds its end.
		{"body unread but buffered", "1.1", 2, host, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conns.Store(0)
			p := newTestProxy(t, Server{Addr: addr})
			p.HTTPVersion, p.Group.Keepalive = tc.version, tc.keepalive
			for range 3 {
				send(p, tc.fields, tc.read)
			}
			assert.Equal(t, tc.want, conns.Load())
		})
	}
}

func TestProxyKeepaliveRequests(t *testing.T) {
	srv, conns := keepaliveBackend(t, func(w http.ResponseWriter, r *http.Request) {})
	p := newTestProxy(t, Server{Addr: strings.TrimPrefix(srv.URL, "http://")})
	p.HTTPVersion, p.Group.Keepalive, p.Group.KeepaliveRequests = "1.1", 1, 2
	for range 4 {
		doBody(t, p, &Outgoing{Header: []Field{{"Host", "x"}}})
	}
	assert.Equal(t, int32(2), conns.Load(), "two requests per connection")
}

func TestProxyBodyUnreadClosesTheConnection(t *testing.T) {
	unblock := make(chan struct{})
	srv, conns := keepaliveBackend(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "first")
		w.(http.Flusher).Flush()
		<-unblock
		_, _ = io.WriteString(w, "second")
	})
	defer close(unblock)
	addr := strings.TrimPrefix(srv.URL, "http://")
	p := newTestProxy(t, Server{Addr: addr})
	p.HTTPVersion, p.Group.Keepalive = "1.1", 2
	resp, err := p.Do(context.Background(), &Outgoing{Header: []Field{{"Host", "x"}}})
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.False(t, p.Group.pools.HasIdle(addr), "a connection with body left is not kept")
	assert.Equal(t, int32(1), conns.Load())
}

func TestProxyNextUpstreamOnRefusedConnection(t *testing.T) {
	b := startRawBackend(t, okResponse, nil)
	refused := refusedAddr(t)
	p := newTestProxy(t, Server{Addr: refused}, Server{Addr: b.addr()})
	resp, body := doBody(t, p, &Outgoing{})
	assert.Equal(t, "ok", body)
	require.Len(t, resp.Attempts, 2)
	assert.Equal(t, []string{refused, b.addr()}, []string{resp.Attempts[0].Addr, resp.Attempts[1].Addr})
	assert.Equal(t, []int{502, 200}, []int{resp.Attempts[0].Status, resp.Attempts[1].Status})
	assert.Equal(t, time.Duration(-1), resp.Attempts[0].Connect)
	assert.Positive(t, resp.Attempts[1].Header)
	assert.Equal(t, "connect() failed (111: Connection refused) while connecting to upstream", resp.Attempts[0].Err)
	assert.True(t, resp.Attempts[0].Disabled, "max_fails=1 reached: nginx warns the server is disabled")
	assert.Empty(t, resp.Attempts[1].Err)
	assert.False(t, resp.Attempts[1].Disabled)

	resp, _ = doBody(t, p, &Outgoing{})
	require.Len(t, resp.Attempts, 1, "the refused server failed max_fails=1 times")
	assert.Equal(t, b.addr(), resp.Attempts[0].Addr)
}

func TestProxyBackupAndDown(t *testing.T) {
	b := startRawBackend(t, okResponse, nil)
	refused := refusedAddr(t)
	for _, tc := range []struct {
		name    string
		servers []Server
		want    []string
	}{
		{"primary fails", []Server{{Addr: refused}, {Addr: b.addr(), Backup: true}}, []string{refused, b.addr()}},
		{"primary down", []Server{{Addr: refused, Down: true}, {Addr: b.addr(), Backup: true}}, []string{b.addr()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestProxy(t, tc.servers...)
			resp, _ := doBody(t, p, &Outgoing{})
			var addrs []string
			for _, a := range resp.Attempts {
				addrs = append(addrs, a.Addr)
			}
			assert.Equal(t, tc.want, addrs)
		})
	}
}

// proxyError runs out through p and returns the ProxyError it fails with.
func proxyError(t *testing.T, p *Proxy, out *Outgoing) *ProxyError {
	resp, err := p.Do(context.Background(), out)
	if resp != nil {
		_ = resp.Body.Close()
	}
	var pe *ProxyError
	require.ErrorAs(t, err, &pe)
	return pe
}

func TestProxyFailures(t *testing.T) {
	for _, tc := range []struct {
		name     string
		response string
		answer   func(net.Conn, *bufio.Reader, []byte)
		status   int
		msg      string
	}{
		{"read timeout", "", silent, 504,
			"upstream timed out (110: Connection timed out) while reading response header from upstream"},
		{"invalid header", "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n", nil, 502, "upstream sent invalid header: "},
		{"premature close", "", func(net.Conn, *bufio.Reader, []byte) {}, 502,
			"upstream prematurely closed connection while reading response header from upstream"},
		{"close in header", "HTTP/1.1 200 OK\r\nA: b\r\n", nil, 502,
			"upstream prematurely closed connection while reading response header from upstream"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := startRawBackend(t, tc.response, tc.answer)
			p := newTestProxy(t, Server{Addr: b.addr()})
			p.ReadTimeout = 100 * time.Millisecond
			pe := proxyError(t, p, &Outgoing{})
			assert.Equal(t, tc.status, pe.Status)
			assert.Contains(t, pe.Msg, tc.msg)
			assert.Equal(t, b.addr(), pe.Addr)
			require.Len(t, pe.Attempts, 1)
			assert.Equal(t, tc.status, pe.Attempts[0].Status)
		})
	}
	t.Run("refused", func(t *testing.T) {
		p := newTestProxy(t, Server{Addr: refusedAddr(t)})
		pe := proxyError(t, p, &Outgoing{})
		assert.Equal(t, 502, pe.Status)
		assert.Equal(t, "connect() failed (111: Connection refused) while connecting to upstream", pe.Msg)
	})
}

func TestProxyNoLiveUpstreams(t *testing.T) {
	p := newTestProxy(t, Server{Addr: "a:1", Down: true}, Server{Addr: "b:1", Down: true})
	pe := proxyError(t, p, &Outgoing{})
	assert.Equal(t, 502, pe.Status)
	assert.Equal(t, "no live upstreams while connecting to upstream", pe.Msg)
	assert.Equal(t, []Attempt{{Addr: "backend", Status: 502, Connect: -1, Header: -1, Err: "no live upstreams while connecting to upstream"}}, pe.Attempts)

	refused := refusedAddr(t)
	p = newTestProxy(t, Server{Addr: refused}, Server{Addr: refusedAddr(t)})
	proxyError(t, p, &Outgoing{}) // both fail max_fails=1
	pe = proxyError(t, p, &Outgoing{})
	assert.Equal(t, "no live upstreams while connecting to upstream", pe.Msg)
}

func TestProxyNextUpstreamStatus(t *testing.T) {
	bad := startRawBackend(t, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad", nil)
	good := startRawBackend(t, okResponse, nil)
	for _, tc := range []struct {
		name     string
		next     NextUpstream
		tries    int
		servers  []string
		status   []int
		response int
	}{
		{"http_502", NextError | NextHTTP502, 0, []string{bad.addr(), good.addr()}, []int{502, 200}, 200},
		{"default passes 502", 0, 0, []string{bad.addr(), good.addr()}, []int{502}, 502},
		{"last try returns as is", NextHTTP502, 0, []string{bad.addr(), bad.addr()}, []int{502, 502}, 502},
		{"tries 1", NextHTTP502, 1, []string{bad.addr(), good.addr()}, []int{502}, 502},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var servers []Server
			for _, a := range tc.servers {
				servers = append(servers, Server{Addr: a})
			}
			p := newTestProxy(t, servers...)
			p.NextUpstream, p.NextUpstreamTries = tc.next, tc.tries
			resp, _ := doBody(t, p, &Outgoing{})
			assert.Equal(t, tc.response, resp.Status)
			var status []int
			for _, a := range resp.Attempts {
				status = append(status, a.Status)
			}
			assert.Equal(t, tc.status, status)
		})
	}
}

func TestProxyNonIdempotent(t *testing.T) {
	closing := startRawBackend(t, "", func(net.Conn, *bufio.Reader, []byte) {})
	good := startRawBackend(t, okResponse, nil)
	for _, tc := range []struct {
		name   string
		method string
		next   NextUpstream
		want   int // attempts
	}{
		{"GET retried", "GET", 0, 2},
		{"POST not retried", "POST", 0, 1},
		{"POST with non_idempotent", "POST", NextError | NextNonIdempotent, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestProxy(t, Server{Addr: closing.addr()}, Server{Addr: good.addr()})
			p.NextUpstream = tc.next
			resp, err := p.Do(context.Background(), &Outgoing{Method: tc.method})
			var attempts []Attempt
			if err == nil {
				attempts = resp.Attempts
				_ = resp.Body.Close()
			} else {
				var pe *ProxyError
				require.ErrorAs(t, err, &pe)
				attempts = pe.Attempts
			}
			assert.Len(t, attempts, tc.want)
		})
	}
}

func TestProxyContextCancel(t *testing.T) {
	b := startRawBackend(t, "", silent)
	p := newTestProxy(t, Server{Addr: b.addr()})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := p.Do(ctx, &Outgoing{})
	require.ErrorIs(t, err, context.Canceled)
	var pe *ProxyError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 499, pe.Status)
	assert.Less(t, time.Since(start), 5*time.Second)

	// While the body is read.
	b = startRawBackend(t, "", func(c net.Conn, br *bufio.Reader, _ []byte) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")
		silent(c, br, nil)
	})
	p = newTestProxy(t, Server{Addr: b.addr()})
	ctx, cancel = context.WithCancel(context.Background())
	resp, err := p.Do(ctx, &Outgoing{})
	require.NoError(t, err)
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = io.ReadAll(resp.Body)
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, resp.Body.Close())
}

func TestProxyBodyReadTimeout(t *testing.T) {
	b := startRawBackend(t, "", func(c net.Conn, br *bufio.Reader, _ []byte) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")
		silent(c, br, nil)
	})
	p := newTestProxy(t, Server{Addr: b.addr()})
	p.ReadTimeout = 100 * time.Millisecond
	resp, err := p.Do(context.Background(), &Outgoing{})
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	assert.Equal(t, "half", string(body))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "upstream timed out (110: Connection timed out) while reading upstream")
	require.NoError(t, resp.Body.Close())
}

func TestNewURLProxy(t *testing.T) {
	p, err := NewURLProxy("http://127.0.0.1:8080")
	require.NoError(t, err)
	defer p.Group.Close()
	assert.Equal(t, "127.0.0.1:8080", p.Group.Name)
	p2, err := NewURLProxy("http://localhost/")
	require.NoError(t, err)
	defer p2.Group.Close()
	assert.Equal(t, "localhost:80", p2.Group.tiers[0][0].addr)
	for _, bad := range []string{"ftp://a", "http://", "http://a/b", "http://a?x"} {
		_, err := NewURLProxy(bad)
		assert.Error(t, err, bad)
	}
}

func TestDefaultFields(t *testing.T) {
	h := http.Header{"Accept": {"*/*"}, "X-Multi": {"1", "2"}, "Connection": {"keep-alive"},
		"Keep-Alive": {"300"}, "Te": {"trailers"}, "Expect": {"100-continue"}, "Upgrade": {"x"},
		"Content-Length": {"9"}, "Transfer-Encoding": {"chunked"}, "Accept-Encoding": {"gzip"}}
	assert.Equal(t, []Field{{"Host", "h"}, {"Connection", "close"}, {"Content-Length", "5"},
		{"Accept", "*/*"}, {"Accept-Encoding", "gzip"}, {"X-Multi", "1"}, {"X-Multi", "2"}},
		DefaultFields(h, "h", nil, 5))
	assert.Equal(t, []Field{{"X-Foo", "bar"}, {"Connection", ""}, {"Accept-Encoding", ""}, {"Host", "h"},
		{"Accept", "*/*"}, {"X-Multi", "1"}, {"X-Multi", "2"}},
		DefaultFields(h, "h", []Field{{"X-Foo", "bar"}, {"Connection", ""}, {"Accept-Encoding", ""}}, -1))
}

func TestCopyHeader(t *testing.T) {
	src := http.Header{"Date": {"d"}, "Server": {"s"}, "X-Pad": {"p"}, "Connection": {"close"},
		"Keep-Alive": {"timeout=5"}, "Set-Cookie": {"a=1", "b=2"}, "Content-Length": {"2"}}
	dst := http.Header{}
	CopyHeader(dst, src, DefaultHiddenHeaders, []string{"server"})
	assert.Equal(t, http.Header{"Server": {"s"}, "Set-Cookie": {"a=1", "b=2"}, "Content-Length": {"2"}}, dst)
}

func TestProxyServeHTTP(t *testing.T) {
	b := startRawBackend(t, "HTTP/1.1 201 Created\r\nServer: b\r\nX-Accel-Expires: 1\r\nX-Other: o\r\n"+
		"Content-Length: 4\r\n\r\nmade", nil)
	p, err := NewURLProxy("http://" + b.addr())
	require.NoError(t, err)
	defer p.Group.Close()
	srv := httptest.NewServer(p)
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/p?q=1", "text/plain", strings.NewReader("body"))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "made", string(body))
	assert.Equal(t, "o", resp.Header.Get("X-Other"))
	assert.Empty(t, resp.Header.Values("Server"))
	assert.Empty(t, resp.Header.Values("X-Accel-Expires"))
	req := b.request(t)
	assert.True(t, strings.HasPrefix(req, "POST /p?q=1 HTTP/1.0\r\nHost: "+b.addr()+"\r\nConnection: close\r\nContent-Length: 4\r\n"), req)
	assert.True(t, strings.HasSuffix(req, "\r\n\r\nbody"), req)

	refused, err := NewURLProxy("http://" + refusedAddr(t))
	require.NoError(t, err)
	defer refused.Group.Close()
	rec := httptest.NewRecorder()
	refused.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, 502, rec.Code)
}

func TestProxyErrorUnwraps(t *testing.T) {
	err := error(&ProxyError{Status: 499, Msg: "m", Err: context.Canceled})
	assert.True(t, errors.Is(err, context.Canceled))
	assert.Equal(t, "m", err.Error())
}
