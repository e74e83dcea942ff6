package nginxconf

import (
	"io"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// socketConf has a location that reads from a peer at $arg_port with the http block's
// settings; %s stands for the cosocket directives.
const socketConf = `events {}
http {
    access_log off;
    %s
    server {
        listen 127.0.0.1:8001;
        location = /read {
            content_by_lua_block {
                local s = ngx.socket.tcp()
                assert(s:connect("127.0.0.1", tonumber(ngx.var.arg_port)))
                local t = ngx.now()
                ngx.update_time()
                local data, err = s:receive()
                ngx.update_time()
                ngx.say(err, " ", ngx.now() - t < 5)
            }
        }
    }
}`

func loadSocketConf(t *testing.T, directives string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(socketConf, "%s", directives, 1)), 0o644))
	return Load(path, LoadOptions{Prefix: dir, ErrorLog: io.Discard})
}

func TestSocketDirectives(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	require.NoError(t, err)
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	c, err := loadSocketConf(t, "lua_socket_read_timeout 50ms; lua_socket_connect_timeout 1s; "+
		"lua_socket_send_timeout 1s; lua_socket_keepalive_timeout 0; lua_socket_pool_size 5; "+
		"lua_ssl_verify_depth 2;")
	require.NoError(t, err)
	defer c.Close()
	rec := httptest.NewRecorder()
	c.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/read?port="+port, nil))
	assert.Equal(t, "timeout true\n", rec.Body.String(), "the http block's read timeout, not 60s")

	for _, bad := range []struct{ conf, err string }{
		{"lua_socket_pool_size 0;", `"lua_socket_pool_size" directive invalid value`},
		{"lua_socket_read_timeout x;", `"lua_socket_read_timeout" directive invalid value`},
		{"lua_ssl_trusted_certificate missing.pem;", "lua_ssl_trusted_certificate: open"},
		{"server { location /x { lua_socket_read_timeout 1s; } }",
			`"lua_socket_read_timeout" directive is supported only in the http block`},
	} {
		_, err := loadSocketConf(t, bad.conf)
		if assert.Error(t, err, bad.conf) {
			assert.Contains(t, err.Error(), bad.err)
		}
	}
}

func TestSSLTrustedCertificate(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ca.pem"), []byte("not a certificate"), 0o644))
	path := filepath.Join(dir, "nginx.conf")
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(socketConf, "%s", "lua_ssl_trusted_certificate ca.pem;", 1)), 0o644))
	_, err := Load(path, LoadOptions{Prefix: dir, ErrorLog: io.Discard})
	if assert.Error(t, err) {
		assert.Contains(t, err.Error(), "no PEM certificate")
	}
}
