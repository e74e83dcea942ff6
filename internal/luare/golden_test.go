package luare

import (
	"flag"
	"testing"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/golden"
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

// runLua runs prelude+code in a fresh go-lua state with ngx.re installed and returns the output.
func runLua(code string) string {
	l := glua.NewState()
	glua.OpenLibraries(l)
	l.NewTable()
	Open(l)
	l.SetField(-2, "re")
	l.SetGlobal("ngx")
	return golden.RunLua(l, prelude+code)
}

func TestGolden(t *testing.T) {
	golden.Replay(t, casesFile, 40, runLua)
}

// TestGoldenAgainstOracle runs every non-fork case on real nginx + lua-nginx-module
// and checks the recorded wants (or rewrites them with -update).
func TestGoldenAgainstOracle(t *testing.T) {
	golden.AgainstNginx(t, casesFile, *update, func(code string) string {
		return "local emit = ngx.say " + prelude + code
	})
}

// runNginx runs each program on real nginx and returns its output.
func runNginx(t *testing.T, programs []string) []string {
	return golden.RunNginx(t, programs)
}
