package ngxlua_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// luaCase is one request through Lua hooks, with what OpenResty answers (as recorded from
// nginx by the differential cases of internal/oracletest).
type luaCase struct {
	name string
	// content is the content_by_lua source; hooks, when set, are used instead.
	content string
	hooks   []resty.Hook
	// method, target, header, body describe the request (GET /t by default).
	method, target string
	header         http.Header
	body           string
	// status and body are what the client gets; header lists headers that must be present.
	wantStatus int
	wantBody   string
	wantHeader map[string]string
	// wantLog lists substrings of error-log lines the request must write, in order.
	wantLog []string
	// skip, when set, says why goresty cannot pass the case yet ("needs pipeline: ...").
	skip string
}

// logBuffer collects log lines as "[level] message" (first line of each message).
type logBuffer struct {
	mu    sync.Mutex
	lines []string
	full  []string // whole messages
}

func (b *logBuffer) Enabled(context.Context, slog.Level) bool { return true }
func (b *logBuffer) WithAttrs([]slog.Attr) slog.Handler       { return b }
func (b *logBuffer) WithGroup(string) slog.Handler            { return b }

func (b *logBuffer) Handle(_ context.Context, r slog.Record) error {
	level := "?"
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "level" {
			level = a.Value.String()
			return false
		}
		return true
	})
	msg, _, _ := strings.Cut(r.Message, "\n")
	b.mu.Lock()
	b.lines = append(b.lines, "["+level+"] "+msg)
	b.full = append(b.full, r.Message)
	b.mu.Unlock()
	return nil
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

// content returns a content_by_lua hook named as the nginx.conf loader names it.
func content(src string) resty.Hook {
	return resty.Hook{Phase: ngx.PhaseContent, Lua: src, Name: "=content_by_lua(nginx.conf:2)"}
}

// lua returns a Lua hook of phase, named as OpenResty names it.
func lua(phase ngx.Phase, src string) resty.Hook {
	return resty.Hook{Phase: phase, Lua: src, Name: "=" + phase.String() + "_by_lua(nginx.conf:3)"}
}

// newHandler builds a Handler whose location "/t" has hooks.
func newHandler(t *testing.T, logs *logBuffer, hooks ...resty.Hook) *resty.Handler {
	return restytest.NewHandler(t, resty.Config{Logger: slog.New(logs), ServerTokens: "nginx",
		Locations: []resty.Location{{Match: "/t", Hooks: hooks}}})
}

// serve runs c through a Handler whose location "/t" has c's hooks; other locations may be
// given for internal redirects.
func serve(t *testing.T, c luaCase, extra ...resty.Location) (*http.Response, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	hooks := c.hooks
	if hooks == nil {
		hooks = []resty.Hook{content(c.content)}
	}
	h := restytest.NewHandler(t, resty.Config{
		Logger:       slog.New(logs),
		ServerTokens: "nginx",
		Locations:    append([]resty.Location{{Match: "/t", Hooks: hooks}}, extra...),
	})
	method, target := c.method, c.target
	if method == "" {
		method = http.MethodGet
	}
	if target == "" {
		target = "/t"
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req := restytest.NewRequest(method, target, body)
	req.Host = "localhost"
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	return restytest.Do(h, req), logs
}

// run serves every case as a subtest and checks status, body, headers and log lines.
func run(t *testing.T, cases []luaCase, extra ...resty.Location) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.skip != "" {
				t.Skip(c.skip)
			}
			resp, logs := serve(t, c, extra...)
			status := c.wantStatus
			if status == 0 {
				status = http.StatusOK
			}
			if status > 0 {
				restytest.AssertStatus(t, resp, status)
			} else {
				assert.Equal(t, 0, resp.StatusCode, "connection should be dropped")
			}
			restytest.AssertBody(t, resp, c.wantBody)
			for k, v := range c.wantHeader {
				restytest.AssertHeader(t, resp, k, v)
			}
			assertLog(t, logs, c.wantLog)
		})
	}
}

// assertLog checks that the log holds lines containing want, in order.
func assertLog(t *testing.T, logs *logBuffer, want []string) {
	t.Helper()
	text := logs.String()
	pos := 0
	for _, w := range want {
		i := strings.Index(text[pos:], w)
		if !assert.GreaterOrEqual(t, i, 0, "log should contain %q after offset %d:\n%s", w, pos, text) {
			return
		}
		pos += i + len(w)
	}
}

// header builds an http.Header from "Name: value" lines.
func header(lines ...string) http.Header {
	h := http.Header{}
	for _, l := range lines {
		k, v, _ := strings.Cut(l, ": ")
		h[k] = append(h[k], v)
	}
	return h
}
