package upstream

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

var _ http.Handler = (*Proxy)(nil)

// DefaultHiddenHeaders are the response fields nginx's proxy module does not pass to the
// client unless proxy_pass_header names them (it adds its own Date and Server).
var DefaultHiddenHeaders = []string{"Date", "Server", "X-Pad", "X-Accel-Expires", "X-Accel-Redirect",
	"X-Accel-Limit-Rate", "X-Accel-Buffering", "X-Accel-Charset"}

// connectionFields are the response fields nginx never passes: they describe the upstream
// connection. (nginx passes the fields a Connection field names.)
var connectionFields = []string{"Connection", "Keep-Alive", "Transfer-Encoding"}

// defaultSetFields are the names of nginx's default proxy_set_header fields: a client's
// field of these names is never passed.
var defaultSetFields = []string{"Host", "Connection", "Content-Length", "Transfer-Encoding", "TE",
	"Keep-Alive", "Expect", "Upgrade"}

// DefaultFields returns the header fields nginx's proxy module sends for a client request
// with header h: set (proxy_set_header, in order; an empty value sends nothing), then those of
// nginx's defaults that set does not name, "Host: host", "Connection: close" and, when
// contentLength is not negative, "Content-Length", then the client's fields except those
// named so far and Transfer-Encoding, TE, Keep-Alive, Expect and Upgrade. An http.Header
// keeps neither the order nor the case of the client's names: they are sent sorted, in
// canonical case, each value of a name in order.
func DefaultFields(h http.Header, host string, set []Field, contentLength int64) []Field {
	fields := make([]Field, 0, len(set)+3+len(h))
	fields = append(fields, set...)
	named := func(name string) bool {
		return slices.ContainsFunc(set, func(f Field) bool { return strings.EqualFold(f.Name, name) })
	}
	if !named("Host") {
		fields = append(fields, Field{"Host", host})
	}
	if !named("Connection") {
		fields = append(fields, Field{"Connection", "close"})
	}
	if contentLength >= 0 && !named("Content-Length") {
		fields = append(fields, Field{"Content-Length", strconv.FormatInt(contentLength, 10)})
	}
	names := make([]string, 0, len(h))
	for name := range h {
		if !named(name) && !containsFold(defaultSetFields, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range h[name] {
			fields = append(fields, Field{name, v})
		}
	}
	return fields
}

// containsFold reports whether names holds name, in any case.
func containsFold(names []string, name string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, name) })
}

// NewOutgoing reads r's body and returns the request nginx's proxy module sends for r with
// the default header rules (DefaultFields): the client's request target, its body with a
// Content-Length when it had one (a chunked body is sent with its length, as nginx buffers
// it).
func NewOutgoing(r *http.Request, host string, set []Field) (*Outgoing, error) {
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, fmt.Errorf("upstream: reading the client's body: %w", err)
		}
	}
	length := int64(-1)
	if len(body) > 0 || r.ContentLength != 0 || len(r.Header["Content-Length"]) > 0 {
		length = int64(len(body))
		if body == nil {
			body = []byte{}
		}
	}
	uri := r.RequestURI // as the client sent it, which nginx passes
	if !strings.HasPrefix(uri, "/") {
		uri = r.URL.RequestURI()
	}
	return &Outgoing{Method: r.Method, URI: uri, Header: DefaultFields(r.Header, host, set, length), Body: body}, nil
}

// CopyHeader adds the fields of an upstream response's header src to dst, as nginx passes
// them to the client: without the connection's fields (Connection, Keep-Alive,
// Transfer-Encoding) and those hide names (proxy_hide_header, plus DefaultHiddenHeaders
// for nginx's defaults) unless pass names them too (proxy_pass_header).
func CopyHeader(dst, src http.Header, hide, pass []string) {
	for name, values := range src {
		if containsFold(connectionFields, name) || (containsFold(hide, name) && !containsFold(pass, name)) {
			continue
		}
		dst[name] = append(dst[name], values...)
	}
}

