package ngx_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
)

func newRequest(t *testing.T, target string, opts *ngx.Options) (*ngx.Request, *httptest.ResponseRecorder) {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.Header.Set("X-Foo", "bar")
	req.Header.Add("X-Multi", "1")
	req.Header.Add("X-Multi", "2")
	req.Header.Set("Cookie", "c=cv; d=2")
	req.Host = "Example.COM:8080"
	ctx := context.WithValue(req.Context(), http.LocalAddrContextKey, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080})
	req = req.WithContext(ctx)
	if opts == nil {
		opts = &ngx.Options{}
	}
	w := httptest.NewRecorder()
	r := ngx.NewRequest(w, req, opts)
	r.SetPhase(ngx.PhaseContent)
	return r, w
}

func TestVars(t *testing.T) {
	r, _ := newRequest(t, "/v//a/./b/../c?a=1&b=%20x&A=up", nil)
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"uri", "/v/a/c", true},
		{"document_uri", "/v/a/c", true},
		{"request_uri", "/v//a/./b/../c?a=1&b=%20x&A=up", true},
		{"args", "a=1&b=%20x&A=up", true},
		{"is_args", "?", true},
		{"arg_a", "1", true},
		{"arg_b", "%20x", true}, // raw, as nginx
		{"arg_missing", "", false},
		{"http_x_foo", "bar", true},
		{"http_x_multi", "1", true}, // the first, as nginx 1.22 (var_repeated_headers)
		{"http_host", "Example.COM:8080", true},
		{"cookie_c", "cv", true},
		{"cookie_d", "2", true},
		{"cookie_none", "", false},
		{"host", "example.com", true},
		{"remote_addr", "192.0.2.1", true},
		{"remote_port", "1234", true},
		{"server_addr", "127.0.0.1", true},
		{"server_port", "8080", true},
		{"request_method", "GET", true},
		{"scheme", "http", true},
		{"server_protocol", "HTTP/1.1", true},
		{"status", "000", true},
		{"body_bytes_sent", "0", true},
		{"no_such_var", "", false},
	}
	for _, tt := range tests {
		got, ok := r.Var(tt.name)
		assert.Equal(t, tt.want, got, "$%s", tt.name)
		assert.Equal(t, tt.ok, ok, "$%s defined", tt.name)
	}
	rt, ok := r.Var("request_time")
	assert.True(t, ok)
	assert.Regexp(t, `^\d+\.\d{3}$`, rt)
}

func TestSetVar(t *testing.T) {
	r, _ := newRequest(t, "/x?a=1", &ngx.Options{Variables: map[string]bool{"my": true, "declared": true}})
	v, ok := r.Var("declared")
	assert.True(t, ok, "a declared variable reads empty before it is set")
	assert.Empty(t, v)
	require.NoError(t, r.SetVar("my", "v"))
	v, ok = r.Var("my")
	assert.True(t, ok)
	assert.Equal(t, "v", v)
	require.NoError(t, r.SetVar("args", "b=2"))
	assert.Equal(t, "b=2", r.Args())
	v, _ = r.Var("arg_b")
	assert.Equal(t, "2", v)
	assert.EqualError(t, r.SetVar("uri", "/y"), `variable "uri" not changeable`)
	assert.EqualError(t, r.SetVar("http_x", "y"), `variable "http_x" not changeable`)
	assert.EqualError(t, r.SetVar("undeclared", "y"), `variable "undeclared" not found for writing; `+
		`maybe it is a built-in variable that is not changeable or you forgot to use "set $undeclared '';" `+
		`in the config file to define it first`)
	require.NoError(t, r.UnsetVar("my"))
	_, ok = r.Var("my")
	assert.False(t, ok, "an unset variable is not found")
}

// Variable names are case-insensitive, as in nginx (oracle case ax_var_case).
func TestVarNamesAnyCase(t *testing.T) {
	r, _ := newRequest(t, "/x?A=1&a=2", &ngx.Options{Variables: map[string]bool{"myvar": true}})
	for name, want := range map[string]string{"URI": "/x", "Request_Method": "GET", "ARG_A": "1", "arg_a": "1"} {
		v, ok := r.Var(name)
		assert.True(t, ok, name)
		assert.Equal(t, want, v, name)
	}
	require.NoError(t, r.SetVar("MyVar", "w"))
	v, _ := r.Var("MYVAR")
	assert.Equal(t, "w", v)
	require.NoError(t, r.SetVar("ARGS", "z=1"))
	assert.Equal(t, "z=1", r.Args())
	assert.EqualError(t, r.SetVar("URI", "/y"), `variable "uri" not changeable`)
}

