package oracletest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/nginxconf"
)

// Goresty is one resty.Handler serving the locations of many cases, on a loopback port.
type Goresty struct {
	srv      *httptest.Server
	log      *logRecorder
	inflight atomic.Int64
}

// StartGoresty builds one Handler from every case's locations and serves it until t ends.
// Server tokens are "nginx", as nginx's with server_tokens off, so error pages compare equal.
func StartGoresty(t testing.TB, cases []*Case, setup Setup) *Goresty {
	t.Helper()
	rec := &logRecorder{}
	cfg := resty.Config{Logger: slog.New(rec), ServerTokens: "nginx",
		Lua: resty.LuaConfig{PackagePath: setup.packagePath()}}
	for _, c := range cases {
		locs, err := Locations(c.Config)
		if err != nil {
			t.Fatalf("case %s: %v", c, err)
		}
		cfg.Locations = append(cfg.Locations, locs...)
	}
	h, err := resty.New(cfg)
	if err != nil {
		t.Fatalf("resty.New: %v", err)
	}
	g := &Goresty{log: rec}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		g.inflight.Add(1)
		defer g.inflight.Add(-1)
		h.ServeHTTP(w, req)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

// Run sends c's request to goresty and returns what the client saw, with the log lines the
// request caused.
func (g *Goresty) Run(c *Case) (*Result, error) {
	g.log.take()
	r, err := do(strings.TrimPrefix(g.srv.URL, "http://"), c)
	if err != nil {
		return nil, err
	}
	if c.AbortAfter != "" {
		time.Sleep(abortSettle)
	}
	// The log phase runs after the response went out: wait until the handler returned.
	deadline := time.Now().Add(requestTimeout)
	for g.inflight.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	for _, e := range g.log.take() {
		if e.level <= c.LogLevel {
			r.Log = append(r.Log, undoGaps(e.String()))
		}
	}
	return r, nil
}

// pipelineGaps are differences in goresty's log lines that belong to the pipeline (package
// resty), not to what a case checks. The comparison undoes them so that cases which show one in
// passing still compare everything else; the case named in each gap shows it alone and is
// skipped with "needs pipeline: ...". Remove a gap once the pipeline is fixed.
var pipelineGaps = []struct {
	re          *regexp.Regexp
	repl, cases string
}{
	// nginx logs a failed Lua hook as "lua entry thread aborted: ..."; resty prefixes it.
	{regexp.MustCompile(`\] failed to run [a-z_]+ hook: `), "] ", "err_hook_prefix"},
}

func undoGaps(line string) string {
	for _, g := range pipelineGaps {
		line = g.re.ReplaceAllString(line, g.repl)
	}
	return line
}

// Locations maps the location blocks of a case's config onto resty.Locations, as the nginx.conf
// loader will: every *_by_lua_block becomes a Lua hook named as OpenResty names the chunk,
// "content_by_lua(nginx.conf:N)" with N the line of its "{".
func Locations(config string) ([]resty.Location, error) {
	ds, err := nginxconf.Parse(strings.NewReader(config), "nginx.conf")
	if err != nil {
		return nil, err
	}
	var out []resty.Location
	for _, d := range ds {
		if d.Name != "location" || !d.HasBlock {
			return nil, d.Errorf("only location blocks are supported here, not %q", d.Name)
		}
		loc := resty.Location{Match: strings.Join(d.Args, " ")}
		for _, sub := range d.Block {
			if sameInGoresty[sub.Name] {
				continue
			}
			hk, err := luaHook(sub)
			if err != nil {
				return nil, err
			}
			loc.Hooks = append(loc.Hooks, hk)
		}
		out = append(out, loc)
	}
	return out, nil
}

// sameInGoresty are directives a case may use for nginx that need nothing in goresty.
var sameInGoresty = map[string]bool{
	// goresty's ngx.sleep always ends when the client goes away.
	"lua_check_client_abort": true,
}

func luaHook(d *nginxconf.Directive) (resty.Hook, error) {
	name, ok := strings.CutSuffix(d.Name, "_by_lua_block")
	if !ok || d.Lua == nil {
		return resty.Hook{}, d.Errorf("directive %q is not supported here", d.Name)
	}
	phase, ok := ngx.ParsePhase(name)
	if !ok || phase == ngx.PhaseInit || phase == ngx.PhaseInitWorker || phase == ngx.PhaseTimer {
		return resty.Hook{}, d.Errorf("directive %q is not supported in a location", d.Name)
	}
	hk := resty.Hook{Phase: phase, Lua: d.Lua.Source,
		Name: "=" + name + "_by_lua(nginx.conf:" + strconv.Itoa(d.Lua.Line) + ")"}
	if phase == ngx.PhaseSet {
		if len(d.Args) < 1 {
			return resty.Hook{}, d.Errorf("set_by_lua_block needs a variable")
		}
		hk.Var, hk.Args = d.Args[0], d.Args[1:]
	}
	return hk, nil
}

// logRecorder is a slog.Handler that keeps records for the case being run.
type logRecorder struct {
	mu      sync.Mutex
	entries []logEntry
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	e := logEntry{level: levelOf(r), msg: r.Message}
	if i := strings.IndexByte(e.msg, '\n'); i >= 0 {
		e.msg = e.msg[:i]
	}
	h.mu.Lock()
	h.entries = append(h.entries, e)
	h.mu.Unlock()
	return nil
}

// levelOf reads the nginx level a record carries in its "level" attribute.
func levelOf(r slog.Record) ngx.Level {
	lv := ngx.LevelErr
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "level" {
			if l, ok := ngx.ParseLevel(a.Value.String()); ok {
				lv = l
			}
			return false
		}
		return true
	})
	return lv
}

func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *logRecorder) WithGroup(string) slog.Handler      { return h }

func (h *logRecorder) take() []logEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := h.entries
	h.entries = nil
	return e
}
