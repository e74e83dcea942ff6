package upstream

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCA is a certificate authority made for a test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

var serial atomic.Int64

// newTestCA makes a self-signed CA named cn.
func newTestCA(t testing.TB, cn string) *testCA { return makeCA(t, cn, nil) }

// intermediate makes a CA named cn that ca issued.
func (ca *testCA) intermediate(t testing.TB, cn string) *testCA { return makeCA(t, cn, ca) }

// makeCA makes a CA named cn that parent issued, or a self-signed one when parent is nil.
func makeCA(t testing.TB, cn string, parent *testCA) *testCA {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial.Add(1)), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	issuer, signer := tmpl, key
	if parent != nil {
		issuer, signer = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, &key.PublicKey, signer)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{cert: cert, key: key}
}

// pool returns a pool that trusts the CA.
func (ca *testCA) pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// issue makes a certificate named cn for dns names and IP addresses, for a server or a client.
// Options change the template.
func (ca *testCA) issue(t testing.TB, cn string, dns []string, ips []net.IP, client bool, options ...func(*x509.Certificate)) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	usage := x509.ExtKeyUsageServerAuth
	if client {
		usage = x509.ExtKeyUsageClientAuth
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial.Add(1)), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: dns, IPAddresses: ips,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
	for _, o := range options {
		o(tmpl)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// writePEM writes the certificate (and its key, when key is not "") as PEM files for nginx.
func writePEM(t testing.TB, cert tls.Certificate, certFile, keyFile string) {
	var b []byte
	for _, der := range cert.Certificate {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	require.NoError(t, os.WriteFile(certFile, b, 0o600))
	if keyFile != "" {
		der, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	}
}

// tlsBackend is an HTTPS server that records the SNI of each handshake and counts the
// connections it accepts. It answers "ok", with X-Client (the client certificate's name) and
// X-Resumed (whether the TLS session was resumed).
type tlsBackend struct {
	srv   *httptest.Server
	conns atomic.Int32
	mu    sync.Mutex
	names []string // the SNI of each handshake, "" for none
}

// startTLSBackend starts a tlsBackend with cert; configure, when not nil, changes its TLS
// configuration.
func startTLSBackend(t testing.TB, cert tls.Certificate, configure func(*tls.Config)) *tlsBackend {
	b := &tlsBackend{}
	b.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TLS.PeerCertificates) > 0 {
			w.Header().Set("X-Client", r.TLS.PeerCertificates[0].Subject.CommonName)
		}
		if r.TLS.DidResume {
			w.Header().Set("X-Resumed", "yes")
		}
		_, _ = io.WriteString(w, "ok")
	}))
	b.srv.EnableHTTP2 = false
	b.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	b.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			b.conns.Add(1)
		}
	}
	b.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert},
		GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
			b.mu.Lock()
			b.names = append(b.names, h.ServerName)
			b.mu.Unlock()
			return nil, nil
		}}
	if configure != nil {
		configure(b.srv.TLS)
	}
	b.srv.StartTLS()
	t.Cleanup(b.srv.Close)
	return b
}

func (b *tlsBackend) addr() string { return strings.TrimPrefix(b.srv.URL, "https://") }

// sni returns the SNI of the handshakes so far and forgets them.
func (b *tlsBackend) sni() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	names := b.names
	b.names = nil
	return names
}

// testPKI is a CA, a server certificate it issued for backend.test and 127.0.0.1, and a
// client certificate named "client".
type testPKI struct {
	ca             *testCA
	server, client tls.Certificate
}

func newTestPKI(t testing.TB) *testPKI {
	ca := newTestCA(t, "test CA")
	return &testPKI{ca: ca,
		server: ca.issue(t, "backend.test", []string{"backend.test"}, []net.IP{net.IPv4(127, 0, 0, 1)}, false),
		client: ca.issue(t, "client", nil, nil, true)}
}

