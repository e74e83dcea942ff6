package upstream

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// TLS of cosockets (tcpsock:sslhandshake): Go's crypto/tls stands in for OpenSSL.

// Session is a TLS session a handshake returned, to resume in a later handshake with the same
// server. With TLS 1.3 the server sends it after the handshake, so it is filled in when the
// connection first reads.
type Session struct {
	mu    sync.Mutex
	key   string
	state *tls.ClientSessionState
}

// sessionCache hands one session to a handshake and fills another with the one the server
// gives.
type sessionCache struct {
	in  *Session
	out *Session
}

func (s *sessionCache) Get(key string) (*tls.ClientSessionState, bool) {
	if s.in == nil {
		return nil, false
	}
	s.in.mu.Lock()
	defer s.in.mu.Unlock()
	if s.in.key == key && s.in.state != nil {
		return s.in.state, true
	}
	return nil, false
}

func (s *sessionCache) Put(key string, cs *tls.ClientSessionState) {
	if cs == nil {
		return
	}
	s.out.mu.Lock()
	s.out.key, s.out.state = key, cs
	s.out.mu.Unlock()
}

// HandshakeOptions are sslhandshake's arguments and the server's TLS settings.
type HandshakeOptions struct {
	// Session, when not nil, is offered for resumption.
	Session *Session
	// ServerName is sent as SNI, and checked against the certificate when Verify is set.
	ServerName string
	// Verify checks the server's certificate chain against RootCAs (lua_ssl_trusted_certificate;
	// nil trusts nothing, as nginx without that directive) up to VerifyDepth intermediate
	// certificates (lua_ssl_verify_depth; 0 means 1, nginx's default).
	Verify      bool
	RootCAs     *x509.CertPool
	VerifyDepth int
	// Timeout bounds the handshake (the socket's connect timeout).
	Timeout time.Duration
}

// VerifyError is a failed verification of the server's certificate, worded as OpenSSL's
// verify result: "20: unable to get local issuer certificate".
type VerifyError struct {
	Code int
	Text string
}

func (e *VerifyError) Error() string { return fmt.Sprintf("%d: %s", e.Code, e.Text) }

// ErrHostMismatch is a certificate that does not name the server.
var ErrHostMismatch = errors.New("certificate host mismatch")

// ErrHandshake is any other failed handshake.
var ErrHandshake = errors.New("handshake failed")

// IsTLS reports whether the connection has made its TLS handshake.
func (c *Conn) IsTLS() bool {
	_, ok := c.conn.(*tls.Conn)
	return ok
}

// Handshake makes the connection a TLS client connection and returns the session to resume it
// with later. On failure the connection is unusable; the error
// is a *VerifyError, ErrHostMismatch, or wraps ErrHandshake with Go's reason.
func (c *Conn) Handshake(ctx context.Context, o HandshakeOptions) (*Session, error) {
	cache := &sessionCache{in: o.Session, out: &Session{}}
	cfg := &tls.Config{
		ServerName:         o.ServerName,
		InsecureSkipVerify: true, // verified below, to word failures as nginx does
		ClientSessionCache: cache,
	}
	if o.Verify {
		cfg.VerifyConnection = func(cs tls.ConnectionState) error { return verify(cs, o) }
	}
	tc := tls.Client(c.conn, cfg)
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	if err := tc.HandshakeContext(ctx); err != nil {
		var ve *VerifyError
		if errors.As(err, &ve) || errors.Is(err, ErrHostMismatch) {
			return nil, unwrapVerify(err)
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			return nil, ErrTimeout
		}
		return nil, fmt.Errorf("%w: %v", ErrHandshake, err)
	}
	c.conn = tc
	c.r.Reset(tc)
	return cache.out, nil
}

// unwrapVerify returns the verification error inside a handshake error.
func unwrapVerify(err error) error {
	var ve *VerifyError
	if errors.As(err, &ve) {
		return ve
	}
	return ErrHostMismatch
}

// verify checks the chain and the name as nginx's lua_ssl_verify does: the chain as
// verifyChain (the last error OpenSSL found, as nginx's verify callback goes on after each),
// then the name.
func verify(cs tls.ConnectionState, o HandshakeOptions) error {
	if ve := verifyChain(cs.PeerCertificates, o.RootCAs, o.VerifyDepth); ve != nil {
		return ve
	}
	if o.ServerName != "" {
		if err := cs.PeerCertificates[0].VerifyHostname(o.ServerName); err != nil {
			return ErrHostMismatch
		}
	}
	return nil
}
