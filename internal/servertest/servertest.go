// Package servertest starts the real servers that goresty's tests compare against or run on,
// nginx with lua-nginx-module and redis-server, each on a free loopback port and stopped when the
// test ends. A test whose server is not installed is skipped with the Debian packages to install,
// which .ci/run treats as a failure.
package servertest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Paths of Debian's nginx and lua-nginx-module, and the packages that install them with the Lua
// libraries the oracle cases load (lua-cjson, lua-resty-core, lua-nginx-string).
const (
	NginxBinary = "/usr/sbin/nginx"
	LuaModule   = "/usr/lib/nginx/modules/ngx_http_lua_module.so"
	NDKModule   = "/usr/lib/nginx/modules/ndk_http_module.so"
	NginxHint   = "apt-get install nginx-core libnginx-mod-http-lua lua-cjson lua-resty-core lua-nginx-string"
	RedisHint   = "apt-get install redis-server"
)

// LoadModules is the head of an nginx.conf that uses Lua: it loads lua-nginx-module and the
// NDK it needs.
const LoadModules = "load_module " + NDKModule + ";\nload_module " + LuaModule + ";\n"

// startTimeout bounds how long a server may take to answer (a variable for the tests).
var startTimeout = 10 * time.Second

// luaLibraries are files of the Lua libraries (Debian's lua-resty-core and lua-nginx-string,
// both architecture-independent) that the oracle cases load on nginx.
var luaLibraries = []string{"/usr/share/lua/5.1/resty/core.lua", "/usr/share/lua/5.1/nginx/string.lua"}

// HaveNginx reports whether nginx, lua-nginx-module and the Lua libraries of NginxHint are
// installed.
func HaveNginx() bool {
	for _, p := range append([]string{NginxBinary, LuaModule, NDKModule}, luaLibraries...) {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}

// Nginx returns the nginx binary, skipping t when nginx or lua-nginx-module is missing.
func Nginx(t testing.TB) string {
	t.Helper()
	if !HaveNginx() {
		t.Skip("nginx, lua-nginx-module or their Lua libraries not found: " + NginxHint)
	}
	return NginxBinary
}

// FreeAddr returns a loopback address ("127.0.0.1:port") that was free a moment ago.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().String()
}

// StartNginx writes conf to prefix/conf/nginx.conf (creating prefix's conf, logs and tmp
// directories) and runs nginx on it, logging to prefix/logs/error.log, until t ends. The conf must
// keep nginx in the foreground in one process ("daemon off; master_process off;"), which also
// lets it run as root. StartNginx returns once ready succeeds, and fails t with nginx's output
// and error log if nginx exits or is not ready in 10 s. It skips t when nginx is missing.
func StartNginx(t testing.TB, prefix, conf string, ready func() error) {
	t.Helper()
	bin := Nginx(t)
	for _, d := range []string{"conf", "logs", "tmp"} {
		if err := os.MkdirAll(filepath.Join(prefix, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	confPath := filepath.Join(prefix, "conf", "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(prefix, "logs", "error.log")
	p := start(t, "nginx", exec.Command(bin, "-p", prefix+"/", "-e", logPath, "-c", confPath))
	p.wait(t, ready, func() string {
		log, _ := os.ReadFile(logPath)
		return string(log)
	})
}

// Get returns a readiness check for StartNginx: a GET of url that gets any response.
func Get(url string) func() error {
	c := &http.Client{Timeout: 2 * time.Second}
	return func() error {
		resp, err := c.Get(url)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
}

// StartRedis runs redis-server on a free loopback port, without persistence and with args
// added to its command line, until t ends, and returns its address once it answers PING. It
// skips t when redis-server is missing.
func StartRedis(t testing.TB, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not found: " + RedisHint)
	}
	addr := FreeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	args = append([]string{"--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"}, args...)
	p := start(t, "redis-server", exec.Command(bin, args...))
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	p.wait(t, func() error { return c.Ping(context.Background()).Err() }, nil)
	return addr
}

// process is a server started for a test.
type process struct {
	name   string
	out    *SyncBuffer
	exited chan struct{}
}

// start starts cmd, collecting its output, and kills it when t ends.
func start(t testing.TB, name string, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{name: name, out: &SyncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// wait polls ready until it succeeds, failing t if the server exits or the time is up; log,
// when not nil, adds the server's log to the failure.
func (p *process) wait(t testing.TB, ready func() error, log func() string) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		err := ready()
		if err == nil {
			return
		}
		why := ""
		select {
		case <-p.exited:
			why = "exited"
		default:
			if time.Now().After(deadline) {
				why = fmt.Sprintf("is not ready after %v (%v)", startTimeout, err)
			}
		}
		if why != "" {
			msg := fmt.Sprintf("%s %s: %s", p.name, why, p.out)
			if log != nil {
				msg += "\n" + log()
			}
			t.Fatal(strings.TrimSpace(msg))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// SyncBuffer is a buffer that a server (a process, or a logger) writes while the test reads
// it. The zero value is empty and ready.
type SyncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
