package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// instance is the command running in-process on a copy of an example.
type instance struct {
	base   string // http://127.0.0.1:port
	prefix string
	sigs   chan os.Signal
	stderr *servertest.SyncBuffer
	srv    *server
}

// startExample copies examples/conf/NAME to a temporary prefix, makes its listen directives
// use a free loopback port and runs the command on it until the test ends.
func startExample(t *testing.T, name string) *instance {
	t.Helper()
	prefix := t.TempDir()
	copyDir(t, filepath.Join("..", "conf", name), prefix)
	port := freePort(t)
	conf := filepath.Join(prefix, "conf", "nginx.conf")
	b, err := os.ReadFile(conf)
	require.NoError(t, err)
	// The example's own port may appear elsewhere too (an upstream block naming its server).
	if m := regexp.MustCompile(`listen\s+(\d+);`).FindSubmatch(b); m != nil {
		b = bytes.ReplaceAll(b, []byte("127.0.0.1:"+string(m[1])), []byte("127.0.0.1:"+port))
	}
	b = regexp.MustCompile(`listen\s+[^;]+;`).ReplaceAll(b, []byte("listen 127.0.0.1:"+port+";"))
	require.NoError(t, os.WriteFile(conf, b, 0o644))
	return startIn(t, prefix, "http://127.0.0.1:"+port)
}

