package sharedict

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The scripts in testdata/oracle are lines of dict:method(args) calls with literal arguments (plus
// "dict NAME SIZE" declarations and "sleep SECONDS"). Each runs on real nginx + lua-nginx-module
// through the oracle script, which recorded testdata/oracle/*.golden, and on this package through
// luaCall below: a miniature of the Lua binding that maps Go results to OpenResty's return values.

var (
	oracle = flag.String("oracle", "", "path of the nginx-lua oracle script: compare with live nginx too")
	update = flag.Bool("update", false, "rewrite testdata/oracle/*.golden from the oracle")
)

type script struct {
	dicts []string // "name size"
	lines []string
}

func readScript(t *testing.T, path string) script {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var s script
	for _, l := range strings.Split(string(b), "\n") {
		switch l = strings.TrimSpace(l); {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "dict "):
			s.dicts = append(s.dicts, strings.TrimPrefix(l, "dict "))
		default:
			s.lines = append(s.lines, l)
		}
	}
	return s
}

func TestOracleTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/oracle/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s := readScript(t, f)
			golden := strings.TrimSuffix(f, ".txt") + ".golden"
			if *oracle != "" {
				live := runOracle(t, s)
				if *update {
					require.NoError(t, os.WriteFile(golden, []byte(live), 0o644))
				}
				want, err := os.ReadFile(golden)
				require.NoError(t, err)
				require.Equal(t, string(want), live, "nginx disagrees with the recorded transcript")
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), runGo(t, s))
		})
	}
}

// runOracle runs the script on real nginx and returns its transcript.
func runOracle(t *testing.T, s script) string {
	t.Helper()
	dir := t.TempDir()
	var http, loc strings.Builder
	for _, d := range s.dicts {
		fmt.Fprintf(&http, "lua_shared_dict %s;\n", d)
	}
	loc.WriteString("location = /t { content_by_lua_block {\n" + luaPrelude)
	for _, d := range s.dicts {
		name := strings.Fields(d)[0]
		fmt.Fprintf(&loc, "local %s = ngx.shared.%s\n", name, name)
	}
	for _, l := range s.lines {
		if sec, ok := strings.CutPrefix(l, "sleep "); ok {
			fmt.Fprintf(&loc, "ngx.sleep(%s)\n", sec)
			continue
		}
		m := callRe.FindStringSubmatch(l)
		require.NotNil(t, m, "bad line %q", l)
		call := l
		if strings.HasSuffix(m[2], "_n") {
			call = fmt.Sprintf("%s(%s, %s)", m[2], m[1], m[3])
		}
		fmt.Fprintf(&loc, "run([==[%s]==], pcall(function() return %s end))\n", l, call)
	}
	loc.WriteString("} }\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "http.conf"), []byte(http.String()), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "loc.conf"), []byte(loc.String()), 0o644))
	out, err := exec.Command(*oracle, "-h", filepath.Join(dir, "http.conf"), filepath.Join(dir, "loc.conf"), "/t").CombinedOutput()
	require.NoError(t, err, "%s", out)
	_, resp, ok := strings.Cut(string(out), "\r\n\r\n")
	require.True(t, ok, "%s", out)
	body, log, ok := strings.Cut(resp, "\n--- error log (warn and above)\n")
	require.True(t, ok, "%s", out)
	require.Empty(t, log, "nginx logged errors")
	return body
}

const luaPrelude = `
local rep = string.rep
local function fmt(...)
  local t = {}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if type(v) == "table" then v = "{" .. table.concat(v, ",") .. "}" end
    t[i] = tostring(v)
  end
  return table.concat(t, " ")
end
local function run(label, ok, ...)
  if ok then ngx.say(label, " -> ", fmt(...)) return end
  local msg = tostring((...)):gsub("^.-:%d+: ", "")
  ngx.say(label, " -> error ", msg)
end
local function rpush_n(d, k, n) local a, b for i = 1, n do a, b = d:rpush(k, i) end return a, b end
local function lpop_n(d, k, n) local a, b for i = 1, n do a, b = d:lpop(k) end return a, b end
local function set_n(d, p, n, v)
  local ok, forcible = 0, 0
  for i = 1, n do local a, _, f = d:set(p .. i, v) if a then ok = ok + 1 end if f then forcible = forcible + 1 end end
  return ok, forcible
end
`

var callRe = regexp.MustCompile(`^(\w+):(\w+)\((.*)\)$`)

// runGo runs the script on Dicts and returns the transcript nginx would print.
func runGo(t *testing.T, s script) string {
	t.Helper()
	dicts := map[string]*Dict{}
	for _, decl := range s.dicts {
		f := strings.Fields(decl)
		size, err := ParseSize(f[1])
		require.NoError(t, err)
		d, err := New(f[0], size)
		require.NoError(t, err)
		t.Cleanup(d.Close)
		dicts[f[0]] = d
	}
	now := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
	var out strings.Builder
	for _, l := range s.lines {
		if sec, ok := strings.CutPrefix(l, "sleep "); ok {
			f, err := strconv.ParseFloat(sec, 64)
			require.NoError(t, err)
			now = now.Add(time.Duration(f * float64(time.Second)))
			continue
		}
		m := callRe.FindStringSubmatch(l)
		require.NotNil(t, m, "bad line %q", l)
		d := dicts[m[1]]
		require.NotNil(t, d, "unknown dict in %q", l)
		args, err := parseArgs(m[3])
		require.NoError(t, err, l)
		res, err := luaCall(d, now, m[2], args)
		if err != nil {
			fmt.Fprintf(&out, "%s -> error %s\n", l, err)
			continue
		}
		fmt.Fprintf(&out, "%s -> %s\n", l, luaFormat(res))
	}
	return out.String()
}

func luaFormat(vals []any) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case nil:
			s[i] = "nil"
		case bool:
			s[i] = strconv.FormatBool(v)
		case float64:
			s[i] = formatNumber(v)
		case string:
			s[i] = v
		case Value:
			s[i] = v.String()
		case []string:
			s[i] = "{" + strings.Join(v, ",") + "}"
		default:
			panic(fmt.Sprintf("luaFormat: %T", v))
		}
	}
	return strings.Join(s, " ")
}

