package luare

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the wants in testdata/cases.txt from real nginx")

const casesFile = "testdata/cases.txt"

// prelude defines what every case may use; emit is ngx.say on nginx and a Go collector here.
const prelude = `local re = ngx.re
local function fmt(v)
  if type(v) ~= "table" then return tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) == "number"
  end)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. "=" .. fmt(v[k]) end
  return "{" .. table.concat(parts, " ") .. "}"
end
local function out(...)
  local t = {}
  for i = 1, select("#", ...) do t[i] = fmt((select(i, ...))) end
  emit(table.concat(t, "\t"))
end
`

type goldenCase struct {
	Name string
	Fork bool // not run on the oracle: the want is written by hand
	Code string
	Want string
}

func loadCases(t *testing.T) (header string, cases []goldenCase) {
	data, err := os.ReadFile(casesFile)
	require.NoError(t, err)
	var cur *goldenCase
	inWant := false
	for _, line := range strings.SplitAfter(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "=== "):
			name := strings.TrimSpace(line[4:])
			c := goldenCase{Name: strings.TrimSuffix(name, " [fork]"), Fork: strings.HasSuffix(name, "[fork]")}
			cases = append(cases, c)
			cur, inWant = &cases[len(cases)-1], false
		case cur == nil:
			header += line
		case line == "--- want\n":
			inWant = true
		case inWant:
			cur.Want += line
		default:
			cur.Code += line
		}
	}
	return header, cases
}

func saveCases(t *testing.T, header string, cases []goldenCase) {
	var b strings.Builder
	b.WriteString(header)
	for _, c := range cases {
		fork := ""
		if c.Fork {
			fork = " [fork]"
		}
		fmt.Fprintf(&b, "=== %s%s\n%s--- want\n%s", c.Name, fork, c.Code, c.Want)
	}
	require.NoError(t, os.WriteFile(casesFile, []byte(b.String()), 0o644))
}

// runLua runs prelude+code in a fresh go-lua state with ngx.re installed and returns the output.
func runLua(t testing.TB, code string) string {
	l := glua.NewState()
	glua.OpenLibraries(l)
	l.NewTable()
	Open(l)
	l.SetField(-2, "re")
	l.SetGlobal("ngx")
	var out strings.Builder
	l.Register("emit", func(l *glua.State) int {
		s, _ := l.ToString(1)
		out.WriteString(s + "\n")
		return 0
	})
	err := glua.LoadBuffer(l, prelude+code, "=case", "")
	if err == nil {
		err = l.ProtectedCall(0, 0, 0)
	}
	if err != nil {
		out.WriteString("ERROR: " + err.Error() + "\n")
	}
	return out.String()
}

func TestGolden(t *testing.T) {
	_, cases := loadCases(t)
	require.GreaterOrEqual(t, len(cases), 40)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			require.NotEmpty(t, c.Want, "no recorded output: run go test -run TestGoldenAgainstOracle -update")
			assert.Equal(t, c.Want, runLua(t, c.Code))
		})
	}
}

// TestGoldenAgainstOracle runs every non-fork case on real nginx + lua-nginx-module
// and checks the recorded wants (or rewrites them with -update).
func TestGoldenAgainstOracle(t *testing.T) {
	header, cases := loadCases(t)
	var codes []string
	for _, c := range cases {
		if !c.Fork {
			codes = append(codes, "local emit = ngx.say "+prelude+c.Code)
		}
	}
	got := runNginx(t, codes)
	i := 0
	for k := range cases {
		if cases[k].Fork {
			continue
		}
		if *update {
			cases[k].Want = got[i]
		} else {
			assert.Equal(t, cases[k].Want, got[i], cases[k].Name)
		}
		i++
	}
	if *update {
		saveCases(t, header, cases)
	}
}

// runNginx starts nginx with one location per Lua program and returns each response body.
func runNginx(t *testing.T, programs []string) []string {
	const hint = "apt-get install nginx-core libnginx-mod-http-lua lua-cjson"
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx not found: " + hint)
	}
	const modules = "/usr/lib/nginx/modules"
	if _, err := os.Stat(modules + "/ngx_http_lua_module.so"); err != nil {
		t.Skip("lua-nginx-module not found: " + hint)
	}
	// A short path: LuaJIT shortens long chunk names in error positions.
	dir, err := os.MkdirTemp("", "ngx")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	for _, d := range []string{"logs", "conf", "lua"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	var locs strings.Builder
	for i, p := range programs {
		file := filepath.Join(dir, "lua", fmt.Sprintf("c%d.lua", i))
		require.NoError(t, os.WriteFile(file, []byte(p), 0o644))
		fmt.Fprintf(&locs, "location = /c/%d { content_by_lua_file %s; }\n", i, file)
	}
	conf := fmt.Sprintf(`load_module %[1]s/ndk_http_module.so;
load_module %[1]s/ngx_http_lua_module.so;
worker_processes 1; daemon off; master_process off;
error_log logs/error.log warn; pid logs/nginx.pid;
events { worker_connections 64; }
http { access_log off; default_type text/plain;
server { listen %[2]s; location = /ready { return 204; }
%[3]s} }
`, modules, addr, locs.String())
	confFile := filepath.Join(dir, "conf", "nginx.conf")
	require.NoError(t, os.WriteFile(confFile, []byte(conf), 0o644))
	cmd := exec.Command(nginx, "-p", dir+"/", "-c", confFile)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitReady(t, "http://"+addr+"/ready")
	bodies := make([]string, len(programs))
	for i := range programs {
		resp, err := http.Get(fmt.Sprintf("http://%s/c/%d", addr, i))
		require.NoError(t, err)
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			log, _ := os.ReadFile(filepath.Join(dir, "logs", "error.log"))
			t.Fatalf("program %d: %v\n%s", i, err, log)
		}
		if resp.StatusCode != 200 {
			log, _ := os.ReadFile(filepath.Join(dir, "logs", "error.log"))
			t.Fatalf("program %d failed:\n%s\n%s", i, programs[i], log)
		}
		bodies[i] = strings.ReplaceAll(string(b), filepath.Join(dir, "lua", fmt.Sprintf("c%d.lua", i)), "case")
	}
	return bodies
}

func waitReady(t *testing.T, url string) {
	for range 100 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("nginx did not start")
}