// newTLSProxy returns a Proxy with tlsc to a group named name of the server addr.
func newTLSProxy(t *testing.T, name, addr string, tlsc *ProxyTLS) *Proxy {
	g, err := NewGroup(name, []Server{{Addr: addr}})
	require.NoError(t, err)
	t.Cleanup(g.Close)
	return &Proxy{Group: g, TLS: tlsc}
}

func TestProxyTLSDefaults(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.Proto)
	}))
	defer srv.Close()
	p, err := NewURLProxy(srv.URL)
	require.NoError(t, err)
	defer p.Group.Close()
	require.NotNil(t, p.TLS)
	resp, body := doBody(t, p, &Outgoing{Header: []Field{{"Host", "x"}}})
	assert.Equal(t, 200, resp.Status, "a self-signed certificate is not verified")
	assert.Equal(t, "HTTP/1.0", body, "HTTP/1.x, no ALPN h2")
	assert.Positive(t, resp.Attempts[0].Connect, "the connect time includes the handshake")
}

func TestProxyTLSServerName(t *testing.T) {
	pki := newTestPKI(t)
	b := startTLSBackend(t, pki.server, nil)
	for _, tc := range []struct {
		name  string
		group string
		host  string
		tls   ProxyTLS
		want  string
	}{
		{"off by default", "backend.test", "", ProxyTLS{}, ""},
		{"off with a name", "backend.test", "", ProxyTLS{Name: "other.test"}, ""},
		{"the group's name", "backend.test", "", ProxyTLS{ServerName: true}, "backend.test"},
		{"the Host, its port removed", "backend.test", "host.test:8443", ProxyTLS{ServerName: true}, "host.test"},
		{"Name", "backend.test", "host.test", ProxyTLS{ServerName: true, Name: "other.test"}, "other.test"},
		{"no IP address", b.addr(), "", ProxyTLS{ServerName: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newTLSProxy(t, tc.group, b.addr(), &tc.tls)
			p.Host = tc.host
			resp, body := doBody(t, p, &Outgoing{})
			assert.Equal(t, 200, resp.Status)
			assert.Equal(t, "ok", body)
			assert.Equal(t, []string{tc.want}, b.sni())
		})
	}
}

func TestProxyTLSVerify(t *testing.T) {
	pki := newTestPKI(t)
	b := startTLSBackend(t, pki.server, nil)
	other := newTestCA(t, "other CA")
	for _, tc := range []struct {
		name string
		tls  ProxyTLS
		msg  string // "" for a 200
	}{
		{"trusted", ProxyTLS{Verify: true, TrustedCertificate: pki.ca.pool()}, ""},
		{"trusted, SNI", ProxyTLS{Verify: true, TrustedCertificate: pki.ca.pool(), ServerName: true}, ""},
		{"wrong CA", ProxyTLS{Verify: true, TrustedCertificate: other.pool()},
			"upstream SSL certificate verify error: (21:unable to verify the first certificate) while SSL handshaking to upstream"},
		{"wrong name", ProxyTLS{Verify: true, TrustedCertificate: pki.ca.pool(), Name: "wrong.test"},
			`upstream SSL certificate does not match "wrong.test" while SSL handshaking to upstream`},
		{"an IP address is not a DNS name", ProxyTLS{Verify: true, TrustedCertificate: pki.ca.pool(), Name: "127.0.0.1"},
			`upstream SSL certificate does not match "127.0.0.1" while SSL handshaking to upstream`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newTLSProxy(t, "backend.test", b.addr(), &tc.tls)
			if tc.msg == "" {
				resp, body := doBody(t, p, &Outgoing{})
				assert.Equal(t, 200, resp.Status)
				assert.Equal(t, "ok", body)
				return
			}
			pe := proxyError(t, p, &Outgoing{})
			assert.Equal(t, 502, pe.Status)
			assert.Equal(t, tc.msg, pe.Msg)
			require.Len(t, pe.Attempts, 1)
			assert.Equal(t, tc.msg, pe.Attempts[0].Err)
		})
	}

	t.Run("no trusted certificate", func(t *testing.T) {
		p := newTLSProxy(t, "backend.test", b.addr(), &ProxyTLS{Verify: true})
		_, err := p.Do(context.Background(), &Outgoing{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "no proxy_ssl_trusted_certificate for proxy_ssl_verify")
	})
}

