package nginxconf

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendEscaped(t *testing.T) {
	cases := []struct {
		v     string
		found bool
		mode  string
		want  string
	}{
		{"plain", true, "default", "plain"},
		{"", false, "default", "-"},
		{"", true, "default", ""},
		{`a"b\c`, true, "default", `a\x22b\x5Cc`},
		{"tab\there\n", true, "default", `tab\x09here\x0A`},
		{"é\x7f", true, "default", `\xC3\xA9\x7F`},
		{"", false, "json", ""},
		{"a\"b\\c\n\t\x01é", true, "json", `a\"b\\c\n\t\u0001é`},
		{"", false, "none", "-"},
		{`a"b`, true, "none", `a"b`},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, string(appendEscaped(nil, c.v, c.found, c.mode)), "%q %s", c.v, c.mode)
	}
}

func TestAccessLog(t *testing.T) {
	c := loadString(t, `events {}
http {
    log_format j escape=json '{"uri":"$uri","ua":"$http_user_agent","st":$status}';
    log_format plain '$request_method $uri $arg_x';
    server {
        listen 127.0.0.1:8001;
        access_log logs/main.log;
        location = /j { access_log logs/j.log j; return 200; }
        location = /off { access_log off; return 200; }
        location = /if { access_log logs/if.log plain if=$arg_log; return 200; }
        location = /two { access_log logs/a.log plain; access_log logs/b.log plain; return 204; }
    }
}`)
	h := c.Handler()
	for _, target := range []string{"/x?a=1", "/j", "/off", "/if?x=skipped", "/if?log=1&x=kept", "/two?x=2"} {
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("User-Agent", `agent "quoted"`)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(c.Prefix, "logs", name))
		require.NoError(t, err, name)
		return string(b)
	}
	assert.Regexp(t, `^192\.0\.2\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET /x\?a=1 HTTP/1\.1" 404 \d+ "-" "agent \\x22quoted\\x22"\n$`,
		read("main.log"))
	assert.Equal(t, `{"uri":"/j","ua":"agent \"quoted\"","st":200}`+"\n", read("j.log"))
	assert.Equal(t, "GET /if kept\n", read("if.log"))
	assert.Equal(t, "GET /two 2\n", read("a.log"))
	assert.Equal(t, "GET /two 2\n", read("b.log"))
}

func TestErrorLogFormat(t *testing.T) {
	var buf bytes.Buffer
	el := &errorLog{sinks: []logSink{{w: &buf, level: defaultErrorLevel}}, server: "example.com"}
	l := slog.New(el)
	l.Warn("not written: below error")
	rec := slog.NewRecord(time.Date(2024, 5, 6, 7, 8, 9, 0, time.Local), slog.LevelError, "open() failed", 0)
	rec.AddAttrs(slog.String("level", "error"), slog.String("client", "10.0.0.1"),
		slog.String("request", "GET / HTTP/1.1"), slog.String("location", "/"))
	require.NoError(t, el.Handle(t.Context(), rec))
	assert.Regexp(t, regexp.MustCompile(`^2024/05/06 07:08:09 \[error\] \d+#0: open\(\) failed, client: 10\.0\.0\.1, server: example\.com, request: "GET / HTTP/1\.1"\n$`),
		buf.String())
}

func TestErrorLogLevels(t *testing.T) {
	c := loadWith(t, `events {}
error_log logs/main.log info;
http {
    access_log off;
    server {
        listen 127.0.0.1:8001;
        error_log logs/server.log warn;
        location = /w { content_by_lua_block { ngx.log(ngx.WARN, "a warning") ngx.log(ngx.INFO, "some info") } }
    }
}`, LoadOptions{})
	c.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/w", nil))
	b, err := os.ReadFile(filepath.Join(c.Prefix, "logs", "server.log"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "a warning")
	assert.NotContains(t, string(b), "some info")
}

// TestLoggerReplacesErrorLog checks that with LoadOptions.Logger no error_log file is opened.
func TestLoggerReplacesErrorLog(t *testing.T) {
	var buf bytes.Buffer
	h, err := LoadSnippet(`location = /w { content_by_lua_block { ngx.log(ngx.ERR, "to the logger") } }`, "",
		LoadOptions{Prefix: t.TempDir(), Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	require.NoError(t, err, "logs/error.log of the snippet is not opened")
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/w", nil))
	assert.Contains(t, buf.String(), "to the logger")
}
