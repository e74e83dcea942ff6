package luacjson

import (
	"flag"
	"testing"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the wants in testdata/cases.txt from real nginx")

const casesFile = "testdata/cases.txt"

// prelude defines what every case may use; emit is ngx.say on nginx and a Go collector here.
const prelude = `local cjson = require("cjson").new()
local cjson_safe = require("cjson.safe").new()
local function out(...)
  local t = {}
  for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end
  emit(table.concat(t, "\t"))
end
`

// runLua runs prelude+code in a fresh go-lua state with cjson installed and returns the output.
func runLua(code string) string {
	l := glua.NewState()
	glua.OpenLibraries(l)
	glua.Require(l, "cjson", Open, false)
	glua.Require(l, "cjson.safe", OpenSafe, false)
	l.Pop(2)
	return golden.RunLua(l, prelude+code)
}

func TestGolden(t *testing.T) {
	golden.Replay(t, casesFile, 40, runLua)
}

// TestGoldenAgainstOracle runs every non-fork case on real nginx + lua-nginx-module + lua-cjson
// and checks the recorded wants (or rewrites them with -update).
func TestGoldenAgainstOracle(t *testing.T) {
	golden.AgainstNginx(t, casesFile, *update, func(code string) string {
		return "local emit = ngx.say " + prelude + code
	})
}
