package nginxconf

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/goresty/goresty/ngx"
)

// logFiles are the log files of a configuration, opened once per path and shared by every
// access_log and error_log that names it.
type logFiles struct {
	mu    sync.Mutex
	files map[string]*logFile
}

// logFile is one open log; Write appends whole lines under a lock.
type logFile struct {
	mu   sync.Mutex
	path string
	w    io.Writer
	f    *os.File // nil for stderr and writers given in LoadOptions
}

func newLogFiles() *logFiles { return &logFiles{files: map[string]*logFile{}} }

// open returns the log at path ("stderr" for the standard error), opening it once.
func (lf *logFiles) open(path string) (*logFile, error) {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if f, ok := lf.files[path]; ok {
		return f, nil
	}
	l := &logFile{path: path, w: os.Stderr}
	if path != "stderr" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		l.w, l.f = f, f
	}
	lf.files[path] = l
	return l, nil
}

func (lf *logFiles) close() error {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	var first error
	for _, l := range lf.files {
		l.mu.Lock()
		if l.f != nil {
			if err := l.f.Close(); err != nil && first == nil {
				first = err
			}
			l.f, l.w = nil, io.Discard
		}
		l.mu.Unlock()
	}
	return first
}

func (lf *logFiles) reopen() error {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	for _, l := range lf.files {
		if l.f == nil {
			continue
		}
		f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return err
		}
		l.mu.Lock()
		old := l.f
		l.w, l.f = f, f
		l.mu.Unlock()
		old.Close()
	}
	return nil
}

func (l *logFile) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// errorLogSpec is one error_log directive.
type errorLogSpec struct {
	path  string
	level ngx.Level
	d     *Directive
}

const defaultErrorLevel = ngx.LevelErr

func parseErrorLog(d *Directive) (errorLogSpec, error) {
	s := errorLogSpec{path: d.Args[0], level: defaultErrorLevel, d: d}
	if strings.HasPrefix(s.path, "syslog:") || strings.HasPrefix(s.path, "memory:") {
		return s, d.Errorf("%q in %q directive is not supported yet", s.path, d.Name)
	}
	if len(d.Args) == 2 {
		lv, ok := ngx.ParseLevel(d.Args[1])
		if !ok || lv == ngx.LevelStderr {
			return s, d.Errorf("invalid log level %q", d.Args[1])
		}
		s.level = lv
	}
	return s, nil
}

// errorLog writes nginx's error-log lines: "2006/01/02 15:04:05 [error] 123#0: message,
// client: ..., server: ..., request: "..."". It is a slog.Handler; each line goes to every
// sink whose level lets it through, as nginx writes to every error_log of a level.
type errorLog struct {
	sinks  []logSink
	server string
	attrs  []slog.Attr
}

type logSink struct {
	w     io.Writer
	level ngx.Level
}

// openErrorLog makes the error log of the error_log specs of a level, honouring LoadOptions.
func (ld *loader) openErrorLog(specs ...errorLogSpec) (*errorLog, error) {
	el := &errorLog{}
	if ld.opts.Logger != nil {
		return el, nil // the logger replaces every error_log
	}
	for _, s := range specs {
		if ld.opts.ErrorLog != nil {
			el.sinks = append(el.sinks, logSink{w: ld.opts.ErrorLog, level: s.level})
			continue
		}
		path := "stderr"
		if s.path != "" && s.path != "stderr" && s.path != "/dev/stderr" {
			path = ld.path(s.path)
		}
		f, err := ld.cfg.logs.open(path)
		if err != nil {
			if s.d != nil {
				return nil, s.d.Errorf("open() %q failed (%s)", path, errnoText(err))
			}
			return nil, err
		}
		el.sinks = append(el.sinks, logSink{w: f, level: s.level})
	}
	return el, nil
}