// ServeHTTP makes a Proxy an http.Handler: it sends r with nginx's default header rules
// (NewOutgoing, with Host and SetHeader) and copies the response without
// DefaultHiddenHeaders (CopyHeader). A failure is answered with its ProxyError's status
// and a short text body; a client that went away, with nothing.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := p.Host
	if host == "" && p.Group != nil {
		host = p.Group.Name
	}
	out, err := NewOutgoing(r, host, p.SetHeader)
	if err != nil {
		http.Error(w, http.StatusText(http.StatusBadRequest), http.StatusBadRequest)
		return
	}
	resp, err := p.Do(r.Context(), out)
	if err != nil {
		status := http.StatusInternalServerError
		var pe *ProxyError
		if errors.As(err, &pe) {
			status = pe.Status
		}
		if status != statusClientClosed {
			http.Error(w, http.StatusText(status), status)
		}
		return
	}
	defer resp.Body.Close()
	if resp.Proto == "HTTP/0.9" && passRaw(w, resp.Body) {
		return
	}
	CopyHeader(w.Header(), resp.Header, DefaultHiddenHeaders, nil)
	if _, ok := w.Header()["Content-Type"]; !ok {
		w.Header()["Content-Type"] = nil // no sniffing: nginx adds no type to a response without one
	}
	w.WriteHeader(resp.Status)
	if resp.ContentLength < 0 {
		_ = http.NewResponseController(w).Flush() // stream, as nginx, rather than buffer for a length
	}
	_, _ = resp.CopyBody(w)
}

// CopyBody copies the response's body to w with a pooled buffer (io.Copy would allocate 32
// KiB for each response) and returns how much it copied and the first error. When w is an
// http.Flusher, what each read got is flushed to the client at once, as nginx passes on what
// it has: a stream (server-sent events, a long poll) is not held back in w's buffer.
func (resp *Response) CopyBody(w io.Writer) (int64, error) {
	bp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bp)
	buf := *bp
	f, _ := w.(http.Flusher)
	var n int64
	for {
		m, err := resp.Body.Read(buf)
		if m > 0 {
			if _, werr := w.Write(buf[:m]); werr != nil {
				return n, werr
			}
			n += int64(m)
			if f != nil {
				f.Flush()
			}
		}
		switch {
		case err == io.EOF:
			return n, nil
		case err != nil:
			return n, err
		}
	}
}

// copyBuffers are the buffers of CopyBody.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// passRaw passes an HTTP/0.9 response as nginx does, as it came, without a status line or
// header, and closes the client's connection; it reports false when w cannot be hijacked.
func passRaw(w http.ResponseWriter, body io.Reader) bool {
	c, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return false
	}
	defer c.Close()
	if _, err := io.Copy(rw, body); err == nil {
		_ = rw.Flush()
	}
	return true
}

// NewURLProxy returns a Proxy to the one server of a proxy_pass URL, "http://host[:port]"
// (port 80 when omitted) or "https://host[:port]" (port 443, with ProxyTLS's defaults), in a
// group named by nginx's $proxy_host: the URL's host[:port] as written, without the scheme's
// default port. The URL may not have a path other than "/": ServeHTTP passes the client's
// request target. Close the Proxy's Group when done.
func NewURLProxy(rawURL string) (*Proxy, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("upstream: proxy URL: %w", err)
	}
	port := "80"
	switch {
	case u.Scheme == "https":
		port = "443"
	case u.Scheme != "http":
		return nil, fmt.Errorf("upstream: proxy URL %q: invalid URL prefix", rawURL)
	}
	switch {
	case u.Host == "":
		return nil, fmt.Errorf("upstream: proxy URL %q: no host", rawURL)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/"):
		return nil, fmt.Errorf("upstream: proxy URL %q: only %s://host[:port] is supported", rawURL, u.Scheme)
	}
	name, addr := u.Host, u.Host
	if p := u.Port(); p == "" || p == port {
		name = strings.TrimSuffix(u.Host, ":"+p)
		addr = net.JoinHostPort(u.Hostname(), port)
	}
	g, err := NewGroup(name, []Server{{Addr: addr}})
	if err != nil {
		return nil, err
	}
	p := &Proxy{Group: g}
	if u.Scheme == "https" {
		p.TLS = &ProxyTLS{}
	}
	return p, nil
}
