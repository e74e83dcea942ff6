package oracletest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goresty/goresty/ngx"
)

// Case is one differential case: location blocks and one request to send to them.
type Case struct {
	// Name names the case; its locations live under "/"+Name (or "@"+Name).
	Name string
	// Title is what the case checks, the text after the name on its "===" line.
	Title string
	// File and Line locate the "===" line of the case.
	File string
	Line int
	// Config is what the case adds inside server { }: location blocks only.
	Config string
	// HTTPConfig is what the case adds inside http { } (upstream blocks, proxy_cache_path),
	// its lines joined into one, for the http body is one line; names in it should start
	// with the case's name, as every case shares the http block.
	HTTPConfig string
	// Method, Target are the request line's method and target (path and query).
	Method, Target string
	// Headers are the request headers, "Name: value" each, sent as written after Host.
	Headers []string
	// Body is the request body; HasBody sends it (and a Content-Length) even when empty.
	Body    string
	HasBody bool
	// LogLevel is the least severe error-log level compared (default warn).
	LogLevel ngx.Level
	// Skip, when set, keeps goresty from being compared: why it cannot pass yet ("needs
	// pipeline: ..."). nginx still runs the case, so its golden stays current.
	Skip string
	// AbortAfter, when set, makes the client close the connection that long after sending
	// the request, without reading the response.
	AbortAfter string
}

// Setup is what all cases share.
type Setup struct {
	// LuaDir, when set, is a directory of Lua modules every case may require (LuaDir/?.lua).
	LuaDir string
	// RedisAddr, when set, is a redis-server's address: its port replaces @REDIS_PORT@ in
	// the cases.
	RedisAddr string
}

// withRedis puts the port of s's redis-server where conf says @REDIS_PORT@.
func (s Setup) withRedis(conf string) string {
	if s.RedisAddr == "" {
		return conf
	}
	_, port, _ := strings.Cut(s.RedisAddr, ":")
	return strings.ReplaceAll(conf, "@REDIS_PORT@", port)
}

// httpBody returns what the setup puts inside http { }: one line, server_tokens off (so error
// pages of nginx and goresty both say "nginx"), the package path and the cases' HTTPConfig.
func (s Setup) httpBody(cases []*Case) string {
	var b strings.Builder
	b.WriteString("    server_tokens off; lua_package_path \"" + s.packagePath() + "\";")
	for _, c := range cases {
		if c.HTTPConfig != "" {
			b.WriteString(" " + c.HTTPConfig)
		}
	}
	return b.String()
}

// packagePath returns lua_package_path for the setup.
func (s Setup) packagePath() string {
	if s.LuaDir == "" {
		return ";;"
	}
	dir, err := filepath.Abs(s.LuaDir)
	if err != nil {
		dir = s.LuaDir
	}
	return dir + "/?.lua;;"
}

// String returns the case's name and position.
func (c *Case) String() string { return fmt.Sprintf("%s (%s:%d)", c.Name, c.File, c.Line) }

// LoadCases reads every testdata file matching pattern (a filepath.Glob pattern) and returns
// the cases in file and then source order. It checks that names are unique and that each case
// keeps its locations under its name.
func LoadCases(pattern string) ([]*Case, error) {
	files, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("case pattern %q: %w", pattern, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no case files match %q", pattern)
	}
	sort.Strings(files)
	var all []*Case
	seen := map[string]*Case{}
	for _, f := range files {
		cs, err := ParseCaseFile(f)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if prev := seen[c.Name]; prev != nil {
				return nil, fmt.Errorf("%s:%d: case %q already defined at %s:%d", c.File, c.Line, c.Name, prev.File, prev.Line)
			}
			seen[c.Name] = c
		}
		all = append(all, cs...)
	}
	return all, nil
}

// ParseCaseFile reads the cases of one file.
func ParseCaseFile(path string) ([]*Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p := caseParser{file: path}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		p.line++
		if err := p.feed(sc.Text()); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := p.flush(); err != nil {
		return nil, err
	}
	return p.cases, nil
}

type caseParser struct {
	file    string
	line    int
	cases   []*Case
	cur     *Case
	section string
	text    []string
}

func (p *caseParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.file, p.line, fmt.Sprintf(format, args...))
}

func (p *caseParser) feed(line string) error {
	switch {
	case strings.HasPrefix(line, "=== "):
		if err := p.flush(); err != nil {
			return err
		}
		name, title, _ := strings.Cut(strings.TrimPrefix(line, "=== "), ":")
		p.cur = &Case{Name: strings.TrimSpace(name), Title: strings.TrimSpace(title), File: p.file,
			Line: p.line, Method: "GET", LogLevel: ngx.LevelWarn}
		if !validName(p.cur.Name) {
			return p.errorf("case name %q: use letters, digits and _", p.cur.Name)
		}
		return nil
	case strings.HasPrefix(line, "--- "):
		if p.cur == nil {
			return p.errorf("section before the first === line")
		}
		if err := p.endSection(); err != nil {
			return err
		}
		key, value, inline := strings.Cut(strings.TrimPrefix(line, "--- "), ":")
		p.section = strings.TrimSpace(key)
		if inline {
			p.text = []string{strings.TrimSpace(value)}
			return p.endSection()
		}
		return nil
	case p.section != "":
		p.text = append(p.text, line)
		return nil
	case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		return nil
	}
	return p.errorf("text outside a section: %q", line)
}

// endSection stores the section being read in the current case.
func (p *caseParser) endSection() error {
	if p.section == "" {
		return nil
	}
	// Blank lines between cases belong to no section: a body cannot end with a newline.
	c, text := p.cur, strings.TrimRight(strings.Join(p.text, "\n"), "\n")
	section := p.section
	p.section, p.text = "", nil
	switch section {
	case "config":
		c.Config = text
	case "http_config":
		c.HTTPConfig = strings.Join(p.lines(text), " ")
	case "request":
		fields := strings.Fields(text)
		if len(fields) != 2 {
			return p.errorf("case %s: request must be METHOD TARGET, got %q", c.Name, text)
		}
		c.Method, c.Target = fields[0], fields[1]
	case "request_headers":
		for _, h := range p.lines(text) {
			if !strings.Contains(h, ":") {
				return p.errorf("case %s: header %q has no colon", c.Name, h)
			}
			c.Headers = append(c.Headers, h)
		}
	case "request_body":
		c.Body, c.HasBody = text, true
	case "log_level":
		lv, ok := ngx.ParseLevel(strings.TrimSpace(text))
		if !ok {
			return p.errorf("case %s: unknown log level %q", c.Name, text)
		}
		c.LogLevel = lv
	case "skip":
		c.Skip = strings.TrimSpace(text)
	case "abort_after":
		c.AbortAfter = strings.TrimSpace(text)
	default:
		return p.errorf("case %s: unknown section %q", c.Name, section)
	}
	return nil
}

func (p *caseParser) lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (p *caseParser) flush() error {
	if err := p.endSection(); err != nil {
		return err
	}
	if p.cur == nil {
		return nil
	}
	c := p.cur
	p.cur = nil
	if c.Config == "" || c.Target == "" {
		return fmt.Errorf("%s:%d: case %s needs config and request", c.File, c.Line, c.Name)
	}
	if !strings.HasPrefix(c.Target, "/"+c.Name) {
		return fmt.Errorf("%s:%d: case %s: request target %q is not under /%s", c.File, c.Line, c.Name, c.Target, c.Name)
	}
	p.cases = append(p.cases, c)
	return nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
