package upstream

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Where a try failed, in the wording of nginx's error log.
const (
	whileConnecting = "connecting to upstream"
	whileSending    = "sending request to upstream"
	whileHeader     = "reading response header from upstream"
	whileBody       = "reading upstream"
)

// exchange is one try: the connection, the response header or the failure.
type exchange struct {
	start   time.Time
	attempt Attempt
	resp    *Response
	body    *body
	err     *ProxyError
	ft      NextUpstream // the failure's kind
	cached  bool         // the connection came from the keepalive cache
	sent    bool         // sending the request started
}

// exchange makes one try of out on server pr.
func (p *Proxy) exchange(ctx context.Context, pr *member, out *Outgoing) *exchange {
	g := p.Group
	x := &exchange{start: time.Now()}
	x.attempt = Attempt{Addr: pr.name, Connect: -1, Header: -1}
	connect, send, read := Settings{ConnectTimeout: p.ConnectTimeout, SendTimeout: p.SendTimeout,
		ReadTimeout: p.ReadTimeout}.Timeouts()
	o := DialOptions{Backlog: -1, Timeout: connect}
	var name string
	if p.TLS != nil {
		name = p.tlsName()
		o.Pool = tlsPool(pr, name)
	}
	c, err := g.pools.Dial(ctx, pr.network, pr.addr, o)
	if err != nil {
		return x.fail(ctx, err, "connect()", whileConnecting, nil)
	}
	if p.TLS != nil && !c.IsTLS() {
		if err := p.handshake(ctx, c, pr, name, x.start.Add(connect)); err != nil {
			return x.fail(ctx, err, "SSL_do_handshake()", whileHandshaking, c.Close)
		}
	}
	x.attempt.Connect = time.Since(x.start)
	x.cached = c.Reused() > 0
	gd := newGuard(ctx, c.Conn())
	x.sent = true
	if err := writeRequest(c, gd, out, p.HTTPVersion, send); err != nil {
		return x.fail(ctx, err, "writev()", whileSending, func() { gd.release(); c.Close() })
	}
	gd.read(read)
	resp, err := readResponse(c.Reader(), out.Method)
	if err != nil {
		return x.fail(ctx, err, "recv()", whileHeader, func() { gd.release(); c.Close() })
	}
	x.attempt.Header = time.Since(x.start)
	x.attempt.Status = resp.Status
	_, requests := g.keepalive()
	x.body = &body{r: resp.Body, c: c, g: g, guard: gd, ctx: ctx, timeout: read, start: x.start,
		reuse: g.Keepalive > 0 && resp.Proto == "HTTP/1.1" && !resp.close && !sendsClose(out.Header) &&
			c.Reused()+1 < requests}
	resp.Body = x.body
	x.resp = &resp.Response
	return x
}

// fail ends the try with err, which op (a system call) met while stage.
func (x *exchange) fail(ctx context.Context, err error, op, stage string, cleanup func()) *exchange {
	if cleanup != nil {
		cleanup()
	}
	x.attempt.Total = time.Since(x.start)
	x.ft, x.err = NextError, &ProxyError{Addr: x.attempt.Addr, Err: err}
	var invalid *invalidHeaderError
	var handshake *handshakeError
	var errno syscall.Errno
	switch {
	case ctx.Err() != nil:
		x.err.Status, x.err.Err = statusClientClosed, ctx.Err()
		x.err.Msg = "client closed request while " + stage
	case isTimeout(err):
		x.ft = NextTimeout
		x.err.Msg = "upstream timed out (" + errnoText(syscall.ETIMEDOUT) + ") while " + stage
	case errors.As(err, &handshake):
		x.err.Msg = handshake.msg + " while " + stage
	case errors.As(err, &invalid):
		x.ft = NextInvalidHeader
		x.err.Msg = "upstream sent invalid header: " + strconv.Quote(invalid.reason) + " while " + stage
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		x.err.Msg = "upstream prematurely closed connection while " + stage
	case errors.As(err, &errno):
		x.err.Msg = op + " failed (" + errnoText(errno) + ") while " + stage
	default:
		x.err.Msg = op + " failed (" + err.Error() + ") while " + stage
	}
	if x.err.Status == 0 {
		x.err.Status = failureStatus(x.ft)
	}
	x.attempt.Status = x.err.Status
	return x
}

// errnoText is an errno as nginx logs it: "111: Connection refused".
func errnoText(errno syscall.Errno) string {
	s := errno.Error()
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return strconv.Itoa(int(errno)) + ": " + s
}

