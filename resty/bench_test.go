package resty_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// helloApp is the wrapped application of the benchmarks: it writes "hello".
var helloApp = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	_, _ = w.Write([]byte("hello"))
})

func benchServe(b *testing.B, h http.Handler) {
	req := httptest.NewRequest("GET", "/hello", nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK || w.Body.Len() == 0 {
			b.Fatalf("status %d, body %q", w.Code, w.Body.String())
		}
	}
}

func mustNew(b *testing.B, c resty.Config) *resty.Handler {
	h, err := resty.New(c)
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// BenchmarkBare is the baseline: the wrapped handler alone.
func BenchmarkBare(b *testing.B) { benchServe(b, helloApp) }

// BenchmarkGoContent serves the response from a Go content hook.
func BenchmarkGoContent(b *testing.B) {
	benchServe(b, mustNew(b, resty.Config{Next: helloApp, Locations: []resty.Location{{
		Match: "= /hello",
		Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Print("hello") })},
	}}}))
}

// BenchmarkGoAccessPassThrough runs a Go access hook, then the wrapped handler.
func BenchmarkGoAccessPassThrough(b *testing.B) {
	benchServe(b, mustNew(b, resty.Config{Next: helloApp, Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{resty.Access(func(r *ngx.Request) error {
			if r.Header("X-Deny") != "" {
				return r.Exit(http.StatusForbidden)
			}
			return nil
		})},
	}}}))
}

// BenchmarkGoFilters runs a header filter, a body filter and a log hook around the wrapped handler.
func BenchmarkGoFilters(b *testing.B) {
	benchServe(b, mustNew(b, resty.Config{Next: helloApp, Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{
			resty.HeaderFilter(func(r *ngx.Request) error { r.ResponseHeader().Del("X-Powered-By"); return nil }),
			resty.BodyFilter(func(r *ngx.Request) error { return nil }),
			resty.Log(func(r *ngx.Request) error { return nil }),
		},
	}}}))
}

// BenchmarkLuaContent serves the response from a Lua content hook: ngx.say("hello").
func BenchmarkLuaContent(b *testing.B) {
	benchServe(b, mustNew(b, resty.Config{Next: helloApp, Locations: []resty.Location{{
		Match: "= /hello",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.say("hello")`)},
	}}}))
}

// BenchmarkLuaAccessPassThrough runs a Lua access hook, then the wrapped handler.
func BenchmarkLuaAccessPassThrough(b *testing.B) {
	benchServe(b, mustNew(b, resty.Config{Next: helloApp, Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseAccess, `
			if ngx.var.http_x_deny then
				return ngx.exit(ngx.HTTP_FORBIDDEN)
			end`)},
	}}}))
}

// BenchmarkLuaLog serves a Lua content hook that logs one line from a local function through an
// enabled logger: ngx.log's prefix names the function ("f(): ").
func BenchmarkLuaLog(b *testing.B) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	benchServe(b, mustNew(b, resty.Config{Logger: logger, Next: helloApp, Locations: []resty.Location{{
		Match: "= /hello",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent,
			`local function f() ngx.log(ngx.ERR, "x") end f() ngx.say("hello")`)},
	}}}))
}

// BenchmarkLuaLogDisabled is BenchmarkLuaLog with the line below the logger's level (ngx.DEBUG
// with slog's default Info): what debug logging left in production code costs.
func BenchmarkLuaLogDisabled(b *testing.B) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	benchServe(b, mustNew(b, resty.Config{Logger: logger, Next: helloApp, Locations: []resty.Location{{
		Match: "= /hello",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent,
			`local function f() ngx.log(ngx.DEBUG, "x", 1) end f() ngx.say("hello")`)},
	}}}))
}

// BenchmarkLuaContentHelper is BenchmarkLuaContent with the output in a local function, the
// shape of most handlers: a nested function that reads a global (ngx).
func BenchmarkLuaContentHelper(b *testing.B) {
	benchServe(b, mustNew(b, resty.Config{Next: helloApp, Locations: []resty.Location{{
		Match: "= /hello",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent,
			`local function say(s) ngx.say(s) end say("hello")`)},
	}}}))
}
