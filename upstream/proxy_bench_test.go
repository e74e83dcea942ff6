package upstream

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
)

// benchBackend is a keepalive HTTP/1.1 backend answering a short body; it reports the
// connections it accepted per request ("conns/op") to show the keepalive at work.
func benchBackend(b *testing.B) *httptest.Server {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "hello, world\n")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	b.Cleanup(func() {
		srv.Close()
		b.ReportMetric(float64(conns.Load())/float64(b.N), "conns/op")
	})
	return srv
}

// benchServe runs h on a GET with a few client fields, b.N times.
func benchServe(b *testing.B, h http.Handler) {
	req := httptest.NewRequest("GET", "http://client/path?q=1", nil)
	req.Header.Set("User-Agent", "bench")
	req.Header.Set("Accept", "*/*")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkProxy is Proxy.ServeHTTP with keepalive connections (proxy_http_version 1.1,
// proxy_set_header Connection "", keepalive 16).
func BenchmarkProxy(b *testing.B) {
	srv := benchBackend(b)
	p, err := NewURLProxy(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Group.Close()
	p.Group.Keepalive, p.HTTPVersion, p.SetHeader = 16, "1.1", []Field{{"Connection", ""}}
	benchServe(b, p)
}

// BenchmarkHTTPUtilReverseProxy is net/http/httputil's ReverseProxy to the same backend, for
// comparison.
func BenchmarkHTTPUtilReverseProxy(b *testing.B) {
	srv := benchBackend(b)
	u, err := url.Parse(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	defer tr.CloseIdleConnections()
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.Transport = tr
	benchServe(b, rp)
}