// parseArgs parses a comma-separated list of Lua literals: "strings" (without escapes), numbers,
// true, false, nil and rep("s", n).
func parseArgs(s string) ([]any, error) {
	var args []any
	for s = strings.TrimSpace(s); s != ""; {
		v, rest, err := parseLiteral(s)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
		if rest = strings.TrimSpace(rest); rest == "" {
			break
		}
		if rest[0] != ',' {
			return nil, fmt.Errorf("expected a comma before %q", rest)
		}
		s = strings.TrimSpace(rest[1:])
	}
	return args, nil
}

func parseLiteral(s string) (any, string, error) {
	switch {
	case s[0] == '"':
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return nil, "", fmt.Errorf("unterminated string %q", s)
		}
		return s[1 : end+1], s[end+2:], nil
	case strings.HasPrefix(s, "rep("):
		inner, rest, _ := strings.Cut(s[len("rep("):], ")")
		a, err := parseArgs(inner)
		if err != nil || len(a) != 2 {
			return nil, "", fmt.Errorf("bad rep in %q", s)
		}
		return strings.Repeat(a[0].(string), int(a[1].(float64))), rest, nil
	}
	i := strings.IndexByte(s, ',')
	if i < 0 {
		i = len(s)
	}
	switch tok := strings.TrimSpace(s[:i]); tok {
	case "nil":
		return nil, s[i:], nil
	case "true", "false":
		return tok == "true", s[i:], nil
	default:
		f, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			return nil, "", fmt.Errorf("bad literal %q", tok)
		}
		return f, s[i:], nil
	}
}

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// luaKey converts a key as lua-resty-core does: nil is an error, other values go through tostring.
func luaKey(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", false
	case string:
		return v, true
	}
	return luaFormat([]any{v}), true
}

func luaValue(v any) Value {
	switch v := v.(type) {
	case string:
		return String(v)
	case float64:
		return Number(v)
	case bool:
		return Bool(v)
	}
	return Nil
}

// seconds converts a Lua exptime as OpenResty does: C truncates exptime * 1000 to milliseconds.
func seconds(v any) time.Duration {
	f, _ := v.(float64)
	if f < 0 {
		return -time.Millisecond
	}
	return time.Duration(int64(f*1000)) * time.Millisecond
}

// luaFlags converts a Lua number to the C int LuaJIT passes: out-of-range values become INT_MIN.
func luaFlags(v any) uint32 {
	f, _ := v.(float64)
	if math.IsNaN(f) || f >= 1<<31 || f <= -(1<<31)-1 {
		return 1 << 31
	}
	return uint32(int32(f))
}

func luaErr(err error) []any { return []any{nil, err.Error()} }

// raised turns the errors OpenResty raises into Go errors of luaCall.
func raised(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Raised() {
		return err
	}
	return nil
}
