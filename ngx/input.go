package ngx

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Method returns the request method (ngx.req.get_method).
func (r *Request) Method() string { return r.method }

// SetMethod changes the request method seen by later phases and the wrapped handler.
func (r *Request) SetMethod(m string) { r.method = m }

// URI returns the current normalised, decoded request path ($uri).
func (r *Request) URI() string { return r.uri }

// SetURI changes the request path ($uri) for later phases and the wrapped handler, as
// ngx.req.set_uri(uri) without jump. It does not look for a new location; Exec does.
func (r *Request) SetURI(uri string) { r.uri = uri }

// RequestURI returns the original request line's URI with its arguments ($request_uri).
func (r *Request) RequestURI() string { return r.orig.RequestURI }

// Args returns the query string without "?" ($args).
func (r *Request) Args() string { return r.args }

// SetArgs replaces the query string ($args = s, ngx.req.set_uri_args).
func (r *Request) SetArgs(s string) { r.args, r.argsNull = s, false }

// URIArgs parses the query string (ngx.req.get_uri_args). At most max arguments are returned
// (0 means no limit), with ErrTruncated when there were more.
func (r *Request) URIArgs(max int) (url.Values, error) {
	v := url.Values{}
	truncated := ParseArgs(r.args, max, func(key, value string, _ bool) {
		v[key] = append(v[key], value)
	})
	if truncated {
		return v, ErrTruncated
	}
	return v, nil
}

// Header returns the first value of request header name, "" when absent. "Host" reads the
// request's host.
func (r *Request) Header(name string) string {
	if strings.EqualFold(name, "host") {
		return r.req.Host
	}
	return r.req.Header.Get(name)
}

// Headers returns the request headers. Callers must not change the map; use SetHeader.
func (r *Request) Headers() http.Header { return r.req.Header }

// SetHeader replaces request header name with values (ngx.req.set_header); no values clears it.
func (r *Request) SetHeader(name string, values ...string) {
	if strings.EqualFold(name, "host") {
		r.own()
		if len(values) > 0 {
			r.req.Host = values[0]
		} else {
			r.req.Host = ""
		}
		return
	}
	r.ownHeader()
	if len(values) == 0 {
		r.req.Header.Del(name)
		return
	}
	r.req.Header[http.CanonicalHeaderKey(name)] = values
}

// AddHeader adds values to request header name, after those it has (add_header of
// lua-resty-core's ngx.req).
func (r *Request) AddHeader(name string, values ...string) {
	if len(values) == 0 {
		return
	}
	if strings.EqualFold(name, "host") {
		r.SetHeader(name, values...)
		return
	}
	r.ownHeader()
	key := http.CanonicalHeaderKey(name)
	r.req.Header[key] = append(r.req.Header[key], values...)
}

// ClearHeader removes request header name (ngx.req.clear_header).
func (r *Request) ClearHeader(name string) { r.SetHeader(name) }

// ReadBody reads the whole request body into memory (ngx.req.read_body), at most
// MaxBodySize bytes; a larger body gives ErrBodyTooLarge. Reading twice is a no-op.
func (r *Request) ReadBody() error {
	if r.bodyRead {
		return nil
	}
	r.bodyRead = true
	if r.orig.Body == nil || r.orig.Body == http.NoBody {
		if r.orig.ContentLength == 0 && r.orig.Header.Get("Content-Length") != "" {
			// A body declared empty is read as one: $request_body is then "", where a
			// request without a body has none.
			r.body = []byte{}
		}
		return nil
	}
	limit := r.maxBody
	if limit > 0 && r.orig.ContentLength > limit {
		return ErrBodyTooLarge
	}
	var src io.Reader = r.orig.Body
	if limit > 0 {
		src = io.LimitReader(src, limit+1)
	}
	b, err := io.ReadAll(src)
	if err != nil {
		return err
	}
	if limit > 0 && int64(len(b)) > limit {
		return ErrBodyTooLarge
	}
	r.setBody(b)
	return nil
}

