package luacjson

import (
	"flag"
	"strings"
	"testing"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the wants in testdata/cases.txt from real nginx")

const (
	casesFile = "testdata/cases.txt"
	nginxHint = "apt-get install nginx-core libnginx-mod-http-lua lua-cjson"
)

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
func runLua(t testing.TB, code string) string {
	l := glua.NewState()
	glua.OpenLibraries(l)
	glua.Require(l, "cjson", Open, false)
	glua.Require(l, "cjson.safe", OpenSafe, false)
	l.Pop(2)
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
	golden.Replay(t, casesFile, 40, func(code string) string { return runLua(t, code) })
}

// TestGoldenAgainstOracle runs every non-fork case on real nginx + lua-nginx-module + lua-cjson
// and checks the recorded wants (or rewrites them with -update).
func TestGoldenAgainstOracle(t *testing.T) {
	golden.AgainstNginx(t, casesFile, *update, nginxHint, func(code string) string {
		return "local emit = ngx.say " + prelude + code
	})
}
