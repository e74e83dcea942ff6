package ngx

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"os"
	"strconv"
)

// requestVar returns the variables about the request as a whole and its connection: $request,
// $request_length, $request_id, $remote_user, $binary_remote_addr, $pid, $bytes_sent,
// $limit_rate and $request_completion.
func (r *Request) requestVar(name string) (string, bool) {
	switch name {
	case "request": // the request line as received
		return r.orig.Method + " " + r.orig.RequestURI + " " + r.orig.Proto, true
	case "request_length":
		return strconv.Itoa(r.requestLength()), true
	case "request_id":
		return r.requestID(), true
	case "remote_user":
		u, _, ok := r.orig.BasicAuth()
		return u, ok && u != ""
	case "binary_remote_addr":
		ip := net.ParseIP(r.remoteAddr())
		if v4 := ip.To4(); v4 != nil {
			return string(v4), true
		}
		return string(ip), true
	case "pid":
		return pid, true
	case "bytes_sent":
		return strconv.FormatInt(r.bytesSentAll(), 10), true
	case "limit_rate": // goresty never limits the rate of a response
		return "0", true
	case "request_completion":
		if r.phase == PhaseLog {
			return "OK", true
		}
		return "", true
	}
	return "", false
}

var pid = strconv.Itoa(os.Getpid())

// requestLength is $request_length: the bytes of the request line and header block as the
// client sent them (rebuilt from the parsed request: "Name: value" lines, which is what
// clients send) and of the body read so far.
func (r *Request) requestLength() int {
	o := r.orig
	n := len(o.Method) + 1 + len(o.RequestURI) + 1 + len(o.Proto) + 2
	if o.Host != "" {
		n += len("Host: ") + len(o.Host) + 2
	}
	for k, vs := range o.Header {
		for _, v := range vs {
			n += len(k) + 2 + len(v) + 2
		}
	}
	return n + 2 + len(r.body)
}

// requestIDKey keeps $request_id with SetValue.
type requestIDKey struct{}

// requestID returns $request_id: 32 random hex digits, the same for the whole request.
func (r *Request) requestID() string {
	if id, ok := r.Value(requestIDKey{}).(string); ok {
		return id
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	r.SetValue(requestIDKey{}, id)
	return id
}

// bytesSentAll is $bytes_sent, what reached the connection: 0 while the response sits in
// net/http's buffer, as in nginx while it sits in its own; after a flush, the status line and
// header block and the body flushed; once the body ended (and in the log phase), all of it.
// The header block is counted as goresty hands it to net/http plus the Date line net/http
// adds; the Content-Length or Transfer-Encoding and Connection lines net/http may add, and
// chunk framing, are not known here, so the figure can fall short of nginx's by those.
func (r *Request) bytesSentAll() int64 {
	var body int64
	switch {
	case !r.headersSent:
		return 0
	case r.eofSent || r.phase == PhaseLog:
		body = r.bytesSent
	case r.flushed:
		body = r.flushedBody
	default:
		return 0
	}
	n := len("HTTP/1.1 200 ") + len(http.StatusText(r.status)) + 2
	n += len("Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n")
	for k, vs := range r.w.Header() {
		for _, v := range vs {
			n += len(k) + 2 + len(v) + 2
		}
	}
	return int64(n+2) + body
}
