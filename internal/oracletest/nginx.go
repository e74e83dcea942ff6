package oracletest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/goresty/goresty/ngx"
)

// Nginx is one nginx serving the locations of many cases on a loopback port.
type Nginx struct {
	addr    string
	logPath string
	// start is the line of nginx.conf where each case's config begins.
	start map[string]int
}

// StartNginx starts nginx (one process: master_process off, daemon off, so it works as root and
// as any user) with every case's locations in one server, and stops it when t ends. It skips t
// when nginx is not installed.
func StartNginx(t testing.TB, cases []*Case, setup Setup) *Nginx {
	t.Helper()
	dir := t.TempDir()
	addr := servertest.FreeAddr(t)
	conf, start := nginxConf(dir, addr, cases, setup)
	n := &Nginx{addr: addr, logPath: filepath.Join(dir, "logs", "error.log"), start: start}
	servertest.StartNginx(t, dir, conf, n.fence)
	return n
}

// nginxConf returns nginx.conf for cases, laid out as the oracle script and
// nginxconf.LoadSnippet lay it out, and where each case's config starts in it.
func nginxConf(dir, addr string, cases []*Case, setup Setup) (string, map[string]int) {
	var b strings.Builder
	fmt.Fprintf(&b, servertest.LoadModules+`worker_processes 1;
daemon off;
master_process off;
error_log %s/logs/error.log debug;
pid %[1]s/logs/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    default_type text/plain;
%s
    server {
        listen %s;
        server_name localhost;
        location = /__ready { return 204; }
`, dir, setup.httpBody(cases)+tempPaths(dir), addr)
	first := strings.Count(b.String(), "\n") + 1
	server, start := serverBody(cases, nil)
	for name, line := range start {
		start[name] = first + line - 1
	}
	b.WriteString(server + "\n    }\n}\n")
	return setup.withRedis(withPort(b.String(), addr)), start
}

// withPort puts the port of the server at addr where a case's config says @PORT@ (upstream
// blocks cannot use $server_port).
func withPort(conf, addr string) string {
	_, port, _ := strings.Cut(addr, ":")
	return strings.ReplaceAll(conf, "@PORT@", port)
}

// tempPaths keeps nginx's temporary files under dir, so that it runs as any user; they go on
// the line of the http body, which must stay one line.
func tempPaths(dir string) string {
	var b strings.Builder
	for _, p := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&b, " %s_temp_path %s/tmp/%s;", p, dir, p)
	}
	return b.String()
}

// serverBody joins the cases' configs, with where each starts (line 1 is the body's first),
// turning the directives in comment into comments.
func serverBody(cases []*Case, comment map[string]string) (string, map[string]int) {
	var b strings.Builder
	start := map[string]int{}
	line := 1
	for _, c := range cases {
		b.WriteString("# case " + c.Name + "\n")
		line++
		start[c.Name] = line
		cfg := c.Config
		for name, why := range comment {
			cfg = commentOut(cfg, name, why)
		}
		b.WriteString(cfg + "\n")
		line += strings.Count(cfg, "\n") + 1
	}
	return strings.TrimRight(b.String(), "\n"), start
}

// commentOut turns every "name ...;" line of cfg into a comment saying why.
func commentOut(cfg, name, why string) string {
	lines := strings.Split(cfg, "\n")
	for i, l := range lines {
		if f := strings.Fields(l); len(f) > 0 && f[0] == name {
			lines[i] = "# " + strings.TrimSpace(l) + " " + why
		}
	}
	return strings.Join(lines, "\n")
}

// fence makes a request nginx answers after it has finished with every earlier one: the one
// worker handles events in order, so the error-log lines of earlier requests are written.
func (n *Nginx) fence() error {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + n.addr + "/__ready")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("fence: status %d", resp.StatusCode)
	}
	return nil
}