// Errors of BodyStream, lua-nginx-module's texts for ngx.req.socket.
var (
	ErrNoBody        = errors.New("no body")
	ErrBodyExists    = errors.New("request body already exists")
	ErrBodyDiscarded = errors.New("request body discarded")
	ErrChunkedBody   = errors.New("chunked request bodies not supported yet")
)

// BodyStream hands the request body over unread, to be read as a stream (ngx.req.socket): from
// then on the body counts as read, with no data (ngx.req.get_body_data is nil), and the
// wrapped handler gets none. It fails for a request without a body (or with Content-Length
// 0, or discarded), a chunked one, and a body already read or set.
func (r *Request) BodyStream() (io.Reader, error) {
	switch {
	case r.discarded: // nginx has no body left then
		return nil, ErrNoBody
	case r.bodyRead:
		return nil, ErrBodyExists
	case slices.Contains(r.orig.TransferEncoding, "chunked"):
		return nil, ErrChunkedBody
	case r.orig.ContentLength <= 0 || r.orig.Body == nil || r.orig.Body == http.NoBody:
		return nil, ErrNoBody
	}
	r.bodyRead = true
	body := r.orig.Body
	r.own()
	r.req.Body = http.NoBody
	r.req.ContentLength = 0
	return body, nil
}

// Body returns the body read by ReadBody or set by SetBody (ngx.req.get_body_data); nil or
// empty when the body was not read or is empty.
func (r *Request) Body() []byte { return r.body }

// BodyRead reports whether ReadBody, SetBody or DiscardBody ran.
func (r *Request) BodyRead() bool { return r.bodyRead }

// SetBody replaces the request body seen by later phases and the wrapped handler. An empty b
// leaves no body at all, as ngx.req.set_body_data("") does: $request_body is then not found,
// where a body read empty is "".
func (r *Request) SetBody(b []byte) {
	r.bodyRead, r.building = true, false
	if len(b) == 0 {
		b = nil
	}
	r.setBody(b)
}

// DiscardBody reads and drops the request body (ngx.req.discard_body). As in nginx, a body
// already read stays, and the request headers (Content-Length) are left as they are; the
// wrapped handler gets an empty body.
func (r *Request) DiscardBody() {
	if r.bodyRead {
		return
	}
	if r.orig.Body != nil {
		_, _ = io.Copy(io.Discard, r.orig.Body)
	}
	r.bodyRead, r.discarded = true, true
	r.body = nil
	r.own()
	r.req.Body = http.NoBody
	r.req.ContentLength = 0
}

func (r *Request) setBody(b []byte) {
	r.body = b
	r.own()
	r.req.Body = io.NopCloser(bytes.NewReader(b))
	r.req.ContentLength = int64(len(b))
	r.ownHeader()
	r.req.Header.Set("Content-Length", itoa(int64(len(b))))
}

// own makes r.req a shallow copy of the original request, once, so changes never touch the
// caller's *http.Request.
func (r *Request) own() {
	if r.copied {
		return
	}
	c := *r.orig
	u := *r.orig.URL
	c.URL = &u
	r.req = &c
	r.copied = true
}

func (r *Request) ownHeader() {
	if r.hdrOwn {
		return
	}
	r.own()
	r.req.Header = r.req.Header.Clone()
	if r.req.Header == nil {
		r.req.Header = http.Header{}
	}
	r.hdrOwn = true
}

// HTTPRequest returns the *http.Request that reflects every change hooks made (method, URI,
// arguments, headers, body): the request the wrapped handler receives.
func (r *Request) HTTPRequest() *http.Request {
	if r.method != r.req.Method || r.args != r.req.URL.RawQuery || r.uri != r.req.URL.Path {
		r.own()
		r.req.Method = r.method
		if r.uri != r.req.URL.Path {
			r.req.URL.Path = r.uri
			r.req.URL.RawPath = ""
		}
		r.req.URL.RawQuery = r.args
	}
	return r.req
}
