package resty_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// trace records the phases that ran.
type trace struct{ steps []string }

func (tr *trace) hook(phase ngx.Phase, name string) resty.Hook {
	return resty.Hook{Phase: phase, Go: func(r *ngx.Request) error {
		tr.steps = append(tr.steps, name+":"+r.Phase().String())
		return nil
	}}
}

func TestPhaseOrder(t *testing.T) {
	var tr trace
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{
			tr.hook(ngx.PhaseLog, "l"),
			tr.hook(ngx.PhaseBodyFilter, "b"),
			tr.hook(ngx.PhaseHeaderFilter, "h"),
			resty.Content(func(r *ngx.Request) error { tr.steps = append(tr.steps, "c"); return r.Say("x") }),
			tr.hook(ngx.PhaseAccess, "a1"),
			tr.hook(ngx.PhaseAccess, "a2"),
			tr.hook(ngx.PhaseRewrite, "r"),
		},
	}}})
	restytest.AssertBody(t, restytest.Get(h, "/"), "x\n")
	assert.Equal(t, []string{"r:rewrite", "a1:access", "a2:access", "c", "h:header_filter",
		"b:body_filter", "b:body_filter", "l:log"}, tr.steps)
}

// A hook before content that sends the response header ends the request after it: later
// rewrite, access and content hooks do not run, the log hooks do (oracle cases fl_*_output_*,
// fl_rewrite_send_headers, fl_access_flush in phase.cases).
func TestOutputBeforeContentEndsTheRequest(t *testing.T) {
	var tr trace
	h := restytest.NewHandler(t, resty.Config{Next: http.NotFoundHandler(), Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{
			{Phase: ngx.PhaseRewrite, Go: func(r *ngx.Request) error {
				tr.steps = append(tr.steps, "r")
				return r.Print("early")
			}},
			tr.hook(ngx.PhaseAccess, "a"),
			resty.Content(func(r *ngx.Request) error { tr.steps = append(tr.steps, "c"); return r.Say("x") }),
			tr.hook(ngx.PhaseLog, "l"),
		},
	}}})
	restytest.AssertBody(t, restytest.Get(h, "/"), "early")
	assert.Equal(t, []string{"r", "l:log"}, tr.steps)
}

func TestExit(t *testing.T) {
	content := resty.Content(func(r *ngx.Request) error { return r.Say("content") })
	exitIn := func(phase ngx.Phase, status int) resty.Hook {
		return resty.Hook{Phase: phase, Go: func(r *ngx.Request) error { return r.Exit(status) }}
	}
	tests := []struct {
		name   string
		hooks  []resty.Hook
		status int
		body   string
		ctype  string
	}{
		{"access 403", []resty.Hook{exitIn(ngx.PhaseAccess, 403), content}, 403, "<center><h1>403 Forbidden</h1></center>", "text/html"},
		{"rewrite 0 moves on", []resty.Hook{exitIn(ngx.PhaseRewrite, 0), content}, 200, "content\n", "text/plain"},
		{"access 0 moves on", []resty.Hook{exitIn(ngx.PhaseAccess, 0), content}, 200, "content\n", "text/plain"},
		{"content 503", []resty.Hook{exitIn(ngx.PhaseContent, 503)}, 503, "503 Service Temporarily Unavailable", "text/html"},
		{"content 200 empty", []resty.Hook{exitIn(ngx.PhaseContent, 200)}, 200, "", "text/plain"},
		{"content 204", []resty.Hook{exitIn(ngx.PhaseContent, 204)}, 204, "", ""},
		{"content 418 no page", []resty.Hook{exitIn(ngx.PhaseContent, 418)}, 418, "", ""},
		{"exit after say keeps 200", []resty.Hook{resty.Content(func(r *ngx.Request) error {
			_ = r.Say("hi")
			return r.Exit(404)
		})}, 200, "hi\n", "text/plain"},
		{"content exit 0 stops content", []resty.Hook{resty.Content(func(r *ngx.Request) error {
			_ = r.Say("a")
			return r.Exit(0)
		}), content}, 200, "a\n", "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{Match: "/", Hooks: tt.hooks}}})
			resp := restytest.Get(h, "/")
			restytest.AssertStatus(t, resp, tt.status)
			assert.Contains(t, restytest.Body(resp), tt.body)
			restytest.AssertHeader(t, resp, "Content-Type", tt.ctype)
		})
	}
}

func TestErrorPageExact(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{ServerTokens: "nginx/1.22.1", Locations: []resty.Location{{
		Match: "/", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Exit(404) })},
	}}})
	resp := restytest.Get(h, "/")
	restytest.AssertHeader(t, resp, "Content-Length", "153")
	restytest.AssertBody(t, resp, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"+
		"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n")
}

