package upstream

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"
)

// ProxyTLS are the proxy_ssl_* directives of a Proxy to HTTPS servers (proxy_pass https://).
// The zero value is nginx's defaults: no SNI, no verification of the server's certificate, no
// client certificate, TLS 1.2 and 1.3, sessions reused. Only HTTP/1.x is spoken over TLS: no
// ALPN is offered, as nginx offers none to upstreams. Go's crypto/tls stands in for OpenSSL.
type ProxyTLS struct {
	// ServerName is proxy_ssl_server_name: send Name as SNI. nginx's default, off, sends none;
	// an IP address is never sent (RFC 6066).
	ServerName bool
	// Name is proxy_ssl_name: the name sent as SNI and checked against the certificate; ""
	// means the Proxy's Host, else its Group's Name ($proxy_host). A port is removed, as nginx
	// does.
	Name string
	// Verify is proxy_ssl_verify: check the server's certificate chain against
	// TrustedCertificate and its name against Name. Off by default, as nginx, which then
	// accepts any certificate.
	Verify bool
	// TrustedCertificate is proxy_ssl_trusted_certificate, loaded (LoadCertPool): the CA
	// certificates Verify trusts. Verify requires it, as nginx ("no
	// proxy_ssl_trusted_certificate for proxy_ssl_verify").
	TrustedCertificate *x509.CertPool
	// VerifyDepth is proxy_ssl_verify_depth: how many intermediate certificates a verified
	// chain may have; 0 means nginx's default, 1.
	VerifyDepth int
	// Certificate is proxy_ssl_certificate with proxy_ssl_certificate_key
	// (tls.LoadX509KeyPair): the client certificate sent when the server asks for one, as
	// OpenSSL sends it, whatever CAs the server names; nil sends none.
	Certificate *tls.Certificate
	// Protocols is proxy_ssl_protocols, tls.VersionTLS10 to tls.VersionTLS13 (ParseProtocols
	// reads nginx's names). nil means TLS 1.2 and 1.3: nginx 1.22's default "TLSv1 TLSv1.1
	// TLSv1.2 TLSv1.3" as OpenSSL 3 applies it, refusing TLS 1.0 and 1.1 at its default
	// security level. Go negotiates a range, from the lowest to the highest listed.
	Protocols []uint16
	// NoSessionReuse is proxy_ssl_session_reuse off. By default a session is kept for each
	// server of the group (and each Name and Certificate) and resumed by its next handshake.
	NoSessionReuse bool
}

// whileHandshaking is the stage of a TLS handshake, in the wording of nginx's error log.
const whileHandshaking = "SSL handshaking to upstream"

// proxySessions keeps the TLS sessions of every Proxy, keyed by group, server, name and
// client certificate, as nginx keeps one per server of an upstream block.
var proxySessions = tls.NewLRUClientSessionCache(1024)

// keyedSessions is proxySessions under one key, whatever the key crypto/tls asks for.
type keyedSessions string

func (k keyedSessions) Get(string) (*tls.ClientSessionState, bool) {
	return proxySessions.Get(string(k))
}

func (k keyedSessions) Put(_ string, cs *tls.ClientSessionState) { proxySessions.Put(string(k), cs) }

// LoadCertPool reads a PEM file of CA certificates, as proxy_ssl_trusted_certificate names it.
func LoadCertPool(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("upstream: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("upstream: %s: no PEM certificate in it", file)
	}
	return pool, nil
}

// ParseProtocols returns the versions of proxy_ssl_protocols' parameters ("TLSv1",
// "TLSv1.1", "TLSv1.2", "TLSv1.3"). "SSLv2" and "SSLv3", which OpenSSL 3 and Go do not speak,
// are left out.
func ParseProtocols(names ...string) ([]uint16, error) {
	versions := map[string]uint16{"TLSv1": tls.VersionTLS10, "TLSv1.1": tls.VersionTLS11,
		"TLSv1.2": tls.VersionTLS12, "TLSv1.3": tls.VersionTLS13}
	var out []uint16
	for _, n := range names {
		v, ok := versions[n]
		switch {
		case n == "SSLv2" || n == "SSLv3":
		case !ok:
			return nil, fmt.Errorf("upstream: invalid value %q in proxy_ssl_protocols", n)
		default:
			out = append(out, v)
		}
	}
	return out, nil
}

