package nginxconf

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadString loads a configuration given as text from a temporary prefix, its error log
// discarded.
func loadString(t *testing.T, conf string) *Config {
	t.Helper()
	return loadWith(t, conf, LoadOptions{ErrorLog: io.Discard})
}

func loadWith(t *testing.T, conf string, opts LoadOptions) *Config {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "logs"), 0o755))
	path := filepath.Join(dir, "nginx.conf")
	require.NoError(t, os.WriteFile(path, []byte(conf), 0o644))
	opts.Prefix = dir
	c, err := Load(path, opts)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// serveAt sends GET / with host to h as if it came to local address addr.
func serveAt(h http.Handler, addr, host string) string {
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = host
	if addr != "" {
		tcp, _ := net.ResolveTCPAddr("tcp", addr)
		req = req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, tcp))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return strings.TrimSpace(rec.Body.String())
}

const vhostsConf = `events {}
http {
    access_log off;
    server { listen 127.0.0.1:8001; server_name first; return 200 "first"; }
    server { listen 127.0.0.1:8001 default_server; server_name example.com www.example.com; return 200 "exact"; }
    server { listen 127.0.0.1:8001; server_name *.example.com; return 200 "head"; }
    server { listen 127.0.0.1:8001; server_name *.a.example.com; return 200 "longer head"; }
    server { listen 127.0.0.1:8001; server_name mail.*; return 200 "tail"; }
    server { listen 127.0.0.1:8001; server_name ~^api(\d+)\.test$ .dot.org; return 200 "regex or dot"; }
    server { listen 8002; server_name example.com; return 200 "wildcard port"; }
    server { listen 127.0.0.2:8002; server_name example.com; return 200 "specific address"; }
}
`

func TestServerSelection(t *testing.T) {
	h := loadString(t, vhostsConf).Handler()
	cases := []struct{ addr, host, want string }{
		{"127.0.0.1:8001", "example.com", "exact"},
		{"127.0.0.1:8001", "EXAMPLE.com.:8001", "exact"},
		{"127.0.0.1:8001", "www.example.com", "exact"},
		{"127.0.0.1:8001", "x.example.com", "head"},
		{"127.0.0.1:8001", "x.y.example.com", "head"},
		{"127.0.0.1:8001", "x.a.example.com", "longer head"},
		{"127.0.0.1:8001", "mail.example.org", "tail"},
		{"127.0.0.1:8001", "api12.test", "regex or dot"},
		{"127.0.0.1:8001", "dot.org", "regex or dot"},
		{"127.0.0.1:8001", "sub.dot.org", "regex or dot"},
		{"127.0.0.1:8001", "first", "first"},
		{"127.0.0.1:8001", "unknown.host", "exact"},
		{"127.0.0.1:8001", "", "exact"},
		{"127.0.0.1:8002", "example.com", "wildcard port"},
		{"127.0.0.2:8002", "example.com", "specific address"},
		{"127.0.0.9:9999", "example.com", "exact"},
		{"", "first", "first"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, serveAt(h, c.addr, c.host), "%s Host %q", c.addr, c.host)
	}
}

func TestFirstServerIsDefault(t *testing.T) {
	h := loadString(t, `events {}
http { access_log off;
    server { listen 127.0.0.1:8001; server_name a; return 200 "a"; }
    server { listen 127.0.0.1:8001; server_name b; return 200 "b"; }
}`).Handler()
	assert.Equal(t, "a", serveAt(h, "127.0.0.1:8001", "other"))
	assert.Equal(t, "b", serveAt(h, "127.0.0.1:8001", "b"))
}

func TestParseListen(t *testing.T) {
	cases := []struct {
		arg  string
		want Listen
		err  string
	}{
		{arg: "8080", want: Listen{Network: "tcp", Addr: ":8080"}},
		{arg: "*:8080", want: Listen{Network: "tcp", Addr: ":8080"}},
		{arg: "0.0.0.0:81", want: Listen{Network: "tcp", Addr: ":81"}},
		{arg: "127.0.0.1", want: Listen{Network: "tcp", Addr: "127.0.0.1:80"}},
		{arg: "127.0.0.1:8080", want: Listen{Network: "tcp", Addr: "127.0.0.1:8080"}},
		{arg: "[::1]:8080", want: Listen{Network: "tcp", Addr: "[::1]:8080"}},
		{arg: "[::1]", want: Listen{Network: "tcp", Addr: "[::1]:80"}},
		{arg: "localhost:8080", want: Listen{Network: "tcp", Addr: "127.0.0.1:8080"}},
		{arg: "unix:/tmp/x.sock", want: Listen{Network: "unix", Addr: "/tmp/x.sock"}},
		{arg: "8080 default_server", want: Listen{Network: "tcp", Addr: ":8080", DefaultServer: true}},
		{arg: "8080 reuseport backlog=511", want: Listen{Network: "tcp", Addr: ":8080"}},
		{arg: "443 ssl", err: `the "ssl" parameter of "listen" is not supported yet in t:1`},
		{arg: "80 nonsense", err: `invalid parameter "nonsense" in t:1`},
		{arg: "127.0.0.1:99999", err: `invalid port in "127.0.0.1:99999" of the "listen" directive in t:1`},
	}
	for _, c := range cases {
		d := &Directive{Name: "listen", Args: strings.Fields(c.arg), File: "t", Line: 1}
		got, err := parseListen(d)
		if c.err != "" {
			assert.EqualError(t, err, c.err, c.arg)
			continue
		}
		require.NoError(t, err, c.arg)
		assert.Equal(t, c.want, got, c.arg)
	}
}
