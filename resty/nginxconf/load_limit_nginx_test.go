package nginxconf

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// limitSuite runs limit_req on real nginx and on goresty, request by request: on static files
// and Lua content, as return runs in the rewrite phase, before limit_req. The rates are
// 1r/m where a count must be exact (nothing drains during the test), and faster where the
// outcome holds unless the requests of one location take a tenth of a second or more.
var limitSuite = diffSuite{
	name: "limit_req",
	http: `
limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;
limit_req_zone $binary_remote_addr zone=slow:10m rate=1r/m;
limit_req_zone $arg_k zone=bykey:10m rate=1r/m;
limit_req_zone $binary_remote_addr zone=fast:10m rate=10r/s;
limit_req_zone $binary_remote_addr zone=fast2:10m rate=10r/s;
limit_req_zone $binary_remote_addr zone=dry:10m rate=1r/m;
limit_req_zone $binary_remote_addr zone=page:10m rate=1r/m;
limit_req_zone $binary_remote_addr zone=once:10m rate=1r/m;
limit_req_zone $binary_remote_addr zone=ma:10m rate=1r/m;
limit_req_zone $binary_remote_addr zone=mb:10m rate=1r/m;
limit_req_zone $binary_remote_addr zone=inh:10m rate=1r/m;
limit_req_zone $binary_remote_addr zone=lua:10m rate=2r/s;
`,
	server: `
add_header X-Status $limit_req_status always;
root html;
location /one { limit_req zone=one burst=5 nodelay; }
location /status { limit_req zone=slow; limit_req_status 429; }
location /key { limit_req zone=bykey burst=1 nodelay; }
location /delay { limit_req zone=fast burst=2; }
location /delayn { limit_req zone=fast2 burst=5 delay=2; }
location /dry { limit_req_dry_run on; limit_req zone=dry; }
location /page { limit_req zone=page; error_page 503 /busy; }
location = /busy { return 200 "busy $limit_req_status\n"; }
location /er { limit_req zone=once; error_page 404 /erpage; }
location = /erpage { limit_req zone=once; content_by_lua_block { ngx.say("erpage ", ngx.var.limit_req_status) } }
location /multi { limit_req zone=ma burst=1 nodelay; limit_req zone=mb nodelay; }
location /maonly { limit_req zone=ma burst=1 nodelay; }
location /inh { limit_req zone=inh; location /inh/x { } }
location /lua { limit_req zone=lua burst=5; content_by_lua_block { ngx.say(ngx.var.limit_req_status) } }
location /ret { limit_req zone=slow; return 200 "return runs before limit_req: $limit_req_status\n"; }
`,
	files: map[string]string{"html/one": "one\n", "html/status": "status\n", "html/key": "key\n",
		"html/delay": "delay\n", "html/delayn": "delayn\n", "html/dry": "dry\n", "html/page": "page\n",
		"html/multi": "multi\n", "html/maonly": "maonly\n", "html/inh/x": "x\n", "html/inh/y": "y\n"},
	reqs: append(repeat("/one", 8), append(repeat("/status", 2), append([]diffReq{
		get1("/key"), get1("/key"), get1("/key?k=a"), get1("/key?k=a"), get1("/key?k=a"),
		get1("/key?k=b"), get1("/delay"), get1("/delay"), get1("/delay"),
		get1("/delayn"), get1("/delayn"), get1("/delayn"), get1("/delayn"),
		get1("/dry"), get1("/dry"), get1("/dry"), get1("/page"), get1("/page"),
		get1("/er"), get1("/er"), get1("/multi"), get1("/multi"), get1("/multi"),
		get1("/maonly"), get1("/maonly"), get1("/inh/x"), get1("/inh/y"), get1("/ret"), get1("/ret")},
		repeat("/lua", 2)...)...)...),
}

func repeat(path string, n int) []diffReq {
	out := make([]diffReq, n)
	for i := range out {
		out[i] = get1(path)
	}
	return out
}