// check reports settings nginx refuses.
func (t *ProxyTLS) check() error {
	if t.Verify && t.TrustedCertificate == nil {
		return errors.New("upstream: no ProxyTLS.TrustedCertificate for Verify (no proxy_ssl_trusted_certificate for proxy_ssl_verify)")
	}
	for _, v := range t.Protocols {
		if v < tls.VersionTLS10 || v > tls.VersionTLS13 {
			return fmt.Errorf("upstream: unsupported TLS version %#x in ProxyTLS.Protocols", v)
		}
	}
	return nil
}

// tlsName is the proxy's proxy_ssl_name, its port removed as ngx_http_upstream_ssl_name does.
func (p *Proxy) tlsName() string {
	name := p.TLS.Name
	if name == "" {
		name = p.Host
	}
	if name == "" {
		name = p.Group.Name
	}
	from := 0
	if strings.HasPrefix(name, "[") {
		from = max(strings.IndexByte(name, ']'), 0)
	}
	if i := strings.IndexByte(name[from:], ':'); i >= 0 {
		name = name[:from+i]
	}
	return name
}

// tlsPool names the keepalive pool of TLS connections to server pr with name, apart from
// the plain connections to it (named by its address).
func tlsPool(pr *member, name string) string { return "https://" + name + "@" + pr.name }

// config returns the client configuration of a handshake with name.
func (t *ProxyTLS) config(name, sessionKey string) *tls.Config {
	cfg := &tls.Config{
		// Verified after the handshake, as nginx does, to word failures as it does.
		InsecureSkipVerify: true,
		MinVersion:         tls.VersionTLS12,
		MaxVersion:         tls.VersionTLS13,
	}
	if t.ServerName && name != "" && !strings.HasPrefix(name, "[") && net.ParseIP(name) == nil {
		cfg.ServerName = name
	}
	if len(t.Protocols) > 0 {
		cfg.MinVersion, cfg.MaxVersion = slices.Min(t.Protocols), slices.Max(t.Protocols)
	}
	if cert := t.Certificate; cert != nil {
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return cert, nil }
	}
	if !t.NoSessionReuse {
		cfg.ClientSessionCache = keyedSessions(sessionKey)
	}
	return cfg
}

// handshakeError is a failed handshake, worded as nginx logs it.
type handshakeError struct {
	msg string
	err error
}

func (e *handshakeError) Error() string { return e.msg }
func (e *handshakeError) Unwrap() error { return e.err }

// handshake makes c, a new connection to server pr, a TLS connection, by deadline (nginx
// bounds the connect and the handshake together with proxy_connect_timeout). On failure c is
// left to the caller to close, without a close_notify, as nginx does.
func (p *Proxy) handshake(ctx context.Context, c *Conn, pr *member, name string, deadline time.Time) error {
	t := p.TLS
	key := fmt.Sprintf("%p %s %p", p.Group, tlsPool(pr, name), t.Certificate)
	tc := tls.Client(c.conn, t.config(name, key))
	_ = c.conn.SetDeadline(deadline)
	if err := tc.HandshakeContext(ctx); err != nil {
		return handshakeFailure(err)
	}
	if t.Verify {
		if err := t.verify(tc.ConnectionState(), name); err != nil {
			return err
		}
	}
	_ = c.conn.SetDeadline(time.Time{})
	c.conn = tc
	c.r.Reset(tc)
	return nil
}

// handshakeFailure words a failed handshake as ngx_ssl_handshake does, Go's reason in place
// of OpenSSL's; a timeout is returned as is.
func handshakeFailure(err error) error {
	var errno syscall.Errno
	switch {
	case isTimeout(err) || errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return &handshakeError{msg: "peer closed connection in SSL handshake", err: err}
	case errors.As(err, &errno):
		if errno == syscall.ECONNRESET || errno == syscall.EPIPE {
			return &handshakeError{msg: "peer closed connection in SSL handshake (" + errnoText(errno) + ")", err: err}
		}
		return &handshakeError{msg: "SSL_do_handshake() failed (" + errnoText(errno) + ")", err: err}
	}
	return &handshakeError{msg: "SSL_do_handshake() failed (" + err.Error() + ")", err: err}
}

