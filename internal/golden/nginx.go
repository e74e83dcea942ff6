package golden

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/require"
)

// RunNginx starts nginx with one content_by_lua_file location per Lua program and returns each
// response body, with the program's file name replaced by "case". It skips the test when nginx
// or its lua module is missing.
func RunNginx(t *testing.T, programs []string) []string {
	servertest.Nginx(t)
	// A short path: LuaJIT shortens long chunk names in error positions.
	dir, err := os.MkdirTemp("", "ngx")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	require.NoError(t, os.Mkdir(filepath.Join(dir, "lua"), 0o755))
	addr := servertest.FreeAddr(t)
	var locs strings.Builder
	for i, p := range programs {
		file := filepath.Join(dir, "lua", fmt.Sprintf("c%d.lua", i))
		require.NoError(t, os.WriteFile(file, []byte(p), 0o644))
		fmt.Fprintf(&locs, "location = /c/%d { content_by_lua_file %s; }\n", i, file)
	}
	conf := servertest.LoadModules + fmt.Sprintf(`worker_processes 1; daemon off; master_process off;
error_log logs/error.log warn; pid logs/nginx.pid;
events { worker_connections 64; }
http { access_log off; default_type text/plain;
server { listen %s; location = /ready { return 204; }
%s} }
`, addr, locs.String())
	servertest.StartNginx(t, dir, conf, servertest.Get("http://"+addr+"/ready"))
	errorLog := func() string {
		log, _ := os.ReadFile(filepath.Join(dir, "logs", "error.log"))
		return string(log)
	}
	bodies := make([]string, len(programs))
	for i := range programs {
		resp, err := http.Get(fmt.Sprintf("http://%s/c/%d", addr, i))
		require.NoError(t, err)
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("program %d: %v\n%s", i, err, errorLog())
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("program %d failed:\n%s\n%s", i, programs[i], errorLog())
		}
		bodies[i] = strings.ReplaceAll(string(b), filepath.Join(dir, "lua", fmt.Sprintf("c%d.lua", i)), "case")
	}
	return bodies
}