// isTimeout reports whether err is a timeout of a network operation.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// headBuffers are the buffers the request heads are written in.
var headBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// writeRequest sends out's head and body, each write bounded by timeout.
func writeRequest(c *Conn, gd *guard, out *Outgoing, version string, timeout time.Duration) error {
	bp := headBuffers.Get().(*[]byte)
	defer headBuffers.Put(bp)
	b := appendHead((*bp)[:0], out, version)
	body := out.Body
	if len(body) <= 64<<10 { // one write, as nginx's writev
		b, body = append(b, body...), nil
	}
	if cap(b) <= 128<<10 {
		*bp = b[:0]
	}
	for _, chunk := range [][]byte{b, body} {
		if len(chunk) == 0 {
			continue
		}
		if err := gd.write(timeout); err != nil {
			return err
		}
		if _, err := c.Write(chunk); err != nil {
			return err
		}
	}
	return nil
}

// appendHead appends the request line and header of out.
func appendHead(b []byte, out *Outgoing, version string) []byte {
	method, uri := out.Method, out.URI
	if method == "" {
		method = "GET"
	}
	if uri == "" {
		uri = "/"
	}
	if version == "" {
		version = "1.0"
	}
	b = append(append(append(append(append(b, method...), ' '), uri...), " HTTP/"...), version...)
	b = append(b, "\r\n"...)
	length := false
	for _, f := range out.Header {
		if f.Value == "" {
			continue
		}
		length = length || strings.EqualFold(f.Name, "Content-Length")
		b = append(append(append(append(b, f.Name...), ": "...), f.Value...), "\r\n"...)
	}
	if out.Body != nil && !length {
		b = strconv.AppendInt(append(b, "Content-Length: "...), int64(len(out.Body)), 10)
		b = append(b, "\r\n"...)
	}
	return append(b, "\r\n"...)
}

// response is a Response and what reading it found.
type response struct {
	Response
	close bool // the server closes the connection after it
}

// invalidHeaderError is a response header nginx refuses ("upstream sent invalid header").
type invalidHeaderError struct{ reason string }

func (e *invalidHeaderError) Error() string { return "invalid header: " + e.reason }

// readResponse reads a response header to method from br. A response that does not start
// with a status line nginx accepts is an HTTP/0.9 response, passed whole as a 200.
func readResponse(br *bufio.Reader, method string) (*response, error) {
	ok, err := statusLine(br)
	if err != nil {
		return nil, err
	}
	if !ok {
		return &response{Response: Response{Status: http.StatusOK, Proto: "HTTP/0.9", Header: http.Header{},
			ContentLength: -1, Body: io.NopCloser(br)}, close: true}, nil
	}
	for {
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		switch {
		case err == nil:
		case errors.Is(err, io.ErrUnexpectedEOF) || isTimeout(err):
			return nil, err
		case errors.As(err, new(net.Error)), errors.As(err, new(syscall.Errno)):
			return nil, err
		default:
			return nil, &invalidHeaderError{reason: err.Error()}
		}
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			continue // an interim response
		}
		return &response{Response: Response{Status: resp.StatusCode, Proto: resp.Proto, Header: resp.Header,
			ContentLength: resp.ContentLength, Body: resp.Body}, close: resp.Close}, nil
	}
}

// statusLine peeks at the start of a response and reports whether it is a status line as
// nginx's ngx_http_parse_status_line accepts it: "HTTP/", digits, ".", digits, spaces, a
// three-digit status, then a space, "." (IIS), CR or LF.
func statusLine(br *bufio.Reader) (bool, error) {
	for {
		b, _ := br.Peek(br.Buffered())
		if v := statusPrefix(b); v != 0 {
			return v > 0, nil
		}
		if len(b) >= br.Size() {
			return true, nil // let ReadResponse report the long line
		}
		if _, err := br.Peek(len(b) + 1); err != nil {
			if len(b) > 0 {
				return true, nil // let ReadResponse report the short line
			}
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return false, err
		}
	}
}