func TestProxyTLSVerifyDepth(t *testing.T) {
	root := newTestCA(t, "root CA")
	inter1 := root.intermediate(t, "intermediate CA 1")
	inter2 := inter1.intermediate(t, "intermediate CA 2")
	one := inter1.issue(t, "backend.test", []string{"backend.test"}, nil, false)
	one.Certificate = append(one.Certificate, inter1.cert.Raw)
	two := inter2.issue(t, "backend.test", []string{"backend.test"}, nil, false)
	two.Certificate = append(two.Certificate, inter2.cert.Raw, inter1.cert.Raw)
	for _, tc := range []struct {
		name  string
		cert  tls.Certificate
		depth int
		msg   string
	}{
		{"one intermediate, default depth 1", one, 0, ""},
		// OpenSSL reports "certificate chain too long" (22), then, nginx's callback going on,
		// "unable to get local issuer certificate", the error nginx logs.
		{"two intermediates, default depth 1", two, 0,
			"upstream SSL certificate verify error: (20:unable to get local issuer certificate) while SSL handshaking to upstream"},
		{"two intermediates, depth 2", two, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := startTLSBackend(t, tc.cert, nil)
			p := newTLSProxy(t, "backend.test", b.addr(), &ProxyTLS{Verify: true, TrustedCertificate: root.pool(), VerifyDepth: tc.depth})
			if tc.msg == "" {
				resp, _ := doBody(t, p, &Outgoing{})
				assert.Equal(t, 200, resp.Status)
				return
			}
			assert.Equal(t, tc.msg, proxyError(t, p, &Outgoing{}).Msg)
		})
	}
}

func TestVerifyChain(t *testing.T) {
	root := newTestCA(t, "root CA")
	inter := root.intermediate(t, "intermediate CA")
	other := newTestCA(t, "other CA")
	leaf := inter.issue(t, "backend.test", []string{"backend.test"}, nil, false).Leaf
	direct := root.issue(t, "backend.test", []string{"backend.test"}, nil, false).Leaf
	expired := root.issue(t, "backend.test", nil, nil, false, func(c *x509.Certificate) {
		c.NotBefore, c.NotAfter = time.Now().Add(-2*time.Hour), time.Now().Add(-time.Hour)
	}).Leaf
	client := root.issue(t, "client", nil, nil, true).Leaf
	for _, tc := range []struct {
		name  string
		certs []*x509.Certificate
		roots *x509.CertPool
		code  int // 0 for none
	}{
		{"trusted", []*x509.Certificate{leaf, inter.cert}, root.pool(), 0},
		{"nothing sent", nil, root.pool(), 20},
		{"a lone certificate", []*x509.Certificate{direct}, other.pool(), 21},
		{"a chain", []*x509.Certificate{leaf, inter.cert}, other.pool(), 20},
		{"the intermediate missing", []*x509.Certificate{leaf}, root.pool(), 21},
		{"self-signed", []*x509.Certificate{other.cert}, root.pool(), 18},
		{"self-signed root sent", []*x509.Certificate{leaf, inter.cert, root.cert}, other.pool(), 19},
		{"expired", []*x509.Certificate{expired}, root.pool(), 10},
		{"a client's", []*x509.Certificate{client}, root.pool(), 26},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ve := verifyChain(tc.certs, tc.roots, 0)
			if tc.code == 0 {
				assert.Nil(t, ve)
				return
			}
			require.NotNil(t, ve)
			assert.Equal(t, tc.code, ve.Code, ve.Text)
		})
	}
}