func startIn(t *testing.T, prefix, base string) *instance {
	t.Helper()
	in := &instance{base: base, prefix: prefix, sigs: make(chan os.Signal, 1), stderr: &servertest.SyncBuffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan *server, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-p", prefix}, in.stderr, in.sigs, ready) }()
	select {
	case in.srv = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("nginxconf did not start: %v\n%s", err, in.stderr)
	}
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	return in
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if strings.HasSuffix(p, ".log") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	require.NoError(t, err)
}

// response is what a test checks of a reply.
type response struct {
	status int
	header http.Header
	body   string
}

func (in *instance) do(t *testing.T, method, path, body string, header ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, in.base+path, rd)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirect.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (in *instance) log(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(in.prefix, "logs", name))
	require.NoError(t, err)
	return string(b)
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// exchange is one request of an example and what must come back.
type exchange struct {
	method, path, body string
	header             []string
	status             int
	want               string // the body, or a part of it when contains is set
	contains           bool
	json               bool // compare as JSON: cjson's key order is not fixed
	wantHeader         map[string]string
}

func (in *instance) check(t *testing.T, xs []exchange) {
	t.Helper()
	for _, x := range xs {
		method := x.method
		if method == "" {
			method = http.MethodGet
		}
		r := in.do(t, method, x.path, x.body, x.header...)
		assert.Equal(t, x.status, r.status, "%s %s: %s", method, x.path, r.body)
		switch {
		case x.contains:
			assert.Contains(t, r.body, x.want, "%s %s", method, x.path)
		case x.json:
			assert.JSONEq(t, x.want, r.body, "%s %s", method, x.path)
		default:
			assert.Equal(t, x.want, r.body, "%s %s", method, x.path)
		}
		for k, v := range x.wantHeader {
			assert.Equal(t, v, r.header.Get(k), "%s %s: header %s", method, x.path, k)
		}
	}
}

func TestExamples(t *testing.T) {
	cases := []struct {
		name string
		xs   []exchange
	}{
		{"hello", []exchange{
			{path: "/", status: 200, want: "<p>hello, world</p>\n", wantHeader: map[string]string{"Content-Type": "text/html"}},
			{path: "/anything", status: 200, want: "<p>hello, world</p>\n"},
		}},
		{"routing", []exchange{
			{path: "/", status: 200, want: "home\n"},
			{path: "/about", status: 200, want: "about us\n"},
			{path: "/time", status: 200, want: " GMT\n", contains: true},
			{path: "/nope", status: 404, want: "<h1>404 Not Found</h1>", contains: true,
				wantHeader: map[string]string{"Content-Type": "text/html"}},
		}},
		{"methods", []exchange{
			{path: "/items", status: 200, json: true, want: `{"items":["apple","pear"]}`,
				wantHeader: map[string]string{"Content-Type": "application/json"}},
			{method: "POST", path: "/items", body: `{"name":"plum"}`, status: 201, json: true, want: `{"created":"plum"}`},
			{method: "POST", path: "/items", body: `[1`, status: 400, want: "expected", contains: true},
			{method: "DELETE", path: "/items", status: 405, want: "405 Not Allowed", contains: true,
				wantHeader: map[string]string{"Allow": "GET, POST"}},
		}},
		{"modules", []exchange{
			{path: "/greet?name=ada", status: 200, want: "hello, ada!\n"},
			{path: "/greet", status: 200, want: "hello, stranger!\n"},
			{path: "/count?text=one%20two%20three", status: 200, want: "3\n"},
		}},
		{"validation", []exchange{
			{path: "/add?a=2&b=40", status: 200, want: "42\n"},
			{path: "/add?a=2", status: 400, want: "a and b must be integers\n"},
			{path: "/add?a=x&b=1", status: 400, want: "a and b must be integers\n"},
			{path: "/add?a=1.5&b=1", status: 400, want: "a and b must be integers\n"},
		}},
		{"errors", []exchange{
			{path: "/safe?n=4", status: 200, want: "25\n"},
			{path: "/safe", status: 500, want: "something went wrong\n"},
			{path: "/unsafe", status: 500, want: "<h1>500 Internal Server Error</h1>", contains: true},
		}},
		{"services", []exchange{
			{path: "/health", status: 200, want: `{"status":"ok"}` + "\n",
				wantHeader: map[string]string{"Content-Type": "application/json"}},
			{path: "/users/", status: 200, json: true, want: `[{"id":1,"name":"ada"},{"id":2,"name":"linus"}]`},
			{path: "/users/2", status: 200, json: true, want: `{"id":2,"name":"linus"}`},
			{path: "/users/9", status: 404, want: "404 Not Found", contains: true},
			{path: "/orders/3", status: 200, json: true, want: `{"id":3,"total":30}`},
			{method: "POST", path: "/orders/3", status: 405, want: "405 Not Allowed", contains: true},
			{path: "/", status: 200, want: "services: /health /users/ /orders/\n",
				wantHeader: map[string]string{"Content-Type": "text/plain"}},
		}},
		{"auth", []exchange{
			{path: "/api/data", status: 401, want: "401 Authorization Required", contains: true,
				wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="api"`}},
			{path: "/api/data", header: []string{"Authorization", "Bearer nope"}, status: 401,
				want: "401", contains: true, wantHeader: map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}},
			{path: "/api/data", header: []string{"Authorization", "Bearer s3cret"}, status: 200,
				want: "secret data for /api/data\n"},
			{path: "/public", status: 200, want: "anyone can read this\n"},
		}},
		{"layered", []exchange{
			{path: "/page/a", status: 200, want: "page a built at ", contains: true,
				wantHeader: map[string]string{"X-Cache": "origin"}},
			{path: "/page/a", status: 200, want: "page a built at ", contains: true,
				wantHeader: map[string]string{"X-Cache": "worker"}},
			{path: "/origin?name=a", status: 404, want: "404 Not Found", contains: true},
			{path: "/page/", status: 404, want: "404 Not Found", contains: true},
		}},
		{"gateway", []exchange{
			{path: "/fanout", status: 200, want: `"service":"users"`, contains: true,
				wantHeader: map[string]string{"Content-Type": "application/json"}},
			{path: "/fanout", status: 200, want: `"connection_reused":true`, contains: true},
			{path: "/backend/orders?replica=r2", status: 200, want: `"replica":"r2"`, contains: true},
		}},
		{"proxy", []exchange{
			{path: "/hello", status: 200, want: "page hello built at ", contains: true,
				wantHeader: map[string]string{"X-Cache": "MISS"}},
			{path: "/hello", status: 200, want: " for 127.0.0.1\n", contains: true,
				wantHeader: map[string]string{"X-Cache": "HIT"}},
			{path: "/other", status: 200, want: "page other built at ", contains: true,
				wantHeader: map[string]string{"X-Cache": "MISS"}},
		}},
		{"static", []exchange{
			{path: "/", status: 200, want: "Welcome to goresty!", contains: true,
				wantHeader: map[string]string{"Content-Type": "text/html"}},
			{path: "/css/site.css", status: 200, want: "font-family", contains: true,
				wantHeader: map[string]string{"Content-Type": "text/css"}},
			{path: "/missing", status: 404, want: "Nothing here", contains: true},
			{path: "/css", status: 301, want: "301 Moved Permanently", contains: true},
			{path: "/css/", status: 403, want: "403 Forbidden", contains: true},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := startExample(t, c.name)
			in.check(t, c.xs)
		})
	}
}

func TestExampleErrorsLog(t *testing.T) {
	in := startExample(t, "errors")
	in.do(t, "GET", "/safe", "")
	in.do(t, "GET", "/unsafe", "")
	log := in.log(t, "error.log")
	assert.Contains(t, log, "risky failed: ")
	assert.Contains(t, log, "content_by_lua(nginx.conf:")
	assert.Contains(t, log, "nobody catches this")
}

func TestExampleStaticAccessLog(t *testing.T) {
	in := startExample(t, "static")
	in.do(t, "GET", "/?q=\"x\"", "", "User-Agent", "test-agent")
	in.check(t, nil)
	require.Eventually(t, func() bool {
		b, _ := os.ReadFile(filepath.Join(in.prefix, "logs", "access.log"))
		return len(b) > 0
	}, time.Second, 10*time.Millisecond)
	line := in.log(t, "access.log")
	assert.Regexp(t, `^127\.0\.0\.1 - - \[[^]]+\] "GET /\?q=\\x22x\\x22 HTTP/1\.1" 200 \d+ "-" "test-agent"\n$`, line)
}

func TestExampleEnv(t *testing.T) {
	t.Setenv("APP_GREETING", "howdy")
	t.Setenv("APP_LIMIT", "")
	in := startExample(t, "env")
	in.check(t, []exchange{{path: "/config", status: 200, want: "greeting=howdy mode=demo limit=10\n"}})
}

func TestExampleCache(t *testing.T) {
	in := startExample(t, "cache")
	first := in.do(t, "GET", "/value?key=k&ttl=1", "")
	require.Equal(t, http.StatusOK, first.status, first.body)
	assert.Equal(t, "MISS", first.header.Get("X-Cache"))
	second := in.do(t, "GET", "/value?key=k&ttl=1", "")
	assert.Equal(t, "HIT", second.header.Get("X-Cache"))
	assert.Equal(t, first.body, second.body)
	time.Sleep(1100 * time.Millisecond)
	third := in.do(t, "GET", "/value?key=k&ttl=1", "")
	assert.Equal(t, "MISS", third.header.Get("X-Cache"))
}

// TestReloadKeepsSharedDicts checks that a reload keeps the data of a dict whose name and size
// stay the same, as nginx keeps its shared memory zones.
func TestReloadKeepsSharedDicts(t *testing.T) {
	in := startExample(t, "cache")
	first := in.do(t, "GET", "/value?key=kept&ttl=60", "")
	require.Equal(t, "MISS", first.header.Get("X-Cache"))
	before := in.srv.cur.Load()
	in.sigs <- syscall.SIGHUP
	require.Eventually(t, func() bool { return in.srv.cur.Load() != before }, 2*time.Second, 10*time.Millisecond)
	again := in.do(t, "GET", "/value?key=kept&ttl=60", "")
	assert.Equal(t, "HIT", again.header.Get("X-Cache"))
	assert.Equal(t, first.body, again.body)
}

func TestCheckConfig(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-p", "../conf/hello", "-t"}, &out, nil, nil)
	require.NoError(t, err)
	assert.Contains(t, out.String(), "syntax is ok")
	assert.Contains(t, out.String(), "test is successful")

	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "conf"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "conf", "nginx.conf"),
		[]byte("events {}\nhttp { server { location / { fastcgi_pass x; } } }\n"), 0o644))
	out.Reset()
	err = run(context.Background(), []string{"-p", dir, "-t"}, &out, nil, nil)
	require.Error(t, err)
	assert.Contains(t, out.String(), `"fastcgi_pass" directive is not supported yet in `+dir+"/conf/nginx.conf:2")
	assert.Contains(t, out.String(), "test failed")
}

// writeConf writes a configuration that answers every request with text, on port.
func writeConf(t *testing.T, prefix, port, text string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(prefix, "conf"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(prefix, "logs"), 0o755))
	conf := "error_log logs/error.log notice;\nevents {}\n" +
		"http { access_log off; server { listen 127.0.0.1:" + port + ";\n" +
		"location = /slow { content_by_lua_block { ngx.sleep(0.3) ngx.say(\"" + text + "\") } }\n" +
		"location / { return 200 \"" + text + "\\n\"; } } }\n"
	require.NoError(t, os.WriteFile(filepath.Join(prefix, "conf", "nginx.conf"), []byte(conf), 0o644))
}

func TestReload(t *testing.T) {
	prefix, port := t.TempDir(), freePort(t)
	writeConf(t, prefix, port, "one")
	in := startIn(t, prefix, "http://127.0.0.1:"+port)
	assert.Equal(t, "one\n", in.do(t, "GET", "/", "").body)

	slow := make(chan response, 1)
	go func() { slow <- in.do(t, "GET", "/slow", "") }()
	time.Sleep(100 * time.Millisecond)
	writeConf(t, prefix, port, "two")
	in.sigs <- syscall.SIGHUP
	require.Eventually(t, func() bool { return in.do(t, "GET", "/", "").body == "two\n" },
		2*time.Second, 20*time.Millisecond)
	assert.Equal(t, "one\n", (<-slow).body, "the request in flight finishes on the old configuration")

	// A configuration that fails to load is reported and the old one kept.
	require.NoError(t, os.WriteFile(filepath.Join(prefix, "conf", "nginx.conf"), []byte("http {"), 0o644))
	in.sigs <- syscall.SIGHUP
	require.Eventually(t, func() bool {
		b, _ := os.ReadFile(filepath.Join(prefix, "logs", "error.log"))
		return strings.Contains(string(b), "[emerg]") && strings.Contains(string(b), "reconfiguring")
	}, 2*time.Second, 20*time.Millisecond)
	assert.Equal(t, "two\n", in.do(t, "GET", "/", "").body)
}

func TestGracefulStop(t *testing.T) {
	prefix, port := t.TempDir(), freePort(t)
	writeConf(t, prefix, port, "bye")
	in := &instance{base: "http://127.0.0.1:" + port, sigs: make(chan os.Signal, 1), stderr: &servertest.SyncBuffer{}}
	ready := make(chan *server, 1)
	done := make(chan error, 1)
	go func() { done <- run(context.Background(), []string{"-p", prefix}, in.stderr, in.sigs, ready) }()
	<-ready
	slow := make(chan response, 1)
	go func() { slow <- in.do(t, "GET", "/slow", "") }()
	time.Sleep(100 * time.Millisecond)
	in.sigs <- syscall.SIGTERM
	r := <-slow
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "bye\n", r.body)
	require.NoError(t, <-done)
	_, err := http.Get(in.base + "/")
	assert.Error(t, err, "the listener is closed")
}

// TestBinarySignals builds the command and drives it with real signals.
func TestBinarySignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not found")
	}
	bin := filepath.Join(t.TempDir(), "nginxconf")
	out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)

	prefix, port := t.TempDir(), freePort(t)
	writeConf(t, prefix, port, "one")
	cmd := exec.Command(bin, "-p", prefix)
	stderr := &servertest.SyncBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	base := "http://127.0.0.1:" + port
	get := func() string {
		resp, err := http.Get(base + "/")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	require.Eventually(t, func() bool { return get() == "one\n" }, 5*time.Second, 20*time.Millisecond)

	writeConf(t, prefix, port, "two")
	require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
	require.Eventually(t, func() bool { return get() == "two\n" }, 5*time.Second, 20*time.Millisecond)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), stderr.String())
	b, err := os.ReadFile(filepath.Join(prefix, "logs", "error.log"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "signal 1 (SIGHUP) received, reconfiguring")
	assert.Contains(t, string(b), "signal 15 (terminated) received, exiting")
}