// statusPrefix reports whether b starts with a status line (1), cannot (-1), or is too short
// to tell (0).
func statusPrefix(b []byte) int {
	const proto = "HTTP/"
	for i := 0; i < len(proto); i++ {
		if i >= len(b) {
			return 0
		}
		if b[i] != proto[i] {
			return -1
		}
	}
	i := len(proto)
	digits := func() int { // the count of digits at i
		n := 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			n++
		}
		return n
	}
	if n := digits(); i == len(b) {
		return 0
	} else if n == 0 || n > 3 || b[i] != '.' {
		return -1
	}
	i++
	if n := digits(); i == len(b) {
		return 0
	} else if n == 0 || n > 3 || b[i] != ' ' {
		return -1
	}
	for ; i < len(b) && b[i] == ' '; i++ {
	}
	if n := digits(); i == len(b) {
		return 0
	} else if n != 3 || !strings.ContainsRune(" .\r\n", rune(b[i])) {
		return -1
	}
	return 1
}

// guard applies a try's deadlines to its connection until the try's context ends; from then
// on every deadline is in the past.
type guard struct {
	mu       sync.Mutex
	c        net.Conn
	done     bool // the context ended
	released bool
	stop     func() bool
}

// newGuard watches ctx for c.
func newGuard(ctx context.Context, c net.Conn) *guard {
	gd := &guard{c: c}
	if ctx.Done() != nil {
		gd.stop = context.AfterFunc(ctx, gd.cancel)
	}
	return gd
}

func (gd *guard) cancel() {
	gd.mu.Lock()
	defer gd.mu.Unlock()
	if !gd.released {
		gd.done = true
		_ = gd.c.SetDeadline(time.Unix(1, 0))
	}
}

// read and write set the read or write deadline d from now.
func (gd *guard) read(d time.Duration) error { return gd.set(d, gd.c.SetReadDeadline) }

func (gd *guard) write(d time.Duration) error { return gd.set(d, gd.c.SetWriteDeadline) }

func (gd *guard) set(d time.Duration, set func(time.Time) error) error {
	gd.mu.Lock()
	defer gd.mu.Unlock()
	if gd.done {
		return context.Canceled
	}
	return set(time.Now().Add(d))
}

// release stops watching and reports whether the context did not end.
func (gd *guard) release() bool {
	gd.mu.Lock()
	gd.released = true
	done := gd.done
	gd.mu.Unlock()
	if gd.stop != nil {
		gd.stop()
	}
	return !done
}

// body is a Response's Body: reads with deadlines, and the connection's end.
type body struct {
	r       io.ReadCloser // the decoded body
	c       *Conn
	g       *Group
	guard   *guard
	ctx     context.Context
	timeout time.Duration
	start   time.Time      // the try's
	total   *time.Duration // its Attempt's Total
	reuse   bool           // the connection may be kept when the body is read
	eof     bool
	closed  bool
}

// errBodyClosed is a read after Close.
var errBodyClosed = errors.New("upstream: read on closed response body")

func (b *body) Read(p []byte) (int, error) {
	switch {
	case b.closed:
		return 0, errBodyClosed
	case b.eof:
		return 0, io.EOF
	}
	if err := b.guard.read(b.timeout); err != nil {
		return 0, b.ctx.Err()
	}
	n, err := b.r.Read(p)
	switch {
	case errors.Is(err, io.EOF):
		b.end()
	case err != nil && b.ctx.Err() != nil:
		err = b.ctx.Err()
	case isTimeout(err):
		err = fmt.Errorf("upstream timed out (%s) while %s: %w", errnoText(syscall.ETIMEDOUT), whileBody, err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("upstream prematurely closed connection while %s: %w", whileBody, err)
	}
	return n, err
}

// end marks the body read to its end.
func (b *body) end() {
	b.eof = true
	if b.total != nil {
		*b.total = time.Since(b.start)
	}
}

// Close keeps the connection when it may be reused, else closes it.
func (b *body) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	if !b.eof && b.reuse {
		// The rest of the body may be buffered already: skip it, without waiting for more.
		_ = b.c.SetReadDeadline(time.Now())
		if _, err := io.Copy(io.Discard, b.r); err == nil {
			b.end()
		}
	}
	if b.total != nil && !b.eof {
		*b.total = time.Since(b.start)
	}
	live := b.guard.release()
	if b.eof && b.reuse && live {
		idle, _ := b.g.keepalive()
		_ = b.c.SetReadDeadline(time.Time{}) // Keepalive looks at the socket, which a deadline passed fails
		if err := b.c.Keepalive(b.g.pools, idle, b.g.Keepalive); err != nil {
			b.c.Close()
		}
		return nil
	}
	b.c.Close()
	return nil
}

// discard closes a response that is passed on to the next server.
func (b *body) discard() {
	b.reuse = false
	_ = b.Close()
}
