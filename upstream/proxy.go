package upstream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// NextUpstream is proxy_next_upstream: in which cases a request is passed to the next server.
// The zero value is nginx's default, NextError|NextTimeout; NextOff passes none.
type NextUpstream uint16

// The flags of NextUpstream, proxy_next_upstream's parameters.
const (
	NextError         NextUpstream = 1 << iota // error: connect, send or read failed, or the upstream closed early
	NextTimeout                                // timeout: connect, send or read timed out
	NextInvalidHeader                          // invalid_header
	NextHTTP500                                // http_500
	NextHTTP502                                // http_502
	NextHTTP503                                // http_503
	NextHTTP504                                // http_504
	NextHTTP403                                // http_403 (not counted as a failure)
	NextHTTP404                                // http_404 (not counted as a failure)
	NextHTTP429                                // http_429
	NextNonIdempotent                          // non_idempotent: also retry POST, LOCK, PATCH once sent
	NextOff                                    // off
)

// flags returns n with its zero value's meaning applied.
func (n NextUpstream) flags() NextUpstream {
	switch {
	case n == 0:
		return NextError | NextTimeout
	case n&NextOff != 0:
		return 0
	}
	return n
}

// Field is a header field of an Outgoing request.
type Field struct{ Name, Value string }

// Outgoing is the request a Proxy sends: already final, the caller computed the URI and the
// header fields (DefaultFields computes nginx's default ones).
type Outgoing struct {
	// Method is the request method; "" means GET.
	Method string
	// URI is the request target sent upstream, e.g. "/a?b=1"; "" means "/".
	URI string
	// Header are the fields in the order sent; a Field with an empty Value is not sent, as
	// nginx does not send a header whose value is empty.
	Header []Field
	// Body is the whole request body (nginx reads it before it connects), nil for none. A
	// non-nil Body is sent with "Content-Length" when Header has none.
	Body []byte
	// Key is the request's balancing key for a Group whose Balance hashes: the client's
	// address for BalanceIPHash, the hash directive's value for BalanceHash and
	// BalanceConsistentHash.
	Key string
}

// Proxy sends Outgoing requests to a Group, as nginx's proxy module does: it chooses a server,
// connects (or takes a keepalive connection), sends the request, reads the response header,
// and passes the request to the next server as NextUpstream says. The zero values of the
// timeouts and tries are nginx's defaults. A Proxy is safe for concurrent use.
type Proxy struct {
	// Group is the upstream group requests go to.
	Group *Group
	// Host is $proxy_host, the Host field ServeHTTP sends; "" means the Group's Name.
	Host string
	// SetHeader are ServeHTTP's proxy_set_header fields with fixed values (DefaultFields).
	SetHeader []Field
	// HTTPVersion is proxy_http_version: "1.0" (the default when "") or "1.1".
	HTTPVersion string
	// ConnectTimeout bounds a connect, with its TLS handshake when TLS is set; SendTimeout
	// bounds each write of the request and ReadTimeout each read of the response, header and
	// body. 0 means 60s each.
	ConnectTimeout, SendTimeout, ReadTimeout time.Duration
	// NextUpstream is proxy_next_upstream.
	NextUpstream NextUpstream
	// NextUpstreamTries is proxy_next_upstream_tries: how many tries a request gets at most; 0
	// means one per server that is not down.
	NextUpstreamTries int
	// NextUpstreamTimeout is proxy_next_upstream_timeout: no further try starts this long after
	// the first; 0 means no limit.
	NextUpstreamTimeout time.Duration
	// TLS, when not nil, makes the servers HTTPS servers (proxy_pass https://) with these
	// proxy_ssl_* settings: each new connection makes a TLS handshake, within ConnectTimeout,
	// and is kept alive apart from plain connections to the same server. nil is plain HTTP.
	TLS *ProxyTLS
}

// Response is an upstream's response as Do returns it, its header read.
type Response struct {
	// Status is the status code.
	Status int
	// Proto is the status line's protocol, "HTTP/1.1", "HTTP/1.0", or "HTTP/0.9" for a
	// response without a status line, which nginx passes as a 200 with no header.
	Proto string
	// Header is the header as net/http's ReadResponse parsed it (names canonical, the
	// Transfer-Encoding field removed), nothing hidden: CopyHeader applies nginx's rules.
	Header http.Header
	// ContentLength is the body's length, -1 when unknown.
	ContentLength int64
	// Body streams the body, its chunked, length or close-delimited framing decoded, each read
	// bounded by the ReadTimeout. Close returns the connection to the group's keepalive cache
	// when it may be reused (the group keeps connections, the response is HTTP/1.1 without
	// "Connection: close", the body was read to its end, the request did not send
	// "Connection: close", keepalive_requests is not reached); else it closes it. Body must be
	// closed.
	Body io.ReadCloser
	// Attempts are the tries of the request, in order, this response's last.
	Attempts []Attempt
}

// Attempt is one try of a request: the values of nginx's $upstream_addr, $upstream_status,
// $upstream_connect_time, $upstream_header_time and $upstream_response_time for it.
type Attempt struct {
	// Addr is the server's address, or the group's name when no server was available.
	Addr string
	// Status is the response's status, or the status of the try's failure (502, 504).
	Status int
	// Connect and Header are the times, from the try's start, to connect (the TLS handshake
	// included) and to read the response header; -1 when not reached (nginx's "-").
	Connect, Header time.Duration
	// Total is the time from the try's start to its failure or the end of its response body.
	Total time.Duration
	// Err is nginx's error-log message of a try that failed ("connect() failed (111:
	// Connection refused) while connecting to upstream"); "" for one that got a response.
	Err string
	// Disabled reports that the try's failure made the server unavailable for its
	// fail_timeout: nginx then warns "upstream server temporarily disabled".
	Disabled bool
}