func TestProxyTLSClientCertificate(t *testing.T) {
	pki := newTestPKI(t)
	other := newTestCA(t, "other CA")
	// The server names another CA in its request: OpenSSL sends the certificate anyway.
	b := startTLSBackend(t, pki.server, func(c *tls.Config) {
		c.ClientAuth, c.ClientCAs = tls.RequireAnyClientCert, other.pool()
	})
	p := newTLSProxy(t, "backend.test", b.addr(), &ProxyTLS{Certificate: &pki.client})
	resp, _ := doBody(t, p, &Outgoing{})
	assert.Equal(t, 200, resp.Status)
	assert.Equal(t, "client", resp.Header.Get("X-Client"))

	p = newTLSProxy(t, "backend.test", b.addr(), &ProxyTLS{})
	pe := proxyError(t, p, &Outgoing{})
	assert.Equal(t, 502, pe.Status, "no certificate: the server refuses")
}

func TestProxyTLSKeepalive(t *testing.T) {
	pki := newTestPKI(t)
	b := startTLSBackend(t, pki.server, nil)
	g, err := NewGroup("backend.test", []Server{{Addr: b.addr()}})
	require.NoError(t, err)
	defer g.Close()
	g.Keepalive = 2
	secure := &Proxy{Group: g, HTTPVersion: "1.1", TLS: &ProxyTLS{}}
	plain := &Proxy{Group: g, HTTPVersion: "1.1"}
	out := &Outgoing{Header: []Field{{"Host", "x"}}}
	for range 3 {
		resp, body := doBody(t, secure, out)
		assert.Equal(t, "ok", body)
		assert.Equal(t, 200, resp.Status)
	}
	assert.Equal(t, int32(1), b.conns.Load(), "one TLS connection, reused")
	assert.Len(t, b.sni(), 1, "one handshake")
	assert.True(t, g.pools.HasIdle(tlsPool(g.tiers[0][0], "backend.test")))
	assert.False(t, g.pools.HasIdle(b.addr()))

	resp, _ := doBody(t, plain, out)
	assert.Equal(t, 400, resp.Status, "a plain request on a new connection, which the TLS server refuses")
	assert.Equal(t, int32(2), b.conns.Load())
	resp, _ = doBody(t, secure, out)
	assert.Equal(t, 200, resp.Status, "the TLS connection is still kept for TLS")
	assert.Equal(t, int32(2), b.conns.Load())
}

func TestProxyTLSSessionReuse(t *testing.T) {
	pki := newTestPKI(t)
	b := startTLSBackend(t, pki.server, nil)
	for _, tc := range []struct {
		name string
		tls  ProxyTLS
		want []string
	}{
		{"on", ProxyTLS{}, []string{"", "yes", "yes"}},
		{"off", ProxyTLS{NoSessionReuse: true}, []string{"", "", ""}},
		{"verified", ProxyTLS{Verify: true, TrustedCertificate: pki.ca.pool()}, []string{"", "yes", "yes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newTLSProxy(t, "backend.test", b.addr(), &tc.tls)
			var resumed []string
			for range 3 {
				resp, _ := doBody(t, p, &Outgoing{})
				resumed = append(resumed, resp.Header.Get("X-Resumed"))
			}
			assert.Equal(t, tc.want, resumed)
		})
	}
}

