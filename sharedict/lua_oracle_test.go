package sharedict_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The differential cases of the Lua binding: testdata/lua.cases holds Lua code that runs in
// the phases of one location, with its own shared dicts, on real nginx + lua-nginx-module
// (TestLuaOracleLive, which records testdata/lua.golden with -update) and through resty
// (TestLuaGoldens, which replays the recording and always runs). The harness of
// internal/oracletest cannot declare lua_shared_dict (its http block is fixed), hence this one.
//
// A case:
//
//	=== name: what it checks
//	--- dicts
//	dogs 1m
//	--- init
//	dogs:set("from_init", 1)
//	--- content
//	ngx.say(dogs:get("from_init"))
//	--- requests: 2
//
// Each dict NAME of a case is the zone "<case>__NAME", bound to the local NAME on the first line
// of every Lua block of the case, with show(...) (ngx.say of its arguments, nils included), so
// the case's own lines start at line 2. Phase sections are
// set (assigning $shd_<case>, which the content section can read), rewrite, access, content,
// header_filter, body_filter and log; init code of all cases runs in one init_by_lua_block.
// Each request is GET /<case>; what is compared is the status, the X- headers, the body and
// the error-log lines at warn level and above, with nginx.conf line numbers left out.

const (
	casesFile  = "testdata/lua.cases"
	goldenFile = "testdata/lua.golden"
)

// luaPhases are the phase sections of a case, in the order nginx runs them.
var luaPhases = []string{"set", "rewrite", "access", "content", "header_filter", "body_filter", "log"}

type luaCase struct {
	Name, Title string
	Line        int
	Dicts       [][2]string // name, size
	Init        string
	Phases      map[string]string
	Requests    int
}

// zone is the lua_shared_dict name of the case's dict.
func (c *luaCase) zone(dict string) string { return c.Name + "__" + dict }

// prelude binds the case's dicts to locals and defines show(...), which says its arguments
// (nils included) separated by spaces, all on one line.
func (c *luaCase) prelude() string {
	var b strings.Builder
	b.WriteString(`local function show(...) local t = {} for i = 1, select("#", ...) do ` +
		`t[i] = tostring((select(i, ...))) end ngx.say(table.concat(t, " ")) end `)
	for _, d := range c.Dicts {
		fmt.Fprintf(&b, "local %s = ngx.shared[%q] ", d[0], c.zone(d[0]))
	}
	return b.String()
}

// block is the source of a Lua block of the case: the prelude on line 1, then the code.
func (c *luaCase) block(code string) string { return c.prelude() + "\n" + code + "\n" }

func parseLuaCases(t *testing.T, path string) []*luaCase {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	p := caseParser{t: t, path: path, seen: map[string]bool{}}
	for i, l := range strings.Split(string(b), "\n") {
		p.feed(i+1, l)
	}
	p.endSection()
	for _, c := range p.cases {
		require.NotEmpty(t, c.Phases, "case %s has no phase", c.Name)
	}
	return p.cases
}

type caseParser struct {
	t       *testing.T
	path    string
	cases   []*luaCase
	cur     *luaCase
	section string
	text    []string
	seen    map[string]bool
}

func (p *caseParser) feed(line int, l string) {
	t := p.t
	switch {
	case strings.HasPrefix(l, "=== "):
		p.endSection()
		name, title, _ := strings.Cut(strings.TrimPrefix(l, "=== "), ":")
		name = strings.TrimSpace(name)
		require.Regexp(t, `^\w+$`, name, "%s:%d", p.path, line)
		require.False(t, p.seen[name], "%s:%d: case %s defined twice", p.path, line, name)
		p.seen[name] = true
		p.cur = &luaCase{Name: name, Title: strings.TrimSpace(title), Line: line,
			Phases: map[string]string{}, Requests: 1}
		p.cases = append(p.cases, p.cur)
	case strings.HasPrefix(l, "--- "):
		p.endSection()
		key, value, inline := strings.Cut(strings.TrimPrefix(l, "--- "), ":")
		p.section = strings.TrimSpace(key)
		if inline {
			p.text = []string{value}
			p.endSection()
		}
	case p.section != "":
		p.text = append(p.text, l)
	default:
		require.True(t, strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#"),
			"%s:%d: text outside a section", p.path, line)
	}
}