func TestHookErrorsAndPanics(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	var logged bool
	h := restytest.NewHandler(t, resty.Config{Logger: logger, Locations: []resty.Location{
		{Match: "/err", Hooks: []resty.Hook{resty.Access(func(*ngx.Request) error { return errors.New("denied by bug") }),
			resty.Log(func(*ngx.Request) error { logged = true; return nil })}},
		{Match: "/panic", Hooks: []resty.Hook{resty.Content(func(*ngx.Request) error { panic("kaboom") })}},
		{Match: "/late", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
			_ = r.Say("partial")
			return errors.New("late failure")
		})}},
	}})

	resp := restytest.Get(h, "/err")
	restytest.AssertStatus(t, resp, http.StatusInternalServerError)
	assert.Contains(t, restytest.Body(resp), "500 Internal Server Error")
	assert.True(t, logged, "log phase runs after an error")
	assert.Contains(t, logs.String(), "failed to run access hook: denied by bug")
	assert.Contains(t, logs.String(), `location=/err phase=access`)

	resp = restytest.Get(h, "/panic")
	restytest.AssertStatus(t, resp, http.StatusInternalServerError)
	assert.Contains(t, logs.String(), "panic: kaboom")

	// After the headers went out nginx can only drop the connection.
	resp = restytest.Get(h, "/late")
	assert.Equal(t, 0, resp.StatusCode)
	assert.Contains(t, logs.String(), "late failure")
}

func TestHeadersAfterSent(t *testing.T) {
	var errHeader, errStatus error
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{
		resty.Content(func(r *ngx.Request) error {
			require.NoError(t, r.SetResponseHeader("X-Before", "1"))
			_ = r.Say("x")
			errHeader = r.SetResponseHeader("X-After", "1")
			errStatus = r.SetStatus(404)
			return nil
		}),
	}}}})
	resp := restytest.Get(h, "/")
	restytest.AssertStatus(t, resp, 200)
	restytest.AssertHeader(t, resp, "X-Before", "1")
	restytest.AssertHeader(t, resp, "X-After", "")
	assert.ErrorIs(t, errHeader, ngx.ErrHeadersSent)
	assert.ErrorIs(t, errStatus, ngx.ErrStatusSent)
	assert.EqualError(t, errHeader, "attempt to set ngx.header.HEADER after sending out response headers")
}

func TestFiltersApplyToWrappedHandler(t *testing.T) {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-App", "1")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte("hello "))
		_, _ = w.Write([]byte("world"))
	})
	var status int
	var sent int64
	h := restytest.NewHandler(t, resty.Config{Next: app, Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{
		resty.HeaderFilter(func(r *ngx.Request) error {
			r.ResponseHeader().Set("X-Filtered", r.ResponseHeader().Get("X-App"))
			return r.SetStatus(202)
		}),
		resty.BodyFilter(func(r *ngx.Request) error {
			chunk, eof := r.BodyChunk()
			out := strings.ToUpper(string(chunk))
			if eof {
				out += "!"
			}
			r.SetBodyChunk([]byte(out), eof)
			return nil
		}),
		resty.Log(func(r *ngx.Request) error {
			status = r.Status()
			sent = r.BytesSent()
			return nil
		}),
	}}}})
	resp := restytest.Get(h, "/")
	restytest.AssertStatus(t, resp, http.StatusAccepted)
	restytest.AssertHeader(t, resp, "X-Filtered", "1")
	restytest.AssertBody(t, resp, "HELLO WORLD!")
	assert.Equal(t, 202, status)
	assert.Equal(t, int64(12), sent)
}

func TestRewriteReachesWrappedHandler(t *testing.T) {
	var got *http.Request
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r })
	orig := restytest.NewRequest("GET", "/old?a=1", nil)
	orig.Header.Set("X-Drop", "1")
	h := restytest.NewHandler(t, resty.Config{Next: app, Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{
		resty.Rewrite(func(r *ngx.Request) error {
			r.SetURI("/new")
			r.SetArgs("b=2")
			r.SetMethod("POST")
			r.SetHeader("X-Add", "yes")
			r.ClearHeader("X-Drop")
			r.SetBody([]byte("payload"))
			return nil
		}),
	}}}})
	restytest.Do(h, orig)
	require.NotNil(t, got)
	assert.Equal(t, "/new", got.URL.Path)
	assert.Equal(t, "b=2", got.URL.RawQuery)
	assert.Equal(t, "POST", got.Method)
	assert.Equal(t, "yes", got.Header.Get("X-Add"))
	assert.Empty(t, got.Header.Get("X-Drop"))
	assert.Equal(t, int64(7), got.ContentLength)
	assert.Equal(t, "1", orig.Header.Get("X-Drop"), "the caller's request is not changed")
	assert.Equal(t, "/old", orig.URL.Path)
}

