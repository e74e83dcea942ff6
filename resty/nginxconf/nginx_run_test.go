package nginxconf

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// argCases are raw argument spellings whose values nginx shows through
// "return 200 ARG;".
var argCases = []string{
	`"a\"b"`, `'a\'b'`, `"a\\b"`, `"a\tb"`, `"a\rb"`, `"a\nb"`, `"a\qb"`, `'\d+'`,
	`a\ b`, `a\;b`, `a\"b`, `a"b`, `a'b`, `a#b`, `a}b`, `\{`, `"x'y"`, `'x"y'`,
	`""`, `"\\\\"`, `"multi
line"`, `\t\n`, `"\\n"`, `x\\`,
}

// luaCases are content_by_lua_block bodies with braces that must not count.
var luaCases = []string{
	`local t = { "}", '{', [[}]], [==[ ]] } ]==] } ngx.say(#t, t[1], t[2], t[3], t[4])`,
	"-- }\n ngx.say(\"a\") --[[ } ]] ngx.say(\"b\") --[==[ ]] } ]==] ngx.say('c')",
	`ngx.say("\"}\"", '\'{\'', "\\")`,
	`local function f() return { a = { b = "}" } } end ngx.say(f().a.b)`,
	"local s = [=[\n}\n]]\n]=] ngx.say(#s)",
	`local t = {} t[ [[k]] ] = "v}" ngx.say(t.k) -- [[ not a long comment }`,
}

// startNginx runs nginx with the given server-level configuration on a free
// loopback port and returns the base URL.
func startNginx(t *testing.T, server string) string {
	t.Helper()
	addr := servertest.FreeAddr(t)
	conf := servertest.LoadModules + fmt.Sprintf(`daemon off; master_process off; worker_processes 1;
error_log logs/error.log warn;
pid logs/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    default_type text/plain;
    server {
        listen %[1]s;
        location = /ready { return 204; }
%[2]s
    }
}
`, addr, server)
	base := "http://" + addr
	servertest.StartNginx(t, t.TempDir(), conf, servertest.Get(base+"/ready"))
	return base
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, url)
	return string(body)
}

// TestArgumentsAgainstNginx checks argument unescaping against what nginx
// itself returns for "return 200 ARG;".
func TestArgumentsAgainstNginx(t *testing.T) {
	servertest.Nginx(t)
	var server strings.Builder
	for i, raw := range argCases {
		fmt.Fprintf(&server, "location = /arg/%d { return 200 %s; }\n", i, raw)
	}
	base := startNginx(t, server.String())
	for i, raw := range argCases {
		ds, err := Parse(strings.NewReader("return 200 "+raw+";"), "arg")
		require.NoError(t, err, raw)
		require.Len(t, ds[0].Args, 2, raw)
		assert.Equal(t, get(t, fmt.Sprintf("%s/arg/%d", base, i)), ds[0].Args[1], raw)
	}
}

// luaStub stands in for ngx.say when luajit runs an extracted block.
const luaStub = `ngx = { OK = 0, say = function(...) local t = {...}
for i = 1, select("#", ...) do t[i] = tostring(t[i]) end
io.write(table.concat(t), "\n") end }`

// TestLuaBlocksAgainstNginx checks where Lua blocks end: nginx runs each block,
// luajit runs the source we extracted, and the outputs must be equal.
func TestLuaBlocksAgainstNginx(t *testing.T) {
	servertest.Nginx(t)
	luajit, err := exec.LookPath("luajit")
	if err != nil {
		t.Skip("luajit not found: apt-get install luajit2 (not Debian's luajit, which removes nginx's lua module)")
	}
	var server strings.Builder
	for i, src := range luaCases {
		fmt.Fprintf(&server, "location = /lua/%d { content_by_lua_block { %s\n} }\n", i, src)
	}
	base := startNginx(t, server.String())
	for i, src := range luaCases {
		ds, err := Parse(strings.NewReader("content_by_lua_block { "+src+"\n}"), "lua")
		require.NoError(t, err, src)
		require.NotNil(t, ds[0].Lua, src)
		file := filepath.Join(t.TempDir(), "block.lua")
		require.NoError(t, os.WriteFile(file, []byte(ds[0].Lua.Source), 0o644))
		want, err := exec.Command(luajit, "-e", luaStub, file).CombinedOutput()
		require.NoError(t, err, "%s\n%s", src, want)
		assert.Equal(t, string(want), get(t, fmt.Sprintf("%s/lua/%d", base, i)), src)
	}
}
