package nginxconf

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoUpgrader is a backend that switches to an echo protocol: after its 101 it sends back
// each line it gets, upper-cased, and "bye" when the line is "quit".
func echoUpgrader(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "echo" || !strings.EqualFold(r.Header.Get("Connection"), "upgrade") {
			http.Error(w, "want Upgrade: echo, Connection: upgrade; got "+r.Header.Get("Upgrade")+", "+r.Header.Get("Connection"), 400)
			return
		}
		c, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer c.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\nX-Up: 1\r\n\r\nhello\n")
		rw.Flush()
		for {
			line, err := rw.ReadString('\n')
			if err != nil {
				return
			}
			if line == "quit\n" {
				rw.WriteString("bye\n")
				rw.Flush()
				return
			}
			rw.WriteString(strings.ToUpper(line))
			rw.Flush()
		}
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// upgradeExchange sends an upgrade request to addr, then "ping" and "quit", and returns the
// status line, the sorted header names (with Upgrade's and Connection's values) and what came
// after the header.
func upgradeExchange(t *testing.T, addr, path string) (status string, names []string, rest string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: localhost\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(c)
	status, err = br.ReadString('\n')
	require.NoError(t, err)
	for {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		if line == "\r\n" {
			break
		}
		name, value, _ := strings.Cut(strings.TrimRight(line, "\r\n"), ": ")
		switch strings.ToLower(name) {
		case "upgrade", "connection":
			names = append(names, strings.ToLower(name)+"="+strings.ToLower(value))
		case "date", "server":
		default:
			names = append(names, strings.ToLower(name))
		}
	}
	sort.Strings(names)
	_, err = io.WriteString(c, "ping\nquit\n")
	require.NoError(t, err)
	b, _ := io.ReadAll(br)
	return strings.TrimRight(status, "\r\n"), names, string(b)
}

// TestProxyUpgradeLikeNginx tunnels a protocol upgrade through goresty and through real nginx,
// with the usual WebSocket configuration, and compares what the client sees.
func TestProxyUpgradeLikeNginx(t *testing.T) {
	backend := echoUpgrader(t)
	server := `location /ws/ {
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_pass http://` + backend + `;
        }
        location /plain/ { proxy_pass http://` + backend + `; }`
	h, err := LoadSnippet(server, "", LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	defer h.(interface{ Close() }).Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	goresty := strings.TrimPrefix(srv.URL, "http://")

	status, names, rest := upgradeExchange(t, goresty, "/ws/x")
	assert.Equal(t, "HTTP/1.1 101 Switching Protocols", status)
	assert.Equal(t, []string{"connection=upgrade", "upgrade=echo", "x-up"}, names)
	assert.Equal(t, "hello\nPING\nbye\n", rest)

	nginx := strings.TrimPrefix(startSnippetNginx(t, t.TempDir(), diffSuite{server: server}), "http://")
	nStatus, nNames, nRest := upgradeExchange(t, nginx, "/ws/x")
	assert.Equal(t, nStatus, status)
	assert.Equal(t, nNames, names)
	assert.Equal(t, nRest, rest)

	// Without the Upgrade fields nginx sends HTTP/1.0 and "Connection: close": the backend
	// refuses, and so the client gets its 400.
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/plain/x", nil))
	assert.Equal(t, 400, w.Code)
}

func TestProxyUpgradeIdleTimeout(t *testing.T) {
	backend := echoUpgrader(t)
	h, err := LoadSnippet(`location /ws/ {
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 200ms;
            proxy_pass http://`+backend+`;
        }`, "", LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	defer h.(interface{ Close() }).Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	c, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = io.WriteString(c, "GET /ws/ HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
	require.NoError(t, err)
	start := time.Now()
	b, err := io.ReadAll(c) // neither side says anything after "hello": closed after 200ms
	require.NoError(t, err)
	assert.Contains(t, string(b), "101 Switching Protocols")
	assert.True(t, strings.HasSuffix(string(b), "hello\n"), "%q", b)
	assert.Less(t, time.Since(start), 3*time.Second)
}

// TestProxyUpgradeSilentClient keeps a tunnel open while only the upstream talks: nginx times
// the upstream's reads, not the client's.
func TestProxyUpgradeSilentClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer c.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: push\r\nConnection: Upgrade\r\n\r\n")
		rw.Flush()
		for i := range 4 { // a message every 100ms, for 400ms: past the 250ms timeout
			time.Sleep(100 * time.Millisecond)
			fmt.Fprintf(rw, "tick %d\n", i)
			rw.Flush()
		}
	}))
	defer srv.Close()
	h, err := LoadSnippet(`location /push {
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 250ms;
            proxy_pass `+srv.URL+`;
        }`, "", LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	defer h.(interface{ Close() }).Close()
	front := httptest.NewServer(h)
	defer front.Close()
	c, err := net.Dial("tcp", strings.TrimPrefix(front.URL, "http://"))
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = io.WriteString(c, "GET /push HTTP/1.1\r\nHost: x\r\nUpgrade: push\r\nConnection: Upgrade\r\n\r\n")
	require.NoError(t, err)
	b, err := io.ReadAll(c) // the client never sends; the upstream ends the tunnel
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(string(b), "tick 0\ntick 1\ntick 2\ntick 3\n"), "%q", b)
}