func TestProxyTLSProtocols(t *testing.T) {
	pki := newTestPKI(t)
	b := startTLSBackend(t, pki.server, func(c *tls.Config) { c.MaxVersion = tls.VersionTLS12 })
	p := newTLSProxy(t, "backend.test", b.addr(), &ProxyTLS{Protocols: []uint16{tls.VersionTLS13}})
	pe := proxyError(t, p, &Outgoing{})
	assert.Equal(t, 502, pe.Status)
	assert.True(t, strings.HasPrefix(pe.Msg, "SSL_do_handshake() failed ("), pe.Msg)
	assert.True(t, strings.HasSuffix(pe.Msg, ") while SSL handshaking to upstream"), pe.Msg)

	p = newTLSProxy(t, "backend.test", b.addr(), &ProxyTLS{Protocols: []uint16{tls.VersionTLS12}})
	resp, _ := doBody(t, p, &Outgoing{})
	assert.Equal(t, 200, resp.Status)

	versions, err := ParseProtocols("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")
	require.NoError(t, err)
	assert.Equal(t, []uint16{tls.VersionTLS10, tls.VersionTLS11, tls.VersionTLS12, tls.VersionTLS13}, versions)
	_, err = ParseProtocols("TLSv2")
	assert.Error(t, err)
}

func TestProxyTLSHandshakeFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(c net.Conn)
		status int
		msg    string
	}{
		{"timeout", func(c net.Conn) { _, _ = io.Copy(io.Discard, c) }, 504,
			"upstream timed out (110: Connection timed out) while SSL handshaking to upstream"},
		{"peer closed", readHello, 502, "peer closed connection in SSL handshake while SSL handshaking to upstream"},
		{"plain HTTP", func(c net.Conn) { _, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\n\r\n") }, 502,
			"SSL_do_handshake() failed (tls: first record does not look like a TLS handshake) while SSL handshaking to upstream"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln := startRawListener(t, tc.answer)
			p := newTLSProxy(t, "backend.test", ln, &ProxyTLS{})
			p.ConnectTimeout = 200 * time.Millisecond
			start := time.Now()
			pe := proxyError(t, p, &Outgoing{})
			assert.Equal(t, tc.status, pe.Status)
			assert.Equal(t, tc.msg, pe.Msg)
			require.Len(t, pe.Attempts, 1)
			assert.Equal(t, time.Duration(-1), pe.Attempts[0].Connect)
			assert.Less(t, time.Since(start), 2*time.Second)
		})
	}
}

// readHello reads a TLS record, the client's hello, so that closing c sends no reset.
func readHello(c net.Conn) {
	head := make([]byte, 5)
	if _, err := io.ReadFull(c, head); err == nil {
		_, _ = io.CopyN(io.Discard, c, int64(head[3])<<8|int64(head[4]))
	}
}

// startRawListener accepts connections on a loopback port and runs answer on each, closing it
// when answer returns; everything is closed when the test ends.
func startRawListener(t testing.TB, answer func(net.Conn)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				answer(c)
			})
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

func TestNewURLProxyHTTPS(t *testing.T) {
	for _, tc := range []struct{ url, name, addr string }{
		{"https://localhost", "localhost", "localhost:443"},
		{"https://localhost:443/", "localhost", "localhost:443"},
		{"https://localhost:8443", "localhost:8443", "localhost:8443"},
		{"https://[::1]", "[::1]", "[::1]:443"},
		{"http://localhost:80", "localhost", "localhost:80"},
	} {
		p, err := NewURLProxy(tc.url)
		require.NoError(t, err, tc.url)
		p.Group.Close()
		assert.Equal(t, tc.name, p.Group.Name, tc.url)
		assert.Equal(t, tc.addr, p.Group.tiers[0][0].addr, tc.url)
		assert.Equal(t, strings.HasPrefix(tc.url, "https"), p.TLS != nil, tc.url)
	}
}

func TestLoadCertPool(t *testing.T) {
	pki := newTestPKI(t)
	file := filepath.Join(t.TempDir(), "ca.pem")
	writePEM(t, tls.Certificate{Certificate: [][]byte{pki.ca.cert.Raw}}, file, "")
	pool, err := LoadCertPool(file)
	require.NoError(t, err)
	assert.True(t, pool.Equal(pki.ca.pool()))
	_, err = LoadCertPool(filepath.Join(t.TempDir(), "none.pem"))
	assert.Error(t, err)
}