func TestArgsFound(t *testing.T) {
	r, _ := newRequest(t, "/x", nil)
	_, ok := r.Var("args")
	assert.False(t, ok, "no query string")
	r.SetArgs("")
	_, ok = r.Var("args")
	assert.True(t, ok, "assigned empty")
	require.NoError(t, r.UnsetVar("args"))
	_, ok = r.Var("args")
	assert.False(t, ok, "unset")
	r, _ = newRequest(t, "/x?", nil)
	_, ok = r.Var("args")
	assert.True(t, ok, "empty query string")
	_ = r.ExecArgs("/y", "", true)
	r.TakeExec()
	_, ok = r.Var("args")
	assert.False(t, ok, "an internal redirect without arguments has none")
}

func TestUnderscoreHeadersDropped(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	req.Header["X_Under"] = []string{"1"}
	req.Header.Set("X-Dash", "1")
	r := ngx.NewRequest(httptest.NewRecorder(), req, &ngx.Options{})
	assert.Empty(t, r.Header("X_Under"))
	assert.Equal(t, "1", r.Header("X-Dash"))
	assert.Equal(t, []string{"1"}, req.Header["X_Under"], "the caller's request is not changed")
	r = ngx.NewRequest(httptest.NewRecorder(), req, &ngx.Options{UnderscoresInHeaders: true})
	assert.Equal(t, []string{"1"}, r.Headers()["X_Under"])
}

func TestVarsAfterResponse(t *testing.T) {
	r, _ := newRequest(t, "/", nil)
	require.NoError(t, r.SetStatus(201))
	require.NoError(t, r.Say("hello"))
	status, _ := r.Var("status")
	sent, _ := r.Var("body_bytes_sent")
	assert.Equal(t, "201", status)
	assert.Equal(t, "6", sent)
}

func TestURIArgs(t *testing.T) {
	r, _ := newRequest(t, "/?a=1&a=2&b=3", nil)
	v, err := r.URIArgs(0)
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "2"}, v["a"])
	v, err = r.URIArgs(2)
	assert.ErrorIs(t, err, ngx.ErrTruncated)
	assert.Len(t, v["a"], 2)
	assert.Empty(t, v["b"])
}

func TestRequestHeaders(t *testing.T) {
	r, _ := newRequest(t, "/", nil)
	assert.Equal(t, "bar", r.Header("x-foo"))
	assert.Equal(t, "Example.COM:8080", r.Header("Host"))
	r.SetHeader("X-Foo", "baz")
	r.SetHeader("host", "other")
	r.ClearHeader("X-Multi")
	assert.Equal(t, "baz", r.Header("X-Foo"))
	assert.Equal(t, "other", r.Header("Host"))
	assert.Empty(t, r.Headers().Values("X-Multi"))
	assert.Equal(t, "other", r.HTTPRequest().Host)
}

func TestReadBody(t *testing.T) {
	req := httptest.NewRequest("POST", "/", strings.NewReader("hello"))
	w := httptest.NewRecorder()
	r := ngx.NewRequest(w, req, &ngx.Options{MaxBodySize: 10})
	require.NoError(t, r.ReadBody())
	assert.Equal(t, "hello", string(r.Body()))
	v, _ := r.Var("request_body")
	assert.Equal(t, "hello", v)

	req = httptest.NewRequest("POST", "/", strings.NewReader("hello world, too long"))
	r = ngx.NewRequest(w, req, &ngx.Options{MaxBodySize: 10})
	assert.ErrorIs(t, r.ReadBody(), ngx.ErrBodyTooLarge)
}

// BodyStream hands the body over once, unread, and refuses what ngx.req.socket refuses.
func TestBodyStream(t *testing.T) {
	newReq := func(body string) *ngx.Request {
		req := httptest.NewRequest("POST", "/", strings.NewReader(body))
		return ngx.NewRequest(httptest.NewRecorder(), req, &ngx.Options{MaxBodySize: 4})
	}
	r := newReq("longer than the limit")
	body, err := r.BodyStream()
	require.NoError(t, err)
	b, _ := io.ReadAll(body)
	assert.Equal(t, "longer than the limit", string(b), "a stream is not held whole: no limit")
	_, err = r.BodyStream()
	assert.ErrorIs(t, err, ngx.ErrBodyExists)
	require.NoError(t, r.ReadBody(), "the body counts as read")
	assert.Nil(t, r.Body())

	r = newReq("abc")
	require.NoError(t, r.ReadBody())
	_, err = r.BodyStream()
	assert.ErrorIs(t, err, ngx.ErrBodyExists)

	r = newReq("abc")
	r.DiscardBody()
	_, err = r.BodyStream()
	assert.ErrorIs(t, err, ngx.ErrNoBody)

	for _, req := range []*http.Request{
		httptest.NewRequest("GET", "/", nil),
		httptest.NewRequest("POST", "/", http.NoBody),
	} {
		_, err = ngx.NewRequest(httptest.NewRecorder(), req, &ngx.Options{}).BodyStream()
		assert.ErrorIs(t, err, ngx.ErrNoBody)
	}
	chunked := httptest.NewRequest("POST", "/", strings.NewReader("abc"))
	chunked.TransferEncoding = []string{"chunked"}
	_, err = ngx.NewRequest(httptest.NewRecorder(), chunked, &ngx.Options{}).BodyStream()
	assert.ErrorIs(t, err, ngx.ErrChunkedBody)
}