// logger returns the slog.Logger of a server.
func (ld *loader) logger(el *errorLog, serverName string) *slog.Logger {
	if ld.opts.Logger != nil {
		return ld.opts.Logger
	}
	c := *el
	c.server = serverName
	return slog.New(&c)
}

func (e *errorLog) Enabled(_ context.Context, l slog.Level) bool {
	for _, s := range e.sinks {
		if l >= s.level.Slog() {
			return true
		}
	}
	return false
}

func (e *errorLog) WithAttrs(as []slog.Attr) slog.Handler {
	c := *e
	c.attrs = append(append([]slog.Attr(nil), e.attrs...), as...)
	return &c
}

func (e *errorLog) WithGroup(string) slog.Handler { return e }

func (e *errorLog) Handle(_ context.Context, rec slog.Record) error {
	level, client, request, upstream := levelName(rec.Level), "", "", ""
	var extra []string
	each := func(a slog.Attr) bool {
		switch a.Key {
		case "level":
			level = a.Value.String()
		case "client":
			client = a.Value.String()
		case "request":
			request = a.Value.String()
		case "upstream":
			upstream = a.Value.String()
		case "location", "phase":
		default:
			extra = append(extra, a.Key+": "+a.Value.String())
		}
		return true
	}
	for _, a := range e.attrs {
		each(a)
	}
	rec.Attrs(each)
	b := make([]byte, 0, 160+len(rec.Message))
	b = rec.Time.AppendFormat(b, "2006/01/02 15:04:05")
	b = append(b, " ["...)
	b = append(b, level...)
	b = append(b, "] "...)
	b = strconv.AppendInt(b, int64(os.Getpid()), 10)
	b = append(b, "#0: "...)
	b = append(b, rec.Message...)
	for _, x := range extra {
		b = append(b, ", "...)
		b = append(b, x...)
	}
	if client != "" {
		b = append(b, ", client: "...)
		b = append(b, client...)
		b = append(b, ", server: "...)
		b = append(b, e.server...)
		b = append(b, ", request: \""...)
		b = append(b, request...)
		b = append(b, '"')
	}
	if upstream != "" {
		b = append(b, ", upstream: \""...)
		b = append(b, upstream...)
		b = append(b, '"')
	}
	b = append(b, '\n')
	var first error
	for _, s := range e.sinks {
		if rec.Level >= s.level.Slog() {
			if _, err := s.w.Write(b); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// levelName names a slog level that carries no nginx level attribute.
func levelName(l slog.Level) string {
	for lv := ngx.LevelEmerg; lv <= ngx.LevelDebug; lv++ {
		if lv.Slog() == l {
			return lv.String()
		}
	}
	switch {
	case l >= slog.LevelError:
		return "error"
	case l >= slog.LevelWarn:
		return "warn"
	case l >= slog.LevelInfo:
		return "info"
	}
	return "debug"
}

// logFormat is a log_format: text with variables, escaped as nginx escapes them.
type logFormat struct {
	parts  []Part
	escape string // default, json, none
}

const combined = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`

func combinedFormat() *logFormat {
	parts, _ := SplitVars(combined)
	return &logFormat{parts: parts, escape: "default"}
}

// logFormat reads log_format name [escape=default|json|none] string ...
func (ld *loader) logFormat(d *Directive) error {
	name, args := d.Args[0], d.Args[1:]
	if _, dup := ld.formats[name]; dup {
		return d.Errorf("duplicate \"log_format\" name %q", name)
	}
	f := &logFormat{escape: "default"}
	if e, ok := strings.CutPrefix(args[0], "escape="); ok {
		switch e {
		case "default", "json", "none":
			f.escape = e
		default:
			return d.Errorf("unknown log format escaping %q", e)
		}
		args = args[1:]
		if len(args) == 0 {
			return d.Errorf("invalid number of arguments in %q directive", d.Name)
		}
	}
	parts, err := SplitVars(strings.Join(args, ""))
	if err != nil {
		return d.Errorf("invalid variable name in %q", strings.Join(args, ""))
	}
	for _, p := range parts {
		if p.Var != "" && !ld.knownVar(p.Var) {
			return d.Errorf("unknown %q variable", p.Var)
		}
	}
	f.parts = parts
	ld.formats[name] = f
	return nil
}

// accessLog is one access_log directive.
type accessLog struct {
	file   *logFile
	format *logFormat
	cond   *tmpl // if=: no line when it expands to "" or "0"
}

// accessLogDirective reads access_log path [format [buffer=size] [flush=time] [gzip] [if=cond]]
// or access_log off.
func (ld *loader) accessLogDirective(d *Directive, sc *varScope) (*accessLog, error) {
	if d.Args[0] == "off" {
		if len(d.Args) > 1 {
			return nil, d.Errorf("invalid parameter %q", d.Args[1])
		}
		return nil, nil
	}
	if strings.HasPrefix(d.Args[0], "syslog:") || strings.Contains(d.Args[0], "$") {
		return nil, d.Errorf("%q in %q directive is not supported yet", d.Args[0], d.Name)
	}
	al := &accessLog{format: ld.formats["combined"]}
	if len(d.Args) > 1 {
		f, ok := ld.formats[d.Args[1]]
		if !ok {
			return nil, d.Errorf("unknown log format %q", d.Args[1])
		}
		al.format = f
	}
	for _, p := range d.Args[min(2, len(d.Args)):] {
		switch {
		case strings.HasPrefix(p, "if="):
			t, err := ld.compile(d, p[3:], sc)
			if err != nil {
				return nil, err
			}
			al.cond = t
		case strings.HasPrefix(p, "buffer="), strings.HasPrefix(p, "flush="), strings.HasPrefix(p, "gzip"):
		default:
			return nil, d.Errorf("invalid parameter %q", p)
		}
	}
	path := ld.path(d.Args[0])
	if d.Args[0] == "/dev/stderr" {
		path = "stderr"
	}
	f, err := ld.cfg.logs.open(path)
	if err != nil {
		return nil, d.Errorf("open() %q failed (%s)", path, errnoText(err))
	}
	al.file = f
	return al, nil
}

// write appends r's line to the log.
func (al *accessLog) write(r *ngx.Request, sc *varScope, buf []byte) []byte {
	if al.cond != nil {
		if v := al.cond.expand(r); v == "" || v == "0" {
			return buf
		}
	}
	b := buf[:0]
	for _, p := range al.format.parts {
		if p.Var == "" {
			b = append(b, p.Literal...)
			continue
		}
		v, found := sc.lookup(r, p.Var)
		b = appendEscaped(b, v, found, al.format.escape)
	}
	b = append(b, '\n')
	_, _ = al.file.Write(b)
	return b
}

// appendEscaped appends a variable's value to a log line: "-" for a variable without value
// (not with escape=json), '"', '\' and bytes outside printable ASCII as \xHH by default, JSON
// string escapes with escape=json.
func appendEscaped(b []byte, v string, found bool, mode string) []byte {
	if !found && mode != "json" {
		return append(b, '-')
	}
	switch mode {
	case "none":
		return append(b, v...)
	case "json":
		for i := 0; i < len(v); i++ {
			c := v[i]
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c < 0x20:
				b = append(b, fmt.Sprintf(`\u%04x`, c)...)
			default:
				b = append(b, c)
			}
		}
		return b
	}
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '"' || c == '\\' || c < 0x20 || c >= 0x7f {
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
			continue
		}
		b = append(b, c)
	}
	return b
}

// accessLogHook writes the lines of a location's access logs after its log_by_lua hooks.
func accessLogHook(logs []*accessLog, sc *varScope) func(r *ngx.Request) error {
	pool := sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}
	return func(r *ngx.Request) error {
		bp := pool.Get().(*[]byte)
		for _, al := range logs {
			*bp = al.write(r, sc, *bp)
		}
		pool.Put(bp)
		return nil
	}
}