// verify checks the server's certificate as ngx_http_upstream_ssl_handshake does: the chain
// first, then the name.
func (t *ProxyTLS) verify(cs tls.ConnectionState, name string) error {
	if ve := verifyChain(cs.PeerCertificates, t.TrustedCertificate, t.VerifyDepth); ve != nil {
		return &handshakeError{msg: fmt.Sprintf("upstream SSL certificate verify error: (%d:%s)", ve.Code, ve.Text), err: ve}
	}
	if !matchesHost(cs.PeerCertificates[0], name) {
		return &handshakeError{msg: "upstream SSL certificate does not match \"" + name + "\"", err: ErrHostMismatch}
	}
	return nil
}

// verifyChain verifies the certificates the server sent, its own first, against roots, with
// at most depth intermediate certificates (0 means 1). It returns nil or the error
// SSL_get_verify_result reports to nginx, whose verify callback lets OpenSSL go on after each
// error: the last one found. So a chain too long ends in "unable to get local issuer
// certificate" (20), and a lone certificate of an unknown issuer in "unable to verify the
// first certificate" (21).
func verifyChain(certs []*x509.Certificate, roots *x509.CertPool, depth int) *VerifyError {
	if len(certs) == 0 {
		return &VerifyError{Code: 20, Text: "unable to get local issuer certificate"}
	}
	if depth <= 0 {
		depth = 1
	}
	leaf := certs[0]
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	if roots == nil {
		roots = x509.NewCertPool()
	}
	chains, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
	var inv x509.CertificateInvalidError
	switch {
	case err == nil:
		// OpenSSL's depth d allows levels 0 (the server's certificate) to d+1 (the trust
		// anchor): d intermediate certificates.
		for _, ch := range chains {
			if len(ch) <= depth+2 {
				return nil
			}
		}
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		if time.Now().Before(inv.Cert.NotBefore) {
			return &VerifyError{Code: 9, Text: "certificate is not yet valid"}
		}
		return &VerifyError{Code: 10, Text: "certificate has expired"}
	case errors.As(err, &inv) && inv.Reason == x509.IncompatibleUsage:
		return &VerifyError{Code: 26, Text: "unsupported certificate purpose"}
	}
	// No trusted chain within depth: the chain OpenSSL builds from the certificates sent, up
	// to depth+2 of them, decides the last error (a chain too long, 22, comes before).
	chain := []*x509.Certificate{leaf}
	for len(chain) <= depth+1 {
		top := chain[len(chain)-1]
		if selfSigned(top) {
			break
		}
		i := slices.IndexFunc(certs[1:], func(c *x509.Certificate) bool {
			return c != top && !slices.Contains(chain, c) && top.CheckSignatureFrom(c) == nil
		})
		if i < 0 {
			break
		}
		chain = append(chain, certs[1+i])
	}
	switch top := chain[len(chain)-1]; {
	case selfSigned(top) && len(chain) == 1:
		return &VerifyError{Code: 18, Text: "self-signed certificate"}
	case selfSigned(top):
		return &VerifyError{Code: 19, Text: "self-signed certificate in certificate chain"}
	case len(chain) == 1:
		return &VerifyError{Code: 21, Text: "unable to verify the first certificate"}
	}
	return &VerifyError{Code: 20, Text: "unable to get local issuer certificate"}
}

// selfSigned reports whether c names itself its issuer, as OpenSSL's X509_self_signed without
// checking the signature.
func selfSigned(c *x509.Certificate) bool { return bytes.Equal(c.RawIssuer, c.RawSubject) }

// matchesHost reports whether the certificate names host as OpenSSL's X509_check_host, which
// nginx calls, sees it: an IP address is compared with the DNS names, not the IP addresses.
func matchesHost(leaf *x509.Certificate, host string) bool {
	if net.ParseIP(strings.Trim(host, "[]")) == nil {
		return leaf.VerifyHostname(host) == nil
	}
	for _, n := range leaf.DNSNames {
		if strings.EqualFold(n, host) {
			return true
		}
	}
	return len(leaf.DNSNames) == 0 && leaf.Subject.CommonName == host
}
