// Package restytest runs requests through a resty.Handler in-process, for unit tests of hooks and
// scripts, in the manner of net/http/httptest.
//
//	h := restytest.NewHandler(t, resty.Config{Locations: ...})
//	resp := restytest.Get(h, "/hello")
//	restytest.AssertStatus(t, resp, http.StatusOK)
//	restytest.AssertBody(t, resp, "Hello\n")
//
// The assertion helpers take testify's assert.TestingT (a *testing.T fits), report like assert
// does and return whether they passed.
package restytest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/resty"
)

// NewHandler builds a Handler from c and stops the test when resty.New refuses the config. The
// Handler is closed when the test ends (its Lua VMs, timers and cosocket pools).
func NewHandler(t testing.TB, c resty.Config) *resty.Handler {
	t.Helper()
	h, err := resty.New(c)
	if err != nil {
		t.Fatalf("resty.New: %v", err)
	}
	t.Cleanup(h.Close)
	return h
}

// NewRequest returns a request for serving with Do, as httptest.NewRequest does: target is a
// path or an absolute URL, the remote address is 192.0.2.1:1234. It panics on a malformed
// target, for ease of use in testing.
func NewRequest(method, target string, body io.Reader) *http.Request {
	return httptest.NewRequest(method, target, body)
}

// Do serves req with h in-process and returns the response with its body fully read (it can be
// read with Body any number of times). When the handler drops the connection, as nginx does after
// ngx.exit(ngx.ERROR) or a failure once headers were sent, the response has StatusCode 0 and
// Status "000 connection aborted", and only the headers, if any, that were set.
func Do(h http.Handler, req *http.Request) *http.Response {
	rec := httptest.NewRecorder()
	aborted := serve(h, rec, req)
	resp := rec.Result()
	resp.Request = req
	if aborted {
		resp.StatusCode = 0
		resp.Status = "000 connection aborted"
		resp.Body = io.NopCloser(strings.NewReader(""))
		resp.ContentLength = 0
	}
	return resp
}

func serve(h http.Handler, w http.ResponseWriter, req *http.Request) (aborted bool) {
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler {
				panic(p)
			}
			aborted = true
		}
	}()
	h.ServeHTTP(w, req)
	return false
}

// Get serves a GET request for target with h.
func Get(h http.Handler, target string) *http.Response {
	return Do(h, NewRequest(http.MethodGet, target, nil))
}

// Post serves a POST request for target with body and content type ctype.
func Post(h http.Handler, target, ctype, body string) *http.Response {
	req := NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	return Do(h, req)
}

// Body returns the body of a response from Do as a string, leaving it readable again.
func Body(resp *http.Response) string {
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return string(b)
}

// AssertStatus asserts that resp has status code want.
func AssertStatus(t assert.TestingT, resp *http.Response, want int, msgAndArgs ...any) bool {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	return assert.Equal(t, want, resp.StatusCode, msgAndArgs...)
}

// AssertBody asserts that resp's body is want.
func AssertBody(t assert.TestingT, resp *http.Response, want string, msgAndArgs ...any) bool {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	return assert.Equal(t, want, Body(resp), msgAndArgs...)
}

// AssertHeader asserts that resp's header name has the value want ("" asserts it is absent).
func AssertHeader(t assert.TestingT, resp *http.Response, name, want string, msgAndArgs ...any) bool {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	if want == "" {
		return assert.Empty(t, resp.Header.Values(name), msgAndArgs...)
	}
	return assert.Equal(t, want, resp.Header.Get(name), msgAndArgs...)
}
