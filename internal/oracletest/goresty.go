package oracletest

import (
	"context"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty/nginxconf"
)

// Goresty is one goresty server serving the locations of many cases, on a loopback port.
type Goresty struct {
	srv      *httptest.Server
	log      *logRecorder
	inflight atomic.Int64
	// start is the line of the loaded nginx.conf where each case's config begins.
	start map[string]int
}

// StartGoresty loads every case's locations with nginxconf.LoadSnippet, laid out as one server
// as StartNginx lays them out, and serves them until t ends.
func StartGoresty(t testing.TB, cases []*Case, setup Setup) *Goresty {
	t.Helper()
	rec := &logRecorder{}
	server, start := serverBody(cases, sameInGoresty)
	http := setup.httpBody(cases)
	prefix := t.TempDir() // the snippet's error_log is checked: logs/ must exist
	if err := os.Mkdir(filepath.Join(prefix, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The server listens before it is loaded: upstream blocks name its port as @PORT@.
	var h nethttp.Handler
	g := &Goresty{log: rec, start: map[string]int{}}
	g.srv = httptest.NewUnstartedServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, req *nethttp.Request) {
		g.inflight.Add(1)
		defer g.inflight.Add(-1)
		h.ServeHTTP(w, req)
	}))
	server, http = withPort(server, g.srv.Listener.Addr().String()), withPort(http, g.srv.Listener.Addr().String())
	server, http = setup.withRedis(server), setup.withRedis(http)
	h, err := nginxconf.LoadSnippet(server, http, nginxconf.LoadOptions{
		Prefix: prefix, Logger: slog.New(rec), ServerTokens: "nginx/" + goresty})
	if err != nil {
		g.srv.Close()
		t.Fatalf("loading the cases into goresty: %v", err)
	}
	if c, ok := h.(interface{ Close() }); ok {
		t.Cleanup(c.Close)
	}
	// LoadSnippet lays the snippet out as the oracle script does: the server body starts
	// after the http body, at line 17 when that is one line.
	first := 16 + max(1, strings.Count(strings.TrimRight(http, "\n"), "\n")+1)
	for name, line := range start {
		g.start[name] = first + line - 1
	}
	g.srv.Start()
	t.Cleanup(g.srv.Close)
	return g
}

// goresty names the server in error pages; with server_tokens off only "nginx" is shown.
const goresty = "goresty"

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
			r.Log = append(r.Log, hidePort(hidePointers(relativeLines(e.String(), g.start[c.Name]))))
		}
	}
	r.Body = relativeLines(r.Body, g.start[c.Name])
	return r, nil
}

// sameInGoresty are directives a case may give nginx that goresty's loader refuses and needs
// not: each is turned into a comment (keeping the line numbers) for goresty.
var sameInGoresty = map[string]string{
	// goresty's ngx.sleep always ends when the client goes away.
	"lua_check_client_abort": "goresty's ngx.sleep always ends when the client goes away",
}

// logRecorder is a slog.Handler that keeps records for the case being run.
type logRecorder struct {
	mu      sync.Mutex
	entries []logEntry
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	// nginx's context (" while connecting to upstream") is left out on both sides.
	e := logEntry{level: levelOf(r), msg: whileSuffix.ReplaceAllString(r.Message, "")}
	h.mu.Lock()
	h.entries = append(h.entries, e)
	h.mu.Unlock()
	return nil
}

// whileSuffix is the context goresty words at the end of a message as nginx does.
var whileSuffix = regexp.MustCompile(`,? while [a-z ]+$`)

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
