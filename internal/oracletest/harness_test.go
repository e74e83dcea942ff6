package oracletest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

func TestParseCaseFile(t *testing.T) {
	path := writeFile(t, "x.cases", `# comment
=== a_case: what it checks
--- config
location = /a_case {
    content_by_lua_block { ngx.say(1) }
}
--- request
POST /a_case?x=1
--- request_headers
X-A: 1
X-B: 2
--- request_body
body line

--- log_level: info
--- skip: needs pipeline: reason
--- abort_after: 10ms
`)
	cs, err := ParseCaseFile(path)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	c := cs[0]
	assert.Equal(t, "a_case", c.Name)
	assert.Equal(t, "what it checks", c.Title)
	assert.Equal(t, 2, c.Line)
	assert.Equal(t, "POST", c.Method)
	assert.Equal(t, "/a_case?x=1", c.Target)
	assert.Equal(t, []string{"X-A: 1", "X-B: 2"}, c.Headers)
	assert.Equal(t, "body line", c.Body, "trailing blank lines are not part of the body")
	assert.True(t, c.HasBody)
	assert.Equal(t, ngx.LevelInfo, c.LogLevel)
	assert.Equal(t, "needs pipeline: reason", c.Skip)
	assert.Equal(t, "10ms", c.AbortAfter)
	assert.Equal(t, "POST /a_case?x=1 HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\nX-B: 2\r\nContent-Length: 9\r\n\r\nbody line",
		string(rawRequest(c)))
}

func TestParseCaseFileErrors(t *testing.T) {
	tests := []struct{ name, text, err string }{
		{"no config", "=== a\n--- request\nGET /a\n", "needs config and request"},
		{"target outside", "=== a\n--- config\nx\n--- request\nGET /b\n", `request target "/b" is not under /a`},
		{"bad name", "=== a-b\n", `case name "a-b"`},
		{"bad request", "=== a\n--- request\nGET\n", "request must be METHOD TARGET"},
		{"unknown section", "=== a\n--- nope\nx\n", `unknown section "nope"`},
		{"bad level", "=== a\n--- log_level: loud\n", `unknown log level "loud"`},
		{"stray text", "text\n", "text outside a section"},
		{"header without colon", "=== a\n--- request_headers\nX-A\n", `header "X-A" has no colon`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCaseFile(writeFile(t, "x.cases", tt.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
		})
	}
}

func TestLoadCasesDuplicate(t *testing.T) {
	dir := t.TempDir()
	c := "=== a\n--- config\nx\n--- request\nGET /a\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "1.cases"), []byte(c), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "2.cases"), []byte(c), 0o644))
	_, err := LoadCases(filepath.Join(dir, "*.cases"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `case "a" already defined`)
	_, err = LoadCases(filepath.Join(dir, "*.none"))
	assert.Error(t, err)
}

func TestGoldenRoundTrip(t *testing.T) {
	cases := []*Case{{Name: "a"}, {Name: "b"}, {Name: "missing"}}
	want := map[string]*Result{
		"a": {Status: 200, Header: []string{"Content-Type: text/plain", "X-Q: \"quoted\""}, Body: "x\r\n\x00",
			Log: []string{"[error] boom"}},
		"b": {Aborted: true},
	}
	path := filepath.Join(t.TempDir(), "x.golden")
	require.NoError(t, WriteGoldens(path, cases, want))
	got, err := ReadGoldens(path)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	none, err := ReadGoldens(filepath.Join(t.TempDir(), "none.golden"))
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestDiff(t *testing.T) {
	a := &Result{Status: 200, Body: "x", Header: []string{"A: 1"}, Log: []string{"[warn] w"}}
	assert.Empty(t, Diff(a, a))
	b := &Result{Status: 500, Body: "y", Aborted: true}
	d := Diff(a, b)
	for _, part := range []string{"status: want 200, got 500", "aborted: want false, got true", "body:", "header:", "log:"} {
		assert.Contains(t, d, part)
	}
}

func TestParseNginxLog(t *testing.T) {
	text := `2026/11/28 01:52:13 [warn] 4437#4437: *2 [lua] content_by_lua(nginx.conf:18):3: hi, client: 127.0.0.1, server: localhost, request: "GET /t HTTP/1.1", host: "x"
2026/11/28 01:52:13 [error] 4437#4437: *2 lua entry thread aborted: runtime error: content_by_lua(nginx.conf:18):4: boom
stack traceback:
coroutine 0:
	content_by_lua(nginx.conf:18):4: in main chunk, client: 127.0.0.1, server: localhost, request: "GET /t HTTP/1.1", host: "x"
2026/11/28 01:52:13 [] 4437#4437: *2 [lua] content_by_lua(nginx.conf:18):2: to stderr, client: 127.0.0.1
2026/11/28 01:52:13 [debug] 4437#4437: *2 http finalize request: 0
2026/11/28 01:52:13 [debug] 4437#4437: *2 [lua] content_by_lua(nginx.conf:18):5: debug line, client: 127.0.0.1
2026/11/28 01:52:13 [error] 4437#4437: *2 failed to run log_by_lua*: x while logging request, client: 127.0.0.1
`
	var got []string
	for _, e := range parseNginxLog(text) {
		got = append(got, relativeLines(e.String(), 17))
	}
	assert.Equal(t, []string{
		"[warn] [lua] content_by_lua(nginx.conf:2):3: hi",
		"[error] lua entry thread aborted: runtime error: content_by_lua(nginx.conf:2):4: boom\nstack traceback:\ncoroutine 0:\n\tcontent_by_lua(nginx.conf:2):4: in main chunk",
		"[stderr] [lua] content_by_lua(nginx.conf:2):2: to stderr",
		"[debug] [lua] content_by_lua(nginx.conf:2):5: debug line",
		"[error] failed to run log_by_lua*: x",
	}, got)
	assert.Equal(t, "false", coreFile.ReplaceAllString("false/usr/share/lua/5.1/resty/core/ctx.lua:123: ", ""))
	assert.Equal(t, "x", coreFile.ReplaceAllString("/usr/share/lua/5.1/ngx/semaphore.lua:129: x", ""))
}

func TestHidePointers(t *testing.T) {
	assert.Equal(t, "closed socket: u:PTR, c:0000000000000000, ft:0 eof:1",
		hidePointers("closed socket: u:00007F6742A70060, c:0000000000000000, ft:0 eof:1"))
}

func TestHidePort(t *testing.T) {
	assert.Equal(t, "http://localhost:PORT/x 127.0.0.1:PORT", hidePort("http://localhost:34567/x 127.0.0.1:80"))
}

func TestServerBody(t *testing.T) {
	cases := []*Case{
		{Name: "a", Config: "location = /a {\n    lua_check_client_abort on;\n}"},
		{Name: "b", Config: "location = /b { }"},
	}
	body, start := serverBody(cases, map[string]string{"lua_check_client_abort": "(why)"})
	assert.Equal(t, "# case a\nlocation = /a {\n# lua_check_client_abort on; (why)\n}\n# case b\nlocation = /b { }", body)
	assert.Equal(t, map[string]int{"a": 2, "b": 6}, start)
}