// TestLimitReqAgainstNginx compares limit_req with real nginx. All the requests go to nginx,
// then all to goresty: sent alternately, nginx's delays would drain goresty's buckets.
func TestLimitReqAgainstNginx(t *testing.T) {
	prefix := t.TempDir()
	writePrefix(t, prefix, map[string]string{"logs/": "", "html/": ""})
	writePrefix(t, prefix, limitSuite.files)
	base := startSnippetNginx(t, prefix, limitSuite)
	var errLog servertest.SyncBuffer
	h, err := LoadSnippet(limitSuite.server, limitSuite.http, LoadOptions{Prefix: prefix,
		ServerTokens: "nginx/1.22.1", ErrorLog: &errLog})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	var want, got []seen
	for _, r := range limitSuite.reqs {
		want = append(want, fetch(t, base, r))
	}
	for _, r := range limitSuite.reqs {
		got = append(got, fetch(t, srv.URL, r))
	}
	for i, r := range limitSuite.reqs {
		want[i].length, got[i].length = "", ""
		assert.Equal(t, want[i], got[i], "request %d: %s %s", i, r.method, r.path)
	}
	if t.Failed() {
		t.Logf("goresty error log:\n%s", errLog.String())
	}
}

// limitConfigErrors are limit_req configurations nginx refuses, as http-level directives and
// server-level ones; the loader must refuse them with nginx's words.
var limitConfigErrors = []struct{ http, server string }{
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s sync;`, ""},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/h;`, ""},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=0r/s;`, ""},
	{`limit_req_zone $binary_remote_addr zone=one:16k rate=1r/s;`, ""},
	{`limit_req_zone $binary_remote_addr zone=one rate=1r/s;`, ""},
	{`limit_req_zone $binary_remote_addr rate=1r/s x=1;`, ""},
	{`limit_req_zone $binary_remote_addr rate=1r/s rate=2r/s;`, ""},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s; limit_req_zone $uri zone=one:10m rate=2r/s;`, ""},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s; limit_req_zone $uri zone=one:20m rate=2r/s;`, ""},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s; lua_shared_dict one 1m;`, ""},
	{`lua_shared_dict one 1m; limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;`, ""},
	{"", `limit_req zone=nope;`},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;`, `limit_req zone=one burst=0;`},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;`, `limit_req zone=one delay=x;`},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;`, `limit_req burst=3;`},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;`, `limit_req zone=one; limit_req zone=one;`},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;`, `limit_req zone=one fast;`},
	{`limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;`, `location / { limit_req zone=one a b c; }`},
	{"", `limit_req_status 399;`},
	{"", `limit_req_status abc;`},
	{"", `limit_req_status 429; limit_req_status 503;`},
	{"", `limit_req_log_level debug;`},
	{"", `limit_req_dry_run maybe;`},
	{"", `location / { if ($arg_x) { limit_req zone=one; } }`},
	{`limit_req_zone $nope zone=one:10m rate=1r/s;`, ""},
}

// TestLimitReqErrorsAgainstNginx checks that the loader refuses what nginx -t refuses, with
// the same message (the place aside: nginx names some errors without one).
func TestLimitReqErrorsAgainstNginx(t *testing.T) {
	bin := servertest.Nginx(t)
	for _, c := range limitConfigErrors {
		conf := filepath.Join(t.TempDir(), "nginx.conf")
		// nginx -t names its own pid file and refuses port 0.
		text := strings.NewReplacer("pid logs/nginx.pid;\n", "", "127.0.0.1:0", "127.0.0.1:8").
			Replace(snippetConfig(c.server, c.http))
		require.NoError(t, os.WriteFile(conf, []byte(text), 0o644))
		want := nginxTest(t, bin, conf)
		require.NotEmpty(t, want, "nginx accepts %q %q", c.http, c.server)
		_, err := LoadSnippet(c.server, c.http, LoadOptions{ErrorLog: io.Discard})
		require.Error(t, err, "%q %q", c.http, c.server)
		assert.Equal(t, withoutPlace(want), withoutPlace(err.Error()), "%q %q", c.http, c.server)
	}
}

// withoutPlace drops " in file:line" from an error message.
func withoutPlace(msg string) string {
	if i := strings.LastIndex(msg, " in "); i >= 0 && strings.Contains(msg[i:], ":") {
		return msg[:i]
	}
	return msg
}