// ProxyError is a request that failed on every try. nginx answers it with Status: 502 for an
// error, an invalid header or no live upstreams, 504 for a timeout; 499 means the context
// ended (nginx's "client closed request") and wraps the context's error.
type ProxyError struct {
	// Status is the status nginx answers with.
	Status int
	// Addr is the address of the last server tried, or the group's name.
	Addr string
	// Msg is nginx's error-log message, e.g. "connect() failed (111: Connection refused)
	// while connecting to upstream".
	Msg string
	// Err is the underlying error, if any.
	Err error
	// Attempts are the request's tries.
	Attempts []Attempt
}

// Error returns Msg, nginx's error-log message.
func (e *ProxyError) Error() string { return e.Msg }

// Unwrap returns the underlying error.
func (e *ProxyError) Unwrap() error { return e.Err }

// Do sends out to the group and returns the first response that is not passed on to the next
// server, its body still to be read, or a *ProxyError when every try failed. A response whose
// status is in NextUpstream is passed on while tries are left, else returned as is.
func (p *Proxy) Do(ctx context.Context, out *Outgoing) (*Response, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	g := p.Group
	start := time.Now()
	t := g.newTries(p.NextUpstreamTries, out.Key)
	next := p.NextUpstream.flags()
	var attempts []Attempt
	for {
		pr := g.pick(t, g.now())
		if pr == nil {
			const msg = "no live upstreams while connecting to upstream"
			attempts = append(attempts, Attempt{Addr: g.Name, Status: http.StatusBadGateway, Connect: -1, Header: -1, Err: msg})
			return nil, &ProxyError{Status: http.StatusBadGateway, Addr: g.Name, Msg: msg, Attempts: attempts}
		}
		x := p.exchange(ctx, pr, out)
		attempts = append(attempts, x.attempt)
		expired := p.NextUpstreamTimeout > 0 && time.Since(start) >= p.NextUpstreamTimeout
		if x.err == nil {
			ft := statusNext(x.resp.Status)
			mask := ft | nonIdempotent(out.Method, true)
			if ft == 0 || t.left <= 1 || next&mask != mask || expired {
				g.free(pr, t, false, g.now())
				x.resp.Attempts = attempts
				x.body.total = &x.resp.Attempts[len(attempts)-1].Total
				return x.resp, nil
			}
			x.body.discard()
			attempts[len(attempts)-1].Total = time.Since(x.start)
			attempts[len(attempts)-1].Disabled = g.free(pr, t, ft != NextHTTP403 && ft != NextHTTP404, g.now())
			continue
		}
		if x.err.Status == statusClientClosed {
			x.err.Attempts = attempts
			return nil, x.err
		}
		attempts[len(attempts)-1].Err = x.err.Msg
		attempts[len(attempts)-1].Disabled = g.free(pr, t, true, g.now())
		x.err.Attempts = attempts
		if x.cached && x.ft == NextError {
			t.left++ // a keepalive connection the server closed meanwhile: the try does not count
		}
		mask := x.ft | nonIdempotent(out.Method, x.sent)
		if t.left == 0 || next&mask != mask || expired {
			return nil, x.err
		}
	}
}

// statusClientClosed is nginx's 499, for a request whose context ended.
const statusClientClosed = 499

// check reports a Proxy that cannot send.
func (p *Proxy) check() error {
	switch {
	case p.Group == nil:
		return errors.New("upstream: Proxy without a Group")
	case p.HTTPVersion != "" && p.HTTPVersion != "1.0" && p.HTTPVersion != "1.1":
		return fmt.Errorf("upstream: invalid HTTPVersion %q", p.HTTPVersion)
	case p.TLS != nil:
		return p.TLS.check()
	}
	return nil
}

// statusNext returns the NextUpstream flag of a response status, 0 for none.
func statusNext(status int) NextUpstream {
	switch status {
	case 500:
		return NextHTTP500
	case 502:
		return NextHTTP502
	case 503:
		return NextHTTP503
	case 504:
		return NextHTTP504
	case 403:
		return NextHTTP403
	case 404:
		return NextHTTP404
	case 429:
		return NextHTTP429
	}
	return 0
}

// failureStatus is the status nginx answers a failed try with.
func failureStatus(ft NextUpstream) int {
	switch ft {
	case NextTimeout:
		return http.StatusGatewayTimeout
	}
	return http.StatusBadGateway
}

// nonIdempotent returns NextNonIdempotent for a request nginx retries only with it: a POST,
// LOCK or PATCH whose sending started.
func nonIdempotent(method string, sent bool) NextUpstream {
	if sent && (method == "POST" || method == "LOCK" || method == "PATCH") {
		return NextNonIdempotent
	}
	return 0
}

// sendsClose reports whether the fields ask the server to close the connection.
func sendsClose(fields []Field) bool {
	for _, f := range fields {
		if strings.EqualFold(f.Name, "Connection") {
			for tok := range strings.SplitSeq(f.Value, ",") {
				if strings.EqualFold(strings.TrimSpace(tok), "close") {
					return true
				}
			}
		}
	}
	return false
}