// Run sends c's request to nginx and returns what the client saw, with the error-log lines the
// request caused.
func (n *Nginx) Run(c *Case) (*Result, error) {
	before, err := fileSize(n.logPath)
	if err != nil {
		return nil, err
	}
	r, err := do(n.addr, c)
	if err != nil {
		return nil, err
	}
	if c.AbortAfter != "" {
		time.Sleep(abortSettle)
	}
	if err := n.fence(); err != nil {
		return nil, err
	}
	log, err := readFrom(n.logPath, before)
	if err != nil {
		return nil, err
	}
	rel := func(s string) string { return coreFile.ReplaceAllString(relativeLines(s, n.start[c.Name]), "") }
	r.Body = rel(r.Body)
	for i, h := range r.Header {
		r.Header[i] = rel(h)
	}
	for _, e := range parseNginxLog(log) {
		if e.level <= c.LogLevel {
			r.Log = append(r.Log, hidePort(hidePointers(rel(e.String()))))
		}
	}
	return r, nil
}

// abortSettle is how long a case whose client went away is given to finish on the server.
const abortSettle = 300 * time.Millisecond

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func readFrom(path string, off int64) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if off > int64(len(b)) {
		off = 0
	}
	return string(b[off:]), nil
}

var (
	confLine = regexp.MustCompile(`nginx\.conf:(\d+)`)
	// coreFile is the position lua-resty-core's own code (resty/core/*.lua, ngx/*.lua) gives its
	// errors: a file of goresty's binding has no such position.
	coreFile = regexp.MustCompile(`(?:/[\w.-]+)*/(?:resty/core/[\w/]+|ngx/\w+)\.lua:\d+: `)
)

// relativeLines rewrites "nginx.conf:N" so that N counts from start, the first line of a case.
func relativeLines(s string, start int) string {
	return confLine.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(m[len("nginx.conf:"):])
		return "nginx.conf:" + strconv.Itoa(n-start+1)
	})
}

// logEntry is one error-log message.
type logEntry struct {
	level ngx.Level
	msg   string
}

// String returns the essential part: "[level] first line".
func (e logEntry) String() string { return "[" + e.level.String() + "] " + e.msg }

var (
	logHead   = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[([a-z]*)\] \d+#\d+: (?:\*\d+ )?(.*)$`)
	logSuffix = regexp.MustCompile(`(?s)(?:,? while [a-z ]+)?(?:, context: [a-z_.]+)?, client: [^\n]*$`)
	// Lines of how nginx runs, not of what the case does; and Debian's nginx lacks OpenResty's
	// delayed-events patch, so it warns at each ngx.sleep(0) where OpenResty does not.
	noiseLines = regexp.MustCompile(`^(?:using the "epoll"|start worker|\[lua\] .*lua_code_cache|.*keepalive|.*lingering|.*closed keepalive|ngx\.sleep\(0\) called without delayed events patch)`)
)

// parseNginxLog splits error-log text into entries, each message with its continuation lines
// (a traceback) and without nginx's context suffix.
func parseNginxLog(text string) []logEntry {
	var out []logEntry
	var head []string // the level and message of the entry being read
	var more []string // its continuation lines (a traceback)
	flush := func() {
		if head == nil {
			return
		}
		lv, ok := ngx.ParseLevel(head[1])
		if head[1] == "" { // nginx writes ngx.STDERR's level as "[]"
			lv, ok = ngx.LevelStderr, true
		}
		msg := logSuffix.ReplaceAllString(strings.Join(append([]string{head[2]}, more...), "\n"), "")
		head, more = nil, nil
		// Debian builds nginx --with-debug: of the debug level, only ngx.log's lines count.
		if !ok || lv == ngx.LevelDebug && !strings.HasPrefix(msg, "[lua] ") || noiseLines.MatchString(msg) {
			return
		}
		out = append(out, logEntry{level: lv, msg: msg})
	}
	for _, line := range strings.Split(text, "\n") {
		if m := logHead.FindStringSubmatch(line); m != nil {
			flush()
			head = m
		} else if head != nil && line != "" {
			more = append(more, line)
		}
	}
	flush()
	return out
}
