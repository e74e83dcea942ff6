package nginxconf

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// diffReq is one request sent to real nginx and to goresty.
type diffReq struct {
	method string
	path   string
	header map[string]string
	body   string
}

// diffSuite is a snippet (as LoadSnippet takes it), the files its prefix holds, and the
// requests whose responses must agree.
type diffSuite struct {
	name   string
	server string
	http   string
	files  map[string]string
	reqs   []diffReq
}

func get1(path string) diffReq { return diffReq{method: "GET", path: path} }

// writePrefix creates files (relative to dir) with their contents; a name ending in "/" is a
// directory.
func writePrefix(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if strings.HasSuffix(name, "/") {
			require.NoError(t, os.MkdirAll(p, 0o755))
			continue
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
}

// startSnippetNginx runs real nginx on a snippet laid out as LoadSnippet lays it out.
func startSnippetNginx(t *testing.T, prefix string, s diffSuite) string {
	t.Helper()
	addr := servertest.FreeAddr(t)
	conf := snippetConfig(s.server, s.http)
	conf = strings.Replace(conf, "daemon on;", "daemon off;", 1)
	conf = strings.Replace(conf, "listen 127.0.0.1:0;", "listen "+addr+";", 1)
	base := "http://" + addr
	servertest.StartNginx(t, prefix, conf, servertest.Get(base+"/__ready"))
	return base
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// seen is a response reduced to what must agree.
type seen struct {
	Status int
	Header []string
	Body   string
	length string
}

// ignoredHeaders differ for reasons outside the loader (date, framing, server name).
var ignoredHeaders = map[string]bool{"Date": true, "Server": true, "Connection": true,
	"Keep-Alive": true, "Transfer-Encoding": true, "Content-Length": true}

func fetch(t *testing.T, base string, r diffReq) seen {
	t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, base+r.path, body)
	require.NoError(t, err)
	for k, v := range r.header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	require.NoError(t, err, r.path)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	// The two servers differ in their ports: name the port PORT wherever it shows.
	port := base[strings.LastIndexByte(base, ':'):]
	norm := strings.NewReplacer(base, "BASE", port+"/", ":PORT/").Replace
	s := seen{Status: resp.StatusCode, Body: norm(string(b))}
	for k, vs := range resp.Header {
		if ignoredHeaders[k] {
			continue
		}
		for _, v := range vs {
			s.Header = append(s.Header, k+": "+norm(v))
		}
	}
	s.length = resp.Header.Get("Content-Length")
	sort.Strings(s.Header)
	return s
}

// sameLength compares Content-Length only where both sides send one: Go's server sends it
// for short bodies that nginx's Lua output sends chunked.
func sameLength(want, got seen) bool {
	return want.length == "" || got.length == "" || want.length == got.length
}

// runDiff runs a suite on real nginx and on LoadSnippet and compares every response.
func runDiff(t *testing.T, s diffSuite) {
	prefix := t.TempDir()
	writePrefix(t, prefix, map[string]string{"logs/": "", "html/": ""})
	writePrefix(t, prefix, s.files)
	base := startSnippetNginx(t, prefix, s)
	var errLog servertest.SyncBuffer
	h, err := LoadSnippet(s.server, s.http, LoadOptions{Prefix: prefix, ServerTokens: "nginx/1.22.1",
		ErrorLog: &errLog})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	for _, r := range s.reqs {
		want := fetch(t, base, r)
		got := fetch(t, srv.URL, r)
		assert.True(t, sameLength(want, got), "Content-Length %q, want %q: %s %s", got.length, want.length, r.method, r.path)
		want.length, got.length = "", ""
		assert.Equal(t, want, got, "%s %s %v", r.method, r.path, r.header)
	}
	if t.Failed() {
		t.Logf("goresty error log:\n%s", errLog.String())
	}
}

// TestDirectivesAgainstNginx runs each directive's cases on real nginx and on goresty.
func TestDirectivesAgainstNginx(t *testing.T) {
	servertest.Nginx(t)
	for _, s := range diffSuites {
		t.Run(s.name, func(t *testing.T) { runDiff(t, s) })
	}
}
