package upstream

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tlsServer is an HTTPS server whose certificate (httptest's) names example.com and 127.0.0.1.
func tlsServer(t *testing.T) (addr string, roots *x509.CertPool) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("secure"))
	}))
	srv.EnableHTTP2 = false
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots = x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	return strings.TrimPrefix(srv.URL, "https://"), roots
}

func handshake(t *testing.T, ps *Pools, addr string, o HandshakeOptions) (*Conn, *Session, error) {
	t.Helper()
	c := dial(t, ps, addr, DialOptions{})
	s, err := c.Handshake(context.Background(), o)
	if err != nil {
		c.Close() // a failed handshake leaves the connection unusable
	}
	return c, s, err
}

// get sends a GET over c and returns the status line.
func get(t *testing.T, c *Conn) string {
	t.Helper()
	_, err := c.Write([]byte("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"))
	require.NoError(t, err)
	line, err := c.ReadLine()
	require.NoError(t, err)
	for { // skip the rest of the response
		h, err := c.ReadLine()
		require.NoError(t, err)
		if len(h) == 0 {
			break
		}
	}
	_, err = c.ReadN(len("secure"))
	require.NoError(t, err)
	return string(line)
}

func TestHandshake(t *testing.T) {
	addr, roots := tlsServer(t)
	ps := NewPools()
	defer ps.Close()

	c, _, err := handshake(t, ps, addr, HandshakeOptions{ServerName: "example.com"})
	require.NoError(t, err, "no verification")
	assert.True(t, c.IsTLS())
	assert.Equal(t, "HTTP/1.1 200 OK", get(t, c))
	c.Close()

	_, _, err = handshake(t, ps, addr, HandshakeOptions{Verify: true})
	assert.EqualError(t, err, "18: self-signed certificate", "nothing trusted, as nginx without lua_ssl_trusted_certificate")

	_, _, err = handshake(t, ps, addr, HandshakeOptions{Verify: true, RootCAs: x509.NewCertPool()})
	var ve *VerifyError
	assert.ErrorAs(t, err, &ve)

	c, _, err = handshake(t, ps, addr, HandshakeOptions{Verify: true, RootCAs: roots, ServerName: "example.com"})
	require.NoError(t, err, "trusted, and the name matches")
	c.Close()

	_, _, err = handshake(t, ps, addr, HandshakeOptions{Verify: true, RootCAs: roots, ServerName: "other.org"})
	assert.ErrorIs(t, err, ErrHostMismatch)
}

func TestHandshakeResumesSessions(t *testing.T) {
	addr, _ := tlsServer(t)
	ps := NewPools()
	defer ps.Close()
	c, sess, err := handshake(t, ps, addr, HandshakeOptions{ServerName: "example.com"})
	require.NoError(t, err)
	assert.Equal(t, "HTTP/1.1 200 OK", get(t, c)) // TLS 1.3 sends the ticket after the handshake
	c.Close()
	require.NotNil(t, sess)

	c, _, err = handshake(t, ps, addr, HandshakeOptions{ServerName: "example.com", Session: sess})
	require.NoError(t, err)
	assert.True(t, c.conn.(*tls.Conn).ConnectionState().DidResume)
	c.Close()
}

func TestHandshakeFailsOnAPlainServer(t *testing.T) {
	p := newPeer(t)
	ps := NewPools()
	defer ps.Close()
	_, _, err := handshake(t, ps, p.addr(), HandshakeOptions{Timeout: 5 * time.Second})
	assert.ErrorIs(t, err, ErrHandshake)
}
