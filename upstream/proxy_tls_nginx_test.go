package upstream

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nginxErrors returns the messages of nginx's error log by request path: "upstream timed out
// (110: Connection timed out) while SSL handshaking to upstream".
func nginxErrors(t *testing.T, logFile string) map[string][]string {
	b, err := os.ReadFile(logFile)
	require.NoError(t, err)
	re := regexp.MustCompile(`\[(?:error|crit)\] \d+#\d+: \*\d+ (.*?), client: .*, request: "GET (\S+) HTTP`)
	msgs := map[string][]string{}
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		msgs[m[2]] = append(msgs[m[2]], m[1])
	}
	return msgs
}

// opensslReason stands for the reason in parentheses of an SSL_do_handshake() failure,
// OpenSSL's in nginx's log, Go's in a ProxyError.
var opensslReason = regexp.MustCompile(`SSL_do_handshake\(\) failed \(.*\) while`)

// TestProxyTLSMatchesNginx sends the same requests through nginx 1.22's proxy_pass https://
// and through Proxy.Do to the same TLS backends, and compares the SNI the backends got, the
// statuses, and nginx's error-log messages with the ProxyErrors'.
func TestProxyTLSMatchesNginx(t *testing.T) {
	servertest.Nginx(t)
	dir := t.TempDir()
	pki := newTestPKI(t)
	other := newTestCA(t, "other CA")
	inter1 := pki.ca.intermediate(t, "intermediate CA 1")
	inter2 := inter1.intermediate(t, "intermediate CA 2")
	long := inter2.issue(t, "backend.test", []string{"backend.test"}, nil, false)
	long.Certificate = append(long.Certificate, inter2.cert.Raw, inter1.cert.Raw)
	selfSigned := tls.Certificate{Certificate: [][]byte{other.cert.Raw}, PrivateKey: other.key}
	short := inter1.issue(t, "backend.test", []string{"backend.test"}, nil, false)
	short.Certificate = append(short.Certificate, inter1.cert.Raw)
	withRoot := inter1.issue(t, "backend.test", []string{"backend.test"}, nil, false)
	withRoot.Certificate = append(withRoot.Certificate, inter1.cert.Raw, pki.ca.cert.Raw)
	expired := pki.ca.issue(t, "backend.test", []string{"backend.test"}, nil, false, func(c *x509.Certificate) {
		c.NotBefore, c.NotAfter = time.Now().Add(-2*time.Hour), time.Now().Add(-time.Hour)
	})
	file := func(name string) string { return filepath.Join(dir, name) }
	writePEM(t, tls.Certificate{Certificate: [][]byte{pki.ca.cert.Raw}}, file("ca.pem"), "")
	writePEM(t, tls.Certificate{Certificate: [][]byte{other.cert.Raw}}, file("other.pem"), "")
	writePEM(t, pki.client, file("client.pem"), file("client.key"))

	backend := startTLSBackend(t, pki.server, nil)
	chain := startTLSBackend(t, long, nil)
	self := startTLSBackend(t, selfSigned, nil)
	shortChain := startTLSBackend(t, short, nil)
	rootSent := startTLSBackend(t, withRoot, nil)
	expiredLeaf := startTLSBackend(t, expired, nil)
	clientAuth := startTLSBackend(t, pki.server, func(c *tls.Config) {
		c.ClientAuth, c.ClientCAs = tls.RequireAnyClientCert, other.pool()
	})
	plain := startRawListener(t, func(c net.Conn) {
		readHello(c)
		_, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
	})
	closing := startRawListener(t, readHello)
	silent := startRawListener(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })

	verify := func(roots string) string {
		return "proxy_ssl_verify on; proxy_ssl_trusted_certificate " + file(roots) + ";"
	}
	const named = "proxy_ssl_name backend.test; "
	trusted := func(c ProxyTLS) *ProxyTLS {
		c.Verify, c.Name = true, "backend.test"
		if c.TrustedCertificate == nil {
			c.TrustedCertificate = pki.ca.pool()
		}
		return &c
	}
	// Each location has its own upstream block, uN, and the Proxy its own Group of that name,
	// so that the default proxy_ssl_name ($proxy_host) is uN; "/sni-ip/" passes to the address.
	type route struct {
		path, directives string
		addr             string
		tls              *ProxyTLS
		sni              *tlsBackend // the backend whose SNI is compared
	}
	routes := []route{
		{"/default/", "", backend.addr(), &ProxyTLS{}, backend},
		{"/sni/", "proxy_ssl_server_name on;", backend.addr(), &ProxyTLS{ServerName: true}, backend},
		{"/sni-name/", "proxy_ssl_server_name on; proxy_ssl_name other.test;", backend.addr(),
			&ProxyTLS{ServerName: true, Name: "other.test"}, backend},
		{"/name-only/", "proxy_ssl_name other.test;", backend.addr(), &ProxyTLS{Name: "other.test"}, backend},
		{"/sni-ip/", "proxy_ssl_server_name on;", backend.addr(), &ProxyTLS{ServerName: true}, backend},
		{"/verify/", named + verify("ca.pem"), backend.addr(), trusted(ProxyTLS{}), backend},
		{"/verify-sni/", "proxy_ssl_server_name on; " + named + verify("ca.pem"), backend.addr(),
			trusted(ProxyTLS{ServerName: true}), backend},
		{"/verify-wrong-ca/", named + verify("other.pem"), backend.addr(), trusted(ProxyTLS{TrustedCertificate: other.pool()}), backend},
		{"/verify-wrong-name/", verify("ca.pem") + " proxy_ssl_name wrong.test;", backend.addr(),
			&ProxyTLS{Verify: true, TrustedCertificate: pki.ca.pool(), Name: "wrong.test"}, backend},
		{"/verify-ip/", verify("ca.pem") + " proxy_ssl_name 127.0.0.1;", backend.addr(),
			&ProxyTLS{Verify: true, TrustedCertificate: pki.ca.pool(), Name: "127.0.0.1"}, backend},
		{"/verify-self-signed/", named + verify("ca.pem"), self.addr(), trusted(ProxyTLS{}), self},
		{"/verify-chain/", named + verify("ca.pem"), shortChain.addr(), trusted(ProxyTLS{}), shortChain},
		{"/verify-chain-wrong-ca/", named + verify("other.pem"), shortChain.addr(),
			trusted(ProxyTLS{TrustedCertificate: other.pool()}), shortChain},
		{"/verify-root-sent/", named + verify("other.pem"), rootSent.addr(),
			trusted(ProxyTLS{TrustedCertificate: other.pool()}), rootSent},
		{"/verify-expired/", named + verify("ca.pem"), expiredLeaf.addr(), trusted(ProxyTLS{}), expiredLeaf},
		{"/verify-chain-too-long/", named + verify("ca.pem"), chain.addr(), trusted(ProxyTLS{}), chain},
		{"/verify-depth-2/", "proxy_ssl_verify_depth 2; " + named + verify("ca.pem"), chain.addr(), trusted(ProxyTLS{VerifyDepth: 2}), chain},
		{"/client-cert/", "proxy_ssl_certificate " + file("client.pem") + "; proxy_ssl_certificate_key " + file("client.key") + ";",
			clientAuth.addr(), &ProxyTLS{Certificate: &pki.client}, clientAuth},
		{"/plain/", "", plain, &ProxyTLS{}, nil},
		{"/closing/", "", closing, &ProxyTLS{}, nil},
		{"/silent/", "proxy_connect_timeout 1s;", silent, &ProxyTLS{}, nil},
	}

	var upstreams, locations strings.Builder
	proxies := map[string]*Proxy{}
	for i, r := range routes {
		name := r.addr
		if r.path != "/sni-ip/" {
			name = fmt.Sprintf("u%d", i)
			fmt.Fprintf(&upstreams, "    upstream %s { server %s; }\n", name, r.addr)
		}
		fmt.Fprintf(&locations, "        location %s { %s proxy_pass https://%s; }\n", r.path, r.directives, name)
		p := newTLSProxy(t, name, r.addr, r.tls)
		if strings.Contains(r.directives, "proxy_connect_timeout 1s") {
			p.ConnectTimeout = time.Second
		}
		proxies[r.path] = p
	}
	nginx := servertest.FreeAddr(t)
	servertest.StartNginx(t, dir, fmt.Sprintf(`daemon off; master_process off; worker_processes 1;
pid logs/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path %[1]s/tmp/body; proxy_temp_path %[1]s/tmp/proxy;
    fastcgi_temp_path %[1]s/tmp/fastcgi; uwsgi_temp_path %[1]s/tmp/uwsgi; scgi_temp_path %[1]s/tmp/scgi;
%[3]s    server {
        listen %[2]s;
        location = /ready { return 204; }
%[4]s    }
}
`, dir, nginx, upstreams.String(), locations.String()), servertest.Get("http://"+nginx+"/ready"))

	type result struct {
		status int
		client string // the client certificate's name, as the backend saw it
		msg    string
		sni    []string
	}
	for _, r := range routes {
		t.Run(r.path, func(t *testing.T) {
			var n, g result
			resp, _ := rawExchange(t, nginx, "GET "+r.path+" HTTP/1.1\r\nHost: client\r\nConnection: close\r\n\r\n")
			n.status, n.client = resp.StatusCode, resp.Header.Get("X-Client")
			if msgs := nginxErrors(t, filepath.Join(dir, "logs", "error.log"))[r.path]; len(msgs) > 0 {
				n.msg = msgs[len(msgs)-1]
			}
			if r.sni != nil {
				n.sni = r.sni.sni()
			}
			out := &Outgoing{URI: r.path, Header: []Field{{"Host", "client"}, {"Connection", "close"}}}
			gr, err := proxies[r.path].Do(context.Background(), out)
			var pe *ProxyError
			if errors.As(err, &pe) {
				g.status, g.msg = pe.Status, pe.Msg
			} else {
				require.NoError(t, err)
				g.status, g.client = gr.Status, gr.Header.Get("X-Client")
				_, _ = io.Copy(io.Discard, gr.Body)
				require.NoError(t, gr.Body.Close())
			}
			if r.sni != nil {
				g.sni = r.sni.sni()
			}
			t.Logf("nginx: %d %q SNI %q", n.status, n.msg, n.sni)
			assert.Equal(t, n.status, g.status, "status")
			assert.Equal(t, n.sni, g.sni, "SNI")
			assert.Equal(t, n.client, g.client, "client certificate")
			assert.Equal(t, opensslReason.ReplaceAllString(n.msg, "SSL_do_handshake() failed (…) while"),
				opensslReason.ReplaceAllString(g.msg, "SSL_do_handshake() failed (…) while"), "error-log message")
		})
	}
}
