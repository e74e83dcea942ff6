package nginxconf

import (
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzLoadSnippet loads random server blocks: the loader must return an error or a handler,
// never panic, and the handler must serve a request.
func FuzzLoadSnippet(f *testing.F) {
	for _, s := range diffSuites {
		f.Add(s.server, "/")
	}
	f.Add("location ~ (a)(b) { rewrite ^/(.*)$ /$1$2 last; }", "/ab")
	f.Add("if ($arg_a ~* ^x) { return 302 /y; }", "/?a=X")
	f.Fuzz(func(t *testing.T, server, path string) {
		// Logs and Lua files would touch the file system wherever the input points.
		if strings.Contains(server, "log") || strings.Contains(server, "_file") ||
			strings.Contains(server, "include") || strings.Contains(server, "sleep") {
			t.Skip()
		}
		h, err := LoadSnippet(server, "", LoadOptions{Prefix: t.TempDir(), ErrorLog: io.Discard,
			LuaTimeout: time.Second})
		if err != nil {
			return
		}
		if _, err := url.ParseRequestURI(path); err != nil || !strings.HasPrefix(path, "/") ||
			strings.ContainsAny(path, " \r\n\t#") {
			path = "/"
		}
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	})
}
