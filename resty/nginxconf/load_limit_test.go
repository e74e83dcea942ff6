package nginxconf

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRate(t *testing.T) {
	cases := []struct {
		in   string
		want float64
	}{
		{"rate=1r/s", 1}, {"rate=250r/s", 250}, {"rate=30r/m", 0.5}, {"rate=1r/m", 0.016},
		{"rate=7", 7},
	}
	for _, c := range cases {
		got, err := parseRate(c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
	}
	for _, bad := range []string{"rate=", "rate=0r/s", "rate=-1r/s", "rate=1r/h", "rate=1.5r/s", "rate=r/s"} {
		_, err := parseRate(bad)
		assert.Error(t, err, bad)
	}
}

// serve sends GET target to h and returns the status and $limit_req_status (X-Status).
func serve(h http.Handler, target string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	return rec.Code, rec.Header().Get("X-Status")
}

// TestLimitReq checks limit_req's decisions without real nginx (TestLimitReqAgainstNginx
// compares them with nginx): each location's sequence of statuses and $limit_req_status.
func TestLimitReq(t *testing.T) {
	h, err := LoadSnippet(`add_header X-Status $limit_req_status always;
location /burst { limit_req zone=a burst=2 nodelay; content_by_lua_block { ngx.say("ok") } }
location /status { limit_req zone=b; limit_req_status 429; content_by_lua_block { ngx.say("ok") } }
location /dry { limit_req zone=c; limit_req_dry_run on; content_by_lua_block { ngx.say("ok") } }
location /page { limit_req zone=d; error_page 404 /nf; content_by_lua_block { ngx.exit(404) } }
location = /nf { limit_req zone=d; content_by_lua_block { ngx.say("page") } }
location /nokey { limit_req zone=e; content_by_lua_block { ngx.say("ok") } }`,
		`limit_req_zone $binary_remote_addr zone=a:1m rate=1r/m;
limit_req_zone $binary_remote_addr zone=b:1m rate=1r/m;
limit_req_zone $binary_remote_addr zone=c:1m rate=1r/m;
limit_req_zone $binary_remote_addr zone=d:1m rate=1r/m;
limit_req_zone $arg_none zone=e:1m rate=1r/m;`, LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	type step struct {
		status int
		var_   string
	}
	cases := []struct {
		path string
		want []step
	}{
		{"/burst", []step{{200, "PASSED"}, {200, "PASSED"}, {200, "PASSED"}, {503, "REJECTED"}}},
		{"/status", []step{{200, "PASSED"}, {429, "REJECTED"}}},
		{"/dry", []step{{200, "PASSED"}, {200, "REJECTED_DRY_RUN"}}},
		// The error page's location does not count the request again.
		{"/page", []step{{404, "PASSED"}, {503, "REJECTED"}}},
		{"/nokey", []step{{200, ""}, {200, ""}}},
	}
	for _, c := range cases {
		for i, w := range c.want {
			status, v := serve(h, c.path)
			assert.Equal(t, w, step{status, v}, "%s request %d", c.path, i+1)
		}
	}
}

// TestLimitReqDelay checks that a delayed request waits excess/rate and that a client that
// goes away while it waits ends it.
func TestLimitReqDelay(t *testing.T) {
	h, err := LoadSnippet(`add_header X-Status $limit_req_status always;
location /d { limit_req zone=a burst=5; content_by_lua_block { ngx.say("ok") } }`,
		`limit_req_zone $binary_remote_addr zone=a:1m rate=20r/s;`, LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	status, v := serve(h, "/d")
	require.Equal(t, 200, status)
	require.Equal(t, "PASSED", v)
	start := time.Now()
	status, v = serve(h, "/d")
	assert.Equal(t, 200, status)
	assert.Equal(t, "DELAYED", v)
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond, "about 1/20 s")

	for range 3 { // the bucket fills: the next request waits 0.15 s or more
		serve(h, "/d")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	rec := httptest.NewRecorder()
	start = time.Now()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/d", nil).WithContext(ctx))
	assert.Less(t, time.Since(start), 120*time.Millisecond, "the wait ends with the client")
	assert.Empty(t, rec.Body.String(), "499: nothing is sent")
}

const limitConf = `events {}
http {
    access_log off;
    limit_req_zone %s zone=one:1m rate=1r/m;
    server {
        listen 127.0.0.1:8001;
        location / { limit_req zone=one; content_by_lua_block { ngx.say("ok") } }
    }
}`

// TestLimitReqAcrossReloads checks that a reload keeps a zone's state, as nginx keeps the
// zone, and refuses a zone whose key changed, as nginx does.
func TestLimitReqAcrossReloads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nginx.conf")
	write := func(key string) {
		require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf(limitConf, key)), 0o644))
	}
	write("$binary_remote_addr")
	first, err := Load(path, LoadOptions{Prefix: dir, ErrorLog: io.Discard})
	require.NoError(t, err)
	status, _ := serve(first.Handler(), "/")
	require.Equal(t, 200, status)

	second, err := Load(path, LoadOptions{Prefix: dir, ErrorLog: io.Discard, Previous: first})
	require.NoError(t, err)
	require.NoError(t, first.Close())
	status, _ = serve(second.Handler(), "/")
	assert.Equal(t, 503, status, "the zone kept its state")

	write("$uri")
	_, err = Load(path, LoadOptions{Prefix: dir, ErrorLog: io.Discard, Previous: second})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `limit_req "one" uses the "$uri" key while previously it used the "$binary_remote_addr" key`)
	status, _ = serve(second.Handler(), "/")
	assert.Equal(t, 503, status, "a failed reload leaves the zone to the running configuration")
	require.NoError(t, second.Close())
}

// TestLimitReqConcurrent sends requests at once: exactly burst+1 of them pass.
func TestLimitReqConcurrent(t *testing.T) {
	h, err := LoadSnippet(`location / { limit_req zone=a burst=9 nodelay; content_by_lua_block { ngx.say("ok") } }`,
		`limit_req_zone $binary_remote_addr zone=a:1m rate=1r/m;`, LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	statuses := make(chan int, 50)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			status, _ := serve(h, "/")
			statuses <- status
		})
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	assert.Equal(t, map[int]int{200: 10, 503: 40}, count)
}
