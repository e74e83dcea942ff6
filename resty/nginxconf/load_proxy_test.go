package nginxconf

import (
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingBackend is an HTTP server that counts the connections it accepted and answers with
// the request line and the fields the test looks at.
func countingBackend(t *testing.T) (addr string, conns *atomic.Int64) {
	t.Helper()
	conns = new(atomic.Int64)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", r.URL.Query().Get("cc"))
		fmt.Fprintf(w, "%s %s %s conn=%q xff=%q", r.Method, r.RequestURI, r.Proto,
			r.Header.Get("Connection"), r.Header.Get("X-Forwarded-For"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), conns
}

func proxyGet(t *testing.T, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", target, nil)
	r.RemoteAddr = "10.0.0.7:1234"
	h.ServeHTTP(w, r)
	return w
}

func TestProxyKeepaliveToUpstreamBlock(t *testing.T) {
	addr, conns := countingBackend(t)
	h, err := LoadSnippet(`
        location /ka/ {
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_pass http://ka_up/;
        }
        location /close/ { proxy_pass http://ka_up/; }`,
		"upstream ka_up { server "+addr+"; keepalive 4; }", LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	defer h.(interface{ Close() }).Close()
	for i := range 5 {
		w := proxyGet(t, h, fmt.Sprintf("/ka/x%d?a=1", i))
		require.Equal(t, 200, w.Code)
		assert.Equal(t, fmt.Sprintf(`GET /x%d?a=1 HTTP/1.1 conn="" xff="10.0.0.7"`, i), w.Body.String())
	}
	assert.EqualValues(t, 1, conns.Load(), "HTTP/1.1 without Connection: close reuses one connection")
	for range 2 {
		w := proxyGet(t, h, "/close/y")
		assert.Equal(t, `GET /y HTTP/1.0 conn="close" xff=""`, w.Body.String())
	}
	// The first takes the idle connection, which the backend then closes; the second dials.
	assert.EqualValues(t, 2, conns.Load(), "nginx's defaults: HTTP/1.0 and Connection: close")
}

func TestProxyCacheZonesAreShared(t *testing.T) {
	addr, conns := countingBackend(t)
	h, err := LoadSnippet(`
        location /a/ { proxy_cache z; proxy_cache_key $uri; proxy_pass http://`+addr+`/; add_header X-Cache $upstream_cache_status; }
        location /b/ { proxy_cache z; proxy_cache_key $uri; proxy_pass http://`+addr+`/; add_header X-Cache $upstream_cache_status; }
        location /off/ { proxy_cache off; proxy_pass http://`+addr+`/; add_header X-Cache "[$upstream_cache_status]"; }`,
		"proxy_cache z; proxy_cache_path /nonexistent keys_zone=z:1m inactive=1h max_size=10m; proxy_cache_valid 200 1m;",
		LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	defer h.(interface{ Close() }).Close()
	w := proxyGet(t, h, "/a/k")
	assert.Equal(t, "MISS", w.Header().Get("X-Cache"))
	w = proxyGet(t, h, "/a/k")
	assert.Equal(t, "HIT", w.Header().Get("X-Cache"), "proxy_cache_valid inherited from http")
	w = proxyGet(t, h, "/b/k")
	assert.Equal(t, "MISS", w.Header().Get("X-Cache"), "another key ($uri differs)")
	w = proxyGet(t, h, "/off/k")
	assert.Equal(t, "[]", w.Header().Get("X-Cache"), "proxy_cache off: no status")
	assert.EqualValues(t, 3, conns.Load())
}

func TestProxyDirectiveErrors(t *testing.T) {
	for _, tc := range []struct{ http, server, want string }{
		{"", `location / { proxy_ssl_verify on; proxy_pass https://x; }`, `no proxy_ssl_trusted_certificate for proxy_ssl_verify`},
		{"", `location / { proxy_ssl_trusted_certificate /nonexistent.pem; proxy_pass https://x; }`, `/nonexistent.pem`},
		{"", `location / { proxy_ssl_certificate /x.pem; proxy_pass https://x; }`, `no "proxy_ssl_certificate_key" is defined for certificate "/x.pem"`},
		{"", `location / { proxy_ssl_protocols TLSv9; proxy_pass https://x; }`, `invalid value "TLSv9" in proxy_ssl_protocols`},
		{"", `location / { proxy_ssl_verify_depth x; proxy_pass https://x; }`, `invalid value "x" in "proxy_ssl_verify_depth" directive`},
		{"", `location / { proxy_pass ftp://x; }`, `invalid URL prefix in "ftp://x"`},
		{"", `location / { proxy_pass http://x:99999; }`, `invalid port in upstream "x:99999"`},
		{"", `location @n { proxy_pass http://x/y; }`, `"proxy_pass" cannot have URI part`},
		{"", `location / { proxy_http_version 2.0; proxy_pass http://x; }`, `invalid value "2.0" in "proxy_http_version" directive`},
		{"", `location / { proxy_next_upstream error off; proxy_pass http://x; }`, `invalid value "off"`},
		{"", `location / { proxy_next_upstream bogus; proxy_pass http://x; }`, `invalid value "bogus"`},
		{"", `location / { proxy_cache_valid 99 1m; proxy_pass http://x; }`, `invalid status "99"`},
		{"", `location / { proxy_cache_use_stale sometimes; proxy_pass http://x; }`, `invalid value "sometimes"`},
		{"", `location / { proxy_cache_min_uses 0; proxy_pass http://x; }`, `invalid value "0" in "proxy_cache_min_uses"`},
		{"", `location / { proxy_ignore_headers X-Nope; proxy_pass http://x; }`, `invalid value "X-Nope"`},
		{"", `location / { proxy_redirect ~^a b; proxy_pass http://x; }`, `regular expressions in "proxy_redirect" are not supported yet`},
		{"", `location / { proxy_store on; proxy_pass http://x; }`, `"proxy_store" directive is not supported yet`},
		{"upstream u { }", `location / { proxy_pass http://u; }`, `no servers are inside upstream`},
		{"upstream u { server a:1 weight=0; }", `location / { proxy_pass http://u; }`, `invalid parameter "weight=0"`},
		{"upstream u { server a:1 slow_start=1s; }", `location / { proxy_pass http://u; }`, `server parameter "slow_start" is not supported yet`},
		{"upstream u { server a:1; } upstream u { server b:1; }", ``, `duplicate upstream "u"`},
		{"upstream u { random; server a:1; }", ``, `"random" directive is not supported yet`},
		{"upstream u { hash $uri; server a:1 backup; }", ``, `balancing method does not support parameter "backup"`},
		{"upstream u { hash $uri bogus; server a:1; }", ``, `invalid parameter "bogus"`},
		{"upstream u { hash; server a:1; }", ``, `invalid number of arguments in "hash" directive`},
		{"upstream u { ip_hash on; server a:1; }", ``, `invalid number of arguments in "ip_hash" directive`},
		{"upstream u { bogus; server a:1; }", ``, `unknown directive "bogus"`},
		{"proxy_cache_path /x levels=1:2;", ``, `"proxy_cache_path" must have "keys_zone" parameter`},
		{"proxy_cache_path /x keys_zone=z;", ``, `invalid keys zone size "keys_zone=z"`},
		{"proxy_cache_path /x keys_zone=z:1m; proxy_cache_path /y keys_zone=z:1m;", ``, `duplicate zone "z"`},
		{"proxy_cache_path /x keys_zone=z:1m bogus=1;", ``, `invalid parameter "bogus=1"`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			h, err := LoadSnippet(tc.server, tc.http, LoadOptions{ErrorLog: io.Discard})
			if err == nil {
				h.(interface{ Close() }).Close()
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "nginx.conf:")
		})
	}
}

func TestProxyHTTPS(t *testing.T) {
	var sni atomic.Value
	backend := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "tls %s host=%s", r.RequestURI, r.Host)
	}))
	backend.TLS = &tls.Config{GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
		sni.Store(h.ServerName)
		return nil, nil
	}}
	backend.StartTLS()
	defer backend.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE",
		Bytes: backend.Certificate().Raw}), 0o644))
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(backend.URL, "https://"))
	h, err := LoadSnippet(`
        location /plain/ { proxy_pass https://tls_up/; }
        location /sni/ { proxy_ssl_server_name on; proxy_ssl_name example.com; proxy_pass https://tls_up/; }
        location /verify/ {
            proxy_ssl_verify on; proxy_ssl_trusted_certificate `+ca+`;
            proxy_ssl_name example.com; proxy_ssl_server_name on;
            proxy_pass https://tls_up/;
        }
        location /wrong/ {
            proxy_ssl_verify on; proxy_ssl_trusted_certificate `+ca+`; proxy_ssl_name wrong.test;
            proxy_pass https://tls_up/;
        }
        location /dyn/ { proxy_pass https://127.0.0.1:$arg_port/d; }`,
		"upstream tls_up { server 127.0.0.1:"+port+"; }", LoadOptions{Prefix: dir, ErrorLog: io.Discard})
	require.NoError(t, err)
	defer h.(interface{ Close() }).Close()

	w := proxyGet(t, h, "/plain/x")
	assert.Equal(t, "tls /x host=tls_up", w.Body.String())
	assert.Equal(t, "", sni.Load(), "nginx sends no SNI by default")
	w = proxyGet(t, h, "/sni/x")
	assert.Equal(t, 200, w.Code)
	assert.Equal(t, "example.com", sni.Load())
	w = proxyGet(t, h, "/verify/x") // httptest's certificate names example.com
	assert.Equal(t, 200, w.Code, w.Body.String())
	w = proxyGet(t, h, "/wrong/x")
	assert.Equal(t, 502, w.Code)
	w = proxyGet(t, h, "/dyn/?port="+port)
	assert.Equal(t, "tls /d host=127.0.0.1:"+port, w.Body.String())
}

// TestProxyStreams checks that what the upstream sends reaches the client at once, as nginx
// passes it on: server-sent events, one at a time.
func TestProxyStreams(t *testing.T) {
	next := make(chan struct{})
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: 1\n\n")
		w.(http.Flusher).Flush()
		<-next
		fmt.Fprint(w, "data: 2\n\n")
	}))
	defer backend.Close()
	h, err := LoadSnippet(`location /events { proxy_pass `+backend.URL+`; }`, "", LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	defer h.(interface{ Close() }).Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/events")
	require.NoError(t, err)
	defer resp.Body.Close()
	buf := make([]byte, 64)
	n, err := io.ReadAtLeast(resp.Body, buf, len("data: 1\n\n")) // before the second is sent
	require.NoError(t, err)
	assert.Equal(t, "data: 1\n\n", string(buf[:n]))
	close(next)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "data: 2\n\n", string(rest))
}