// $request_body as nginx gives it for empty bodies (oracle cases pb_empty_request_body,
// pb_get_request_body, pb_body_in_access).
func TestRequestBodyVarEmpty(t *testing.T) {
	requestBody := func(r *ngx.Request) any {
		if v, ok := r.Var("request_body"); ok {
			return v
		}
		return nil
	}
	declared := httptest.NewRequest("POST", "/", http.NoBody)
	declared.Header.Set("Content-Length", "0")
	r := ngx.NewRequest(httptest.NewRecorder(), declared, &ngx.Options{})
	assert.Nil(t, requestBody(r), "not read yet")
	require.NoError(t, r.ReadBody())
	assert.Equal(t, "", requestBody(r), "a body declared empty reads as \"\"")

	r = ngx.NewRequest(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), &ngx.Options{})
	require.NoError(t, r.ReadBody())
	assert.Nil(t, requestBody(r), "a request without a body has none")

	r.SetBody([]byte("x"))
	assert.Equal(t, "x", requestBody(r))
	r.SetBody(nil)
	assert.Nil(t, requestBody(r), "set_body_data(\"\") leaves no body")
	r.SetBody([]byte{})
	assert.Nil(t, requestBody(r))
}

func TestOutputAndEOF(t *testing.T) {
	r, w := newRequest(t, "/", &ngx.Options{DefaultType: "text/plain"})
	assert.Zero(t, r.Status())
	require.NoError(t, r.Say("a"))
	require.NoError(t, r.Print("b"))
	require.NoError(t, r.Eof())
	assert.ErrorIs(t, r.Say("late"), ngx.ErrSeenEOF)
	assert.Equal(t, "a\nb", w.Body.String())
	assert.Equal(t, "text/plain", w.Header().Get("Content-Type"))
	assert.True(t, r.HeadersSent())
	assert.Equal(t, 200, r.Status())
}

func TestPhaseRules(t *testing.T) {
	r, _ := newRequest(t, "/", nil)
	for _, p := range []ngx.Phase{ngx.PhaseHeaderFilter, ngx.PhaseBodyFilter, ngx.PhaseLog} {
		r.SetPhase(p)
		err := r.Say("x")
		var pe *ngx.PhaseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "API disabled in the context of "+p.String(), err.Error())
	}
}

func TestPhaseNames(t *testing.T) {
	for p := ngx.PhaseInit; p <= ngx.PhaseTimer; p++ {
		q, ok := ngx.ParsePhase(p.String())
		assert.True(t, ok)
		assert.Equal(t, p, q)
	}
	assert.Equal(t, "unknown", ngx.Phase(0).String())
	_, ok := ngx.ParsePhase("bogus")
	assert.False(t, ok)
}

func TestLevels(t *testing.T) {
	l, ok := ngx.ParseLevel("error")
	assert.True(t, ok)
	assert.Equal(t, ngx.LevelErr, l)
	assert.Equal(t, 4, int(ngx.LevelErr), "ngx.ERR is 4 in OpenResty")
	assert.Less(t, ngx.LevelInfo.Slog(), ngx.LevelNotice.Slog())
	assert.Less(t, ngx.LevelNotice.Slog(), ngx.LevelWarn.Slog())
}

func TestJumps(t *testing.T) {
	r, _ := newRequest(t, "/a?x=1", nil)
	assert.False(t, r.Jumped())
	assert.False(t, r.IsInternal())

	require.ErrorIs(t, r.SetURIJump("/b"), ngx.ErrExit) // rewrite ... last
	target, ok := r.TakeExec()
	assert.Equal(t, "/b", target)
	assert.True(t, ok)
	assert.True(t, r.Jumped())
	assert.False(t, r.IsInternal(), "a jump alone does not make the request internal")

	require.ErrorIs(t, r.Exec("/c"), ngx.ErrExit)
	r.TakeExec()
	assert.False(t, r.Jumped(), "an internal redirect is not a jump")
	assert.True(t, r.IsInternal())

	r2, _ := newRequest(t, "/a?", nil)
	require.ErrorIs(t, r2.InternalJump("/d"), ngx.ErrExit) // ngx.req.set_uri("/d", true)
	target, _ = r2.TakeExec()
	assert.Equal(t, "/d", target)
	assert.True(t, r2.Jumped())
	assert.True(t, r2.IsInternal())
	_, found := r2.Var("args")
	assert.False(t, found, "empty arguments read as nil after the jump")

	r3, _ := newRequest(t, "/a", nil)
	r3.MarkInternal()
	assert.True(t, r3.IsInternal())
	assert.EqualError(t, r3.InternalJump(""), "uri is empty")
}

