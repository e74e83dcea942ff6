package sharedict_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
	"github.com/goresty/goresty/sharedict"
)

// The two servers the cases run on: real nginx (one process for all cases) and a resty.Handler
// configured as the same nginx.conf would be.

// initSource is the one init_by_lua block of all cases: each case's init code in a do block
// with the case's dicts bound.
func initSource(cases []*luaCase) string {
	var b strings.Builder
	for _, c := range cases {
		if c.Init != "" {
			b.WriteString("do " + c.block(c.Init) + "end\n")
		}
	}
	return b.String()
}

type liveNginx struct {
	addr, logPath string
	client        *http.Client
}

// startNginx starts nginx with every case's dicts and location, and stops it when t ends.
func startNginx(t *testing.T, cases []*luaCase) *liveNginx {
	t.Helper()
	dir, addr := t.TempDir(), servertest.FreeAddr(t)
	n := &liveNginx{addr: addr, logPath: filepath.Join(dir, "logs", "error.log"),
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
	servertest.StartNginx(t, dir, nginxConf(cases, dir, addr), n.fence)
	return n
}

// nginxConf returns the nginx.conf of the cases: one process (master_process off, daemon off,
// so it runs as any user), listening on addr, with its files under dir.
func nginxConf(cases []*luaCase, dir, addr string) string {
	var http strings.Builder
	for _, p := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&http, "    %s_temp_path %s/tmp/%[1]s;\n", p, dir)
	}
	for _, c := range cases {
		for _, d := range c.Dicts {
			fmt.Fprintf(&http, "    lua_shared_dict %s %s;\n", c.zone(d[0]), d[1])
		}
	}
	if src := initSource(cases); src != "" {
		fmt.Fprintf(&http, "    init_by_lua_block {\n%s}\n", src)
	}
	var server strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&server, "        location = /%s {\n", c.Name)
		for _, p := range luaPhases {
			code, ok := c.Phases[p]
			switch {
			case !ok:
			case p == "set":
				fmt.Fprintf(&server, "            set_by_lua_block $shd_%s { %s}\n", c.Name, c.block(code))
			default:
				fmt.Fprintf(&server, "            %s_by_lua_block { %s}\n", p, c.block(code))
			}
		}
		server.WriteString("        }\n")
	}
	return fmt.Sprintf(servertest.LoadModules+`worker_processes 1;
daemon off;
master_process off;
error_log %s/logs/error.log warn;
pid %[1]s/logs/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    default_type text/plain;
    server_tokens off;
%s    server {
        listen %s;
        location = /__ready { return 204; }
%s    }
}
`, dir, http.String(), addr, server.String())
}

// fence makes a request that nginx's one worker answers only after it finished the earlier
// ones, log phase included.
func (n *liveNginx) fence() error {
	resp, err := n.client.Get("http://" + n.addr + "/__ready")
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

func (n *liveNginx) run(t *testing.T, c *luaCase) []luaResult {
	t.Helper()
	var results []luaResult
	for range c.Requests {
		fi, err := os.Stat(n.logPath)
		require.NoError(t, err)
		resp, err := n.client.Get("http://" + n.addr + "/" + c.Name)
		require.NoError(t, err)
		r := result(t, resp)
		require.NoError(t, n.fence())
		b, err := os.ReadFile(n.logPath)
		require.NoError(t, err)
		r.Log = nginxLog(string(b[fi.Size():]))
		results = append(results, r)
	}
	return results
}

// result reads what the client saw.
func result(t *testing.T, resp *http.Response) luaResult {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := luaResult{Status: resp.StatusCode, Body: normalize(string(body))}
	for name, vs := range resp.Header {
		if strings.HasPrefix(name, "X-") {
			for _, v := range vs {
				r.Headers = append(r.Headers, name+": "+v)
			}
		}
	}
	sort.Strings(r.Headers)
	return r
}

var (
	logHead   = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[([a-z]+)\] \d+#\d+: (?:\*\d+ )?(.*)$`)
	logSuffix = regexp.MustCompile(`(?:,? while [a-z ]+)?, client: .*$`)
)

// nginxLog returns the first line of each error-log message, as "[level] message".
func nginxLog(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if m := logHead.FindStringSubmatch(line); m != nil {
			out = append(out, "["+m[1]+"] "+normalize(logSuffix.ReplaceAllString(m[2], "")))
		}
	}
	return out
}

type goresty struct {
	h   *resty.Handler
	log *logRecorder
}

// startGoresty builds one Handler serving every case, with a fresh Dict for each case's dicts.
func startGoresty(t *testing.T, cases []*luaCase) *goresty {
	t.Helper()
	g := &goresty{log: &logRecorder{}}
	// nginx runs with server_tokens off: its error pages say "nginx".
	cfg := resty.Config{Logger: slog.New(g.log), ServerTokens: "nginx", SharedDicts: map[string]sharedict.Store{}}
	for _, c := range cases {
		for _, d := range c.Dicts {
			size, err := sharedict.ParseSize(d[1])
			require.NoError(t, err)
			dict, err := sharedict.New(c.zone(d[0]), size)
			require.NoError(t, err)
			t.Cleanup(dict.Close)
			cfg.SharedDicts[c.zone(d[0])] = dict
		}
		loc := resty.Location{Match: "= /" + c.Name}
		for _, p := range luaPhases {
			code, ok := c.Phases[p]
			if !ok {
				continue
			}
			phase, _ := ngx.ParsePhase(p)
			hk := resty.Hook{Phase: phase, Lua: c.block(code), Name: "=" + p + "_by_lua(nginx.conf:1)"}
			if p == "set" {
				hk.Var = "shd_" + c.Name
			}
			loc.Hooks = append(loc.Hooks, hk)
		}
		cfg.Locations = append(cfg.Locations, loc)
	}
	if src := initSource(cases); src != "" {
		cfg.Hooks = append(cfg.Hooks, resty.Hook{Phase: ngx.PhaseInit, Lua: src, Name: "=init_by_lua(nginx.conf:1)"})
	}
	h, err := resty.New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { h.Close() })
	g.h = h
	return g
}

func (g *goresty) run(t *testing.T, c *luaCase) []luaResult {
	t.Helper()
	var results []luaResult
	for range c.Requests {
		g.log.take()
		r := result(t, restytest.Do(g.h, restytest.NewRequest("GET", "/"+c.Name, nil)))
		for _, line := range g.log.take() {
			r.Log = append(r.Log, normalize(line))
		}
		results = append(results, r)
	}
	return results
}

// logRecorder keeps the first line of each log record at warn level or above.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	level := ngx.LevelErr
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "level" {
			if lv, ok := ngx.ParseLevel(a.Value.String()); ok {
				level = lv
			}
			return false
		}
		return true
	})
	if level > ngx.LevelWarn {
		return nil
	}
	msg, _, _ := strings.Cut(r.Message, "\n")
	h.mu.Lock()
	h.lines = append(h.lines, "["+level.String()+"] "+msg)
	h.mu.Unlock()
	return nil
}

func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *logRecorder) WithGroup(string) slog.Handler      { return h }

func (h *logRecorder) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.lines
	h.lines = nil
	return l
}