func TestExecAndNamedLocations(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{
		{Match: "/start", Hooks: []resty.Hook{resty.Rewrite(func(r *ngx.Request) error {
			r.Ctx()["lost"] = true
			return r.Exec("/target?x=1")
		})}},
		{Match: "/target", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
			_, kept := r.Ctx()["lost"]
			v, _ := r.Var("arg_x")
			return r.Print(r.URI() + " x=" + v + " internal=" + boolString(r.IsInternal()) + " ctx=" + boolString(kept))
		})}},
		{Match: "/named", Hooks: []resty.Hook{resty.Access(func(r *ngx.Request) error { return r.Exec("@fallback") })}},
		{Match: "@fallback", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Print("fallback " + r.URI()) })}},
		{Match: "/loop", Hooks: []resty.Hook{resty.Rewrite(func(r *ngx.Request) error { return r.Exec("/loop") })}},
		{Match: "/missing", Hooks: []resty.Hook{resty.Rewrite(func(r *ngx.Request) error { return r.Exec("@nope") })}},
	}})
	restytest.AssertBody(t, restytest.Get(h, "/start"), "/target x=1 internal=true ctx=false")
	restytest.AssertBody(t, restytest.Get(h, "/named"), "fallback /named")
	restytest.AssertStatus(t, restytest.Get(h, "/loop"), http.StatusInternalServerError)
	restytest.AssertStatus(t, restytest.Get(h, "/missing"), http.StatusInternalServerError)
	restytest.AssertStatus(t, restytest.Get(h, "/@fallback"), http.StatusNotFound)
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestRedirect(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{
		{Match: "/r", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Redirect("/x", 0) })}},
		{Match: "/p", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Redirect("http://a.b/x?y=1", 301) })}},
		{Match: "/bad", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Redirect("/x", 200) })}},
	}})
	resp := restytest.Get(h, "/r")
	restytest.AssertStatus(t, resp, 302)
	restytest.AssertHeader(t, resp, "Location", "/x")
	assert.Contains(t, restytest.Body(resp), "<title>302 Found</title>")
	resp = restytest.Get(h, "/p")
	restytest.AssertStatus(t, resp, 301)
	restytest.AssertHeader(t, resp, "Location", "http://a.b/x?y=1")
	restytest.AssertStatus(t, restytest.Get(h, "/bad"), 500)
}

func TestServerHooksAndInit(t *testing.T) {
	var inits int
	h := restytest.NewHandler(t, resty.Config{
		Hooks: []resty.Hook{
			resty.Init(func() error { inits++; return nil }),
			resty.Access(func(r *ngx.Request) error { return r.SetResponseHeader("X-Server", "1") }),
		},
		Locations: []resty.Location{
			{Match: "/own", Hooks: []resty.Hook{resty.Access(func(r *ngx.Request) error { return r.SetResponseHeader("X-Own", "1") }),
				resty.Content(func(r *ngx.Request) error { return nil })}},
			{Match: "/inherit", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return nil })}},
		},
	})
	assert.Equal(t, 1, inits)
	resp := restytest.Get(h, "/own")
	restytest.AssertHeader(t, resp, "X-Own", "1")
	restytest.AssertHeader(t, resp, "X-Server", "")
	restytest.AssertHeader(t, restytest.Get(h, "/inherit"), "X-Server", "1")

	_, err := resty.New(resty.Config{Hooks: []resty.Hook{resty.Init(func() error { return errors.New("no db") })}})
	assert.EqualError(t, err, "init: no db")
}

func TestBodyLimit(t *testing.T) {
	var readErr error
	h := restytest.NewHandler(t, resty.Config{MaxBodySize: 4, Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{
		resty.Content(func(r *ngx.Request) error {
			readErr = r.ReadBody()
			return r.Print(string(r.Body()))
		}),
	}}}})
	resp := restytest.Post(h, "/", "text/plain", "12345")
	restytest.AssertStatus(t, resp, http.StatusRequestEntityTooLarge)

	resp = restytest.Post(h, "/", "text/plain", "1234")
	restytest.AssertBody(t, resp, "1234")
	assert.NoError(t, readErr)

	req := restytest.NewRequest("POST", "/", strings.NewReader("123456789"))
	req.ContentLength = -1 // chunked: only reading finds out
	resp = restytest.Do(h, req)
	assert.ErrorIs(t, readErr, ngx.ErrBodyTooLarge)
}

func TestPhaseForbidsOutput(t *testing.T) {
	var err error
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{
		resty.Content(func(r *ngx.Request) error { return r.Say("ok") }),
		resty.Log(func(r *ngx.Request) error { err = r.Say("late"); return nil }),
	}}}})
	restytest.AssertBody(t, restytest.Get(h, "/"), "ok\n")
	assert.EqualError(t, err, "API disabled in the context of log")
}

// nginx refuses TRACE before any phase with its 405 page (oracle case mt_trace); a request no
// location serves still goes to the wrapped application.
func TestTraceRefused(t *testing.T) {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("app " + r.Method)) })
	h := restytest.NewHandler(t, resty.Config{Next: app, Locations: []resty.Location{{Match: "/lua",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.say("served")`)}}}})
	resp := restytest.Do(h, restytest.NewRequest("TRACE", "/lua", nil))
	restytest.AssertStatus(t, resp, http.StatusMethodNotAllowed)
	assert.Contains(t, restytest.Body(resp), "<title>405 Not Allowed</title>")
	restytest.AssertBody(t, restytest.Do(h, restytest.NewRequest("TRACE", "/other", nil)), "app TRACE")
}