// TestCookieVars: $cookie_NAME as nginx 1.22 finds it (oracle cases var_cookie_values and
// var_cookie_case): raw values, any case, "," and ";" between pairs, no pair without "=".
func TestCookieVars(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Add("Cookie", `a=1; b="quoted"; c=; d`)
	req.Header.Add("Cookie", "E=up; a=2; f=x y; g==eq; SID = s1 ; x=1,y=2; ab =z")
	r := ngx.NewRequest(httptest.NewRecorder(), req, &ngx.Options{})
	for name, want := range map[string]string{"a": "1", "b": `"quoted"`, "c": "", "e": "up", "f": "x y",
		"g": "=eq", "sid": "s1 ", "x": "1,y=2", "y": "2", "ab": "z"} {
		got, ok := r.Var("cookie_" + name)
		assert.True(t, ok, "$cookie_%s found", name)
		assert.Equal(t, want, got, "$cookie_%s", name)
	}
	_, ok := r.Var("cookie_d")
	assert.False(t, ok, "a pair without = does not count")
}

// The variables about the request as a whole (oracle cases vb_values, vb_request_vars).
func TestRequestVars(t *testing.T) {
	req := httptest.NewRequest("POST", "/p?x=1", strings.NewReader("hello=world"))
	req.Host = "localhost"
	req.Header = http.Header{"Content-Type": {"text/plain"}, "Authorization": {"Basic dXNlcjpwYXNz"}}
	w := httptest.NewRecorder()
	r := ngx.NewRequest(w, req, &ngx.Options{})
	r.SetPhase(ngx.PhaseContent)
	get := func(name string) string {
		v, ok := r.Var(name)
		require.True(t, ok, name)
		return v
	}
	assert.Equal(t, "POST /p?x=1 HTTP/1.1", get("request"))
	head := len("POST /p?x=1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n" +
		"Authorization: Basic dXNlcjpwYXNz\r\n\r\n")
	assert.Equal(t, strconv.Itoa(head), get("request_length"), "the header block before the body is read")
	require.NoError(t, r.ReadBody())
	assert.Equal(t, strconv.Itoa(head+len("hello=world")), get("request_length"))
	assert.Equal(t, "user", get("remote_user"))
	assert.Equal(t, strconv.Itoa(os.Getpid()), get("pid"))
	assert.Len(t, get("request_id"), 32)
	assert.Equal(t, get("request_id"), get("request_id"), "one id per request")
	assert.Equal(t, "0", get("limit_rate"))
	require.NoError(t, r.SetVar("limit_rate", "1000"))
	assert.Equal(t, "1000", get("limit_rate"))
	assert.Equal(t, "", get("request_completion"))

	assert.Equal(t, "0", get("bytes_sent"))
	require.NoError(t, r.Say("hi"))
	assert.Equal(t, "0", get("bytes_sent"), "still in net/http's buffer")
	require.NoError(t, r.Flush())
	flushed, _ := strconv.Atoi(get("bytes_sent"))
	assert.Greater(t, flushed, len("HTTP/1.1 200 OK\r\n\r\nhi\n"))
	require.NoError(t, r.Say("more"))
	assert.Equal(t, strconv.Itoa(flushed), get("bytes_sent"))
	r.SetPhase(ngx.PhaseLog)
	assert.Equal(t, strconv.Itoa(flushed+len("more\n")), get("bytes_sent"))
	assert.Equal(t, "OK", get("request_completion"))

	_, ok := ngx.NewRequest(w, httptest.NewRequest("GET", "/", nil), &ngx.Options{}).Var("remote_user")
	assert.False(t, ok, "no remote_user without basic auth")
}

// $host is the server's name when the request has no Host (oracle case rh_host_cleared).
func TestHostFallsBackToServerName(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = ""
	r := ngx.NewRequest(httptest.NewRecorder(), req, &ngx.Options{ServerName: "example.org"})
	host, _ := r.Var("host")
	name, _ := r.Var("server_name")
	assert.Equal(t, "example.org", host)
	assert.Equal(t, "example.org", name)
}