// endSection stores the section just read in the current case.
func (p *caseParser) endSection() {
	c, t := p.cur, p.t
	if c == nil || p.section == "" {
		return
	}
	body := strings.TrimRight(strings.Join(p.text, "\n"), "\n")
	switch p.section {
	case "dicts":
		for _, l := range strings.Split(body, "\n") {
			fs := strings.Fields(l)
			require.Len(t, fs, 2, "case %s: dict line %q", c.Name, l)
			c.Dicts = append(c.Dicts, [2]string{fs[0], fs[1]})
		}
	case "init":
		c.Init = body
	case "requests":
		n, err := strconv.Atoi(strings.TrimSpace(body))
		require.NoError(t, err, "case %s: requests", c.Name)
		c.Requests = n
	default:
		require.Contains(t, luaPhases, p.section, "case %s: unknown section", c.Name)
		c.Phases[p.section] = body
	}
	p.section, p.text = "", nil
}

// luaResult is what a client and the error log saw of one request.
type luaResult struct {
	Status  int      `json:"status"`
	Headers []string `json:"headers,omitempty"`
	Body    string   `json:"body"`
	Log     []string `json:"log,omitempty"`
}

// luaRecording is the golden file: each case's results, in case order.
type luaRecording struct {
	Case    string      `json:"case"`
	Results []luaResult `json:"results"`
}

func readGoldens(t *testing.T) map[string][]luaResult {
	t.Helper()
	b, err := os.ReadFile(goldenFile)
	require.NoError(t, err)
	var recs []luaRecording
	require.NoError(t, json.Unmarshal(b, &recs))
	out := map[string][]luaResult{}
	for _, r := range recs {
		out[r.Case] = r.Results
	}
	return out
}

func writeGoldens(t *testing.T, cases []*luaCase, got map[string][]luaResult) {
	t.Helper()
	recs := make([]luaRecording, 0, len(cases))
	for _, c := range cases {
		recs = append(recs, luaRecording{Case: c.Name, Results: got[c.Name]})
	}
	b, err := json.MarshalIndent(recs, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(goldenFile, append(b, '\n'), 0o644))
}

var (
	// confLine is the nginx.conf position in chunk names, which differs between the servers.
	confLine = regexp.MustCompile(`nginx\.conf:\d+`)
	// coreFile is the position lua-resty-core's Lua code gives the errors it raises itself (FFI
	// conversions, arithmetic): goresty's binding is Go and has no such file.
	coreFile = regexp.MustCompile(`(?:/[\w.-]+)*/resty/core/[\w/]+\.lua:\d+: `)
)

func normalize(s string) string {
	return coreFile.ReplaceAllString(confLine.ReplaceAllString(s, "nginx.conf:N"), "")
}

// updating reports whether -update was given (the flag belongs to the package's other tests).
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestLuaGoldens replays the recordings of nginx through resty.
func TestLuaGoldens(t *testing.T) {
	cases := parseLuaCases(t, casesFile)
	goldens := readGoldens(t)
	g := startGoresty(t, cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			want, ok := goldens[c.Name]
			require.True(t, ok, "no recording of %s: run go test -run TestLuaOracleLive -update with nginx installed", c.Name)
			assert.Equal(t, want, g.run(t, c), "%s:%d: %s", casesFile, c.Line, c.Title)
		})
	}
}

// TestLuaOracleLive runs the cases on real nginx and checks that the recordings still hold;
// with -update it rewrites them.
func TestLuaOracleLive(t *testing.T) {
	servertest.Nginx(t)
	cases := parseLuaCases(t, casesFile)
	n := startNginx(t, cases)
	goldens := map[string][]luaResult{}
	if !updating() {
		goldens = readGoldens(t)
	}
	got := map[string][]luaResult{}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			got[c.Name] = n.run(t, c)
			if !updating() {
				assert.Equal(t, goldens[c.Name], got[c.Name], "nginx disagrees with %s (go test -update rewrites it)", goldenFile)
			}
		})
	}
	if updating() {
		writeGoldens(t, cases, got)
	}
}
