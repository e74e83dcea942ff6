package resty_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// BenchmarkLuaAPI measures common ngx API calls from Lua, one request whose content hook makes
// the call b.N times in a loop, so ns/op and allocs/op are one call's ("loop" is the empty loop).
func BenchmarkLuaAPI(b *testing.B) {
	for _, c := range []struct{ name, loop string }{
		{"loop", `for i = 1, n do end`},
		{"var_uri", `for i = 1, n do local v = ngx.var.uri end`},
		{"var_arg", `for i = 1, n do local v = ngx.var.arg_n end`},
		{"get_method", `for i = 1, n do local v = ngx.req.get_method() end`},
		{"get_headers", `for i = 1, n do local v = ngx.req.get_headers() end`},
		{"header_set", `for i = 1, n do ngx.header["X-A"] = "v" end`},
		{"ctx", `for i = 1, n do ngx.ctx.x = i end`},
		{"time", `for i = 1, n do local v = ngx.time() end`},
		{"re_find", `for i = 1, n do local v = ngx.re.find("hello world", "wor", "jo") end`},
		{"cjson_encode", `local cjson = require "cjson" local t = {a = 1, b = "x"} for i = 1, n do local v = cjson.encode(t) end`},
		{"log_disabled", `for i = 1, n do ngx.log(ngx.DEBUG, "x", i) end`},
	} {
		b.Run(c.name, func(b *testing.B) {
			h, err := resty.New(resty.Config{Locations: []resty.Location{{Match: "= /bench",
				Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent,
					`local n = tonumber(ngx.var.arg_n) `+c.loop+` ngx.print("ok")`)}}}})
			if err != nil {
				b.Fatal(err)
			}
			defer h.Close()
			restytest.Do(h, benchRequest("/bench?n=1")) // warm the Lua state
			b.ReportAllocs()
			b.ResetTimer()
			resp := restytest.Do(h, benchRequest("/bench?n="+strconv.Itoa(b.N)))
			b.StopTimer()
			if resp.StatusCode != http.StatusOK || restytest.Body(resp) != "ok" {
				b.Fatalf("status %d: %s", resp.StatusCode, restytest.Body(resp))
			}
		})
	}
}

// benchRequest is a GET of target with the headers a browser sends.
func benchRequest(target string) *http.Request {
	req := httptest.NewRequest("GET", target, nil)
	for k, v := range map[string]string{
		"User-Agent": "Mozilla/5.0", "Accept": "text/html", "Accept-Encoding": "gzip, br",
		"Accept-Language": "en-US", "Cookie": "a=1; b=2", "X-Forwarded-For": "10.0.0.1",
		"Cache-Control": "no-cache", "X-Custom-Thing": "yes",
	} {
		req.Header.Set(k, v)
	}
	return req
}
