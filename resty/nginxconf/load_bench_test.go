package nginxconf

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// benchServe serves GET path with h, b.N times.
func benchServe(b *testing.B, h http.Handler, path string) {
	req := httptest.NewRequest("GET", path, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func snippet(b *testing.B, server string) http.Handler {
	h, err := LoadSnippet(server, "", LoadOptions{ErrorLog: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// BenchmarkLuaHello compares a content_by_lua_block loaded from nginx.conf with the same Lua
// hook given to resty directly: the difference is what the loader adds per request.
func BenchmarkLuaHello(b *testing.B) {
	const src = ` ngx.say("hello") `
	b.Run("resty", func(b *testing.B) {
		h, err := resty.New(resty.Config{Locations: []resty.Location{{Match: "= /hello",
			Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, src)}}}})
		if err != nil {
			b.Fatal(err)
		}
		benchServe(b, h, "/hello")
	})
	b.Run("nginxconf", func(b *testing.B) {
		benchServe(b, snippet(b, "location = /hello { content_by_lua_block {"+src+"} }"), "/hello")
	})
}

// BenchmarkReturn is return 200 "text" with a variable, a rewrite and an if before it.
func BenchmarkReturn(b *testing.B) {
	h := snippet(b, `location /r { rewrite ^/r(.*)$ /t$1 last; }
location /t { if ($arg_x = 1) { return 403; } return 200 "uri $uri\n"; }`)
	benchServe(b, h, "/r/abc")
}

// BenchmarkNestedRegex is a request matched by a regex nested in a prefix location.
func BenchmarkNestedRegex(b *testing.B) {
	h := snippet(b, `location / { location ~ \.php$ { return 200 "php"; } }
location /static/ { location ~ \.css$ { return 200 "css"; } }`)
	benchServe(b, h, "/static/site.css")
}

// BenchmarkRegexCaptures is a regex location whose captures a return reads.
func BenchmarkRegexCaptures(b *testing.B) {
	h := snippet(b, `location ~ ^/items/(\d+)/(\w+)$ { return 200 "item $1 $2\n"; }`)
	benchServe(b, h, "/items/42/edit")
}

// BenchmarkRewriteNoFlag is a rewrite without flag, whose state (the URI changed) lives
// across the location's hooks.
func BenchmarkRewriteNoFlag(b *testing.B) {
	h := snippet(b, `location /b/ { rewrite ^/b/(.*)$ /c/$1; return 200 "$uri\n"; }`)
	benchServe(b, h, "/b/x")
}

// BenchmarkLocationSettings is a location with its own default_type and client_max_body_size,
// different from the server's.
func BenchmarkLocationSettings(b *testing.B) {
	h := snippet(b, `client_max_body_size 1m; error_page 404 /e;
location = /e { return 200 "e"; }
location /j { default_type application/json; client_max_body_size 10k; return 200 "{}"; }`)
	benchServe(b, h, "/j")
}

// BenchmarkLimitReq is a static-free location behind limit_req at a rate it never reaches,
// against the same location without it.
func BenchmarkLimitReq(b *testing.B) {
	const loc = `location /l { %s content_by_lua_block { ngx.say("ok") } }`
	b.Run("without", func(b *testing.B) {
		benchServe(b, snippet(b, strings.Replace(loc, "%s", "", 1)), "/l")
	})
	b.Run("limit_req", func(b *testing.B) {
		h, err := LoadSnippet(strings.Replace(loc, "%s", "limit_req zone=z burst=1000;", 1),
			"limit_req_zone $binary_remote_addr zone=z:10m rate=100000000r/s;", LoadOptions{ErrorLog: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		benchServe(b, h, "/l")
	})
}

// BenchmarkHeaderFilters is a location whose response passes through header filters
// (add_header, expires), and one with default_type "", whose response has no Content-Type.
func BenchmarkHeaderFilters(b *testing.B) {
	b.Run("add_header", func(b *testing.B) {
		benchServe(b, snippet(b, `location /h { add_header X-A a; expires 1h; return 200 "h"; }`), "/h")
	})
	b.Run("no_type", func(b *testing.B) {
		benchServe(b, snippet(b, `location /n { default_type ""; return 200 "<p>n</p>"; }`), "/n")
	})
}

// BenchmarkServerRewrite is a request through a server's rewrite directives, after which the
// loader checks client_max_body_size.
func BenchmarkServerRewrite(b *testing.B) {
	h := snippet(b, `if ($http_x_block) { return 403; }
location /s { return 200 "s"; }`)
	benchServe(b, h, "/s")
}

// BenchmarkProxyPass is proxy_pass to an upstream block over kept-alive HTTP/1.1
// connections (the backend a net/http server answering a fixed text), with and without
// proxy_cache (every request after the first a HIT).
func BenchmarkProxyPass(b *testing.B) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		_, _ = io.WriteString(w, "hello from the app\n")
	}))
	defer backend.Close()
	addr := strings.TrimPrefix(backend.URL, "http://")
	h, err := LoadSnippet(`
        location /proxied { proxy_pass http://app/; proxy_http_version 1.1; proxy_set_header Connection ""; }
        location /cached { proxy_pass http://app/; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_cache c; }`,
		"upstream app { server "+addr+"; keepalive 16; } proxy_cache_path /unused keys_zone=c:1m;",
		LoadOptions{ErrorLog: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	defer h.(interface{ Close() }).Close()
	b.Run("proxied", func(b *testing.B) { benchServe(b, h, "/proxied") })
	b.Run("cached", func(b *testing.B) { benchServe(b, h, "/cached") })
}
