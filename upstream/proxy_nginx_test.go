package upstream

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoResponse is what the differential test's backend answers: fields nginx hides, passes
// and drops.
const echoResponse = "HTTP/1.1 200 OK\r\nServer: echo\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n" +
	"X-Pad: avoid browser bug\r\nX-Accel-Expires: 10\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n" +
	"Content-Type: text/plain\r\nKeep-Alive: timeout=5\r\nX-Other: o\r\nContent-Length: 5\r\n" +
	"Connection: close\r\n\r\nhello"

// clientFieldsIgnored are the response fields of the client's connection, not the proxy's:
// nginx always sends Server and Connection, Go's server does not.
var clientFieldsIgnored = []string{"Date", "Server", "Connection"}

// rawExchange sends a raw request to addr and returns the response, its body read.
func rawExchange(t *testing.T, addr, req string) (*http.Response, string) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(c, req)
	require.NoError(t, err)
	method, _, _ := strings.Cut(req, " ")
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

// rawResponse sends a raw request to addr and returns all it reads until the connection
// closes.
func rawResponse(t *testing.T, addr, req string) string {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(c, req)
	require.NoError(t, err)
	b, err := io.ReadAll(c)
	require.NoError(t, err)
	return string(b)
}

// headerNames returns the names of resp's header but those of the client's connection,
// sorted, with Transfer-Encoding when the body was chunked.
func headerNames(resp *http.Response) []string {
	var names []string
	if len(resp.TransferEncoding) > 0 {
		names = append(names, "Transfer-Encoding")
	}
	for name := range resp.Header {
		if !slices.Contains(clientFieldsIgnored, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// TestProxyMatchesNginx sends the same requests through nginx 1.22's proxy_pass and through
// Proxy.ServeHTTP to the same backend, and compares the requests the backend got, byte for
// byte, and the responses' status and header names.
func TestProxyMatchesNginx(t *testing.T) {
	servertest.Nginx(t)
	echo := startRawBackend(t, echoResponse, nil)
	bare := startRawBackend(t, "HTTP/1.0 200 OK\r\n\r\nbare", nil)
	garbage := startRawBackend(t, "garbage\r\n", nil)
	noColon := startRawBackend(t, "HTTP/1.1 200 OK\r\nNoColon\r\nContent-Length: 2\r\n\r\nok", nil)
	nul := startRawBackend(t, "HTTP/1.1 200 OK\r\nA: b\x00c\r\nContent-Length: 2\r\n\r\nok", nil)
	closing := startRawBackend(t, "", func(net.Conn, *bufio.Reader, []byte) {})
	slow := startRawBackend(t, "", silent)
	refused := refusedAddr(t)

	// location → its directives and the Proxy that does the same.
	type route struct {
		directives string
		backend    string
		proxy      func(p *Proxy)
	}
	routes := map[string]route{
		"/plain/": {"", echo.addr(), nil},
		"/v11/":   {"proxy_http_version 1.1;", echo.addr(), func(p *Proxy) { p.HTTPVersion = "1.1" }},
		"/set/": {`proxy_http_version 1.1; proxy_set_header X-Foo bar; proxy_set_header Accept-Encoding ""; proxy_set_header Connection "";`, echo.addr(), func(p *Proxy) {
			p.HTTPVersion, p.SetHeader = "1.1", []Field{{"X-Foo", "bar"}, {"Accept-Encoding", ""}, {"Connection", ""}}
		}},
		"/bare/":    {"", bare.addr(), nil},
		"/garbage/": {"", garbage.addr(), nil},
		"/nocolon/": {"", noColon.addr(), nil},
		"/nul/":     {"", nul.addr(), nil},
		"/closing/": {"", closing.addr(), nil},
		"/refused/": {"", refused, nil},
		"/slow/":    {"proxy_read_timeout 1s;", slow.addr(), func(p *Proxy) { p.ReadTimeout = time.Second }},
	}

	var conf strings.Builder
	mux := http.NewServeMux()
	for path, r := range routes {
		fmt.Fprintf(&conf, "        location %s { %s proxy_pass http://%s; }\n", path, r.directives, r.backend)
		p, err := NewURLProxy("http://" + r.backend)
		require.NoError(t, err)
		t.Cleanup(p.Group.Close)
		if r.proxy != nil {
			r.proxy(p)
		}
		mux.Handle(path, p)
	}
	dir := t.TempDir()
	nginx := servertest.FreeAddr(t)
	servertest.StartNginx(t, dir, fmt.Sprintf(`daemon off; master_process off; worker_processes 1;
pid logs/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path %[1]s/tmp/body; proxy_temp_path %[1]s/tmp/proxy;
    fastcgi_temp_path %[1]s/tmp/fastcgi; uwsgi_temp_path %[1]s/tmp/uwsgi; scgi_temp_path %[1]s/tmp/scgi;
    server {
        listen %[2]s;
        location = /ready { return 204; }
%[3]s    }
}
`, dir, nginx, conf.String()), servertest.Get("http://"+nginx+"/ready"))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	goAddr := strings.TrimPrefix(srv.URL, "http://")

	const fields = "Accept: */*\r\nAccept-Encoding: gzip\r\nConnection: close\r\nKeep-Alive: 300\r\nTe: trailers\r\n" +
		"User-Agent: probe\r\nX-Multi: 1\r\nX-Multi: 2\r\n"
	for _, tc := range []struct{ name, request string }{
		{"GET", "GET /plain/a?b=1 HTTP/1.1\r\nHost: client\r\n" + fields + "\r\n"},
		{"HTTP/1.0 client", "GET /plain/a HTTP/1.0\r\nHost: client\r\nUser-Agent: probe\r\n\r\n"},
		{"POST", "POST /plain/post HTTP/1.1\r\nHost: client\r\nConnection: close\r\nContent-Length: 11\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\n\r\nhello=world"},
		{"POST chunked", "POST /plain/chunked HTTP/1.1\r\nHost: client\r\nConnection: close\r\n" +
			"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"},
		{"POST empty", "POST /plain/empty HTTP/1.1\r\nHost: client\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"},
		{"HEAD", "HEAD /plain/head HTTP/1.1\r\nHost: client\r\n" + fields + "\r\n"},
		{"proxy_http_version 1.1", "GET /v11/x HTTP/1.1\r\nHost: client\r\n" + fields + "\r\n"},
		{"proxy_set_header", "GET /set/x HTTP/1.1\r\nHost: client\r\n" + fields + "\r\n"},
		{"no Content-Type", "GET /bare/ HTTP/1.1\r\nHost: client\r\nConnection: close\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			backend := echo
			if strings.Contains(tc.request, "/bare") {
				backend = bare
			}
			nginxResp, nginxBody := rawExchange(t, nginx, tc.request)
			nginxReq := backend.request(t)
			goResp, goBody := rawExchange(t, goAddr, tc.request)
			goReq := backend.request(t)
			assert.Equal(t, nginxReq, goReq, "the request the backend got")
			assert.Equal(t, nginxResp.StatusCode, goResp.StatusCode, "status")
			assert.Equal(t, headerNames(nginxResp), headerNames(goResp), "response fields")
			assert.Equal(t, nginxBody, goBody, "body")
		})
	}

	// Failures, compared by status (or whole, for an HTTP/0.9 response); each in parallel
	// with its twin to keep the timeouts short.
	for _, tc := range []struct{ path, nginx, differs string }{
		{"/refused/", "", ""},
		{"/slow/", "", ""},
		{"/closing/", "", ""},
		{"/garbage/", "", ""},
		{"/nul/", "", ""},
		// nginx takes a header line without a colon for a field; net/http refuses it.
		{"/nocolon/", "HTTP/1.1 200", "HTTP/1.1 502"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			req := "GET " + tc.path + " HTTP/1.1\r\nHost: client\r\nConnection: close\r\n\r\n"
			var wg sync.WaitGroup
			var fromNginx string
			wg.Go(func() { fromNginx = rawResponse(t, nginx, req) })
			fromGo := rawResponse(t, goAddr, req)
			wg.Wait()
			statusLine := func(s string) string {
				if len(s) >= 12 && strings.HasPrefix(s, "HTTP/") {
					return s[:12] // the reason phrases differ: "Gateway Time-out"
				}
				return s
			}
			if tc.differs != "" {
				assert.Equal(t, tc.nginx, statusLine(fromNginx), "nginx")
				assert.Equal(t, tc.differs, statusLine(fromGo), "Proxy (a known difference)")
				return
			}
			assert.Equal(t, statusLine(fromNginx), statusLine(fromGo))
		})
	}
}
