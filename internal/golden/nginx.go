package golden

import (
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

	"github.com/stretchr/testify/require"
)

// modules is where Debian's libnginx-mod-http-lua puts nginx's modules.
const modules = "/usr/lib/nginx/modules"

// RunNginx starts nginx with one content_by_lua_file location per Lua program and returns each
// response body, with the program's file name replaced by "case". It skips the test, naming
// hint (the packages to install), when nginx or its lua module is missing.
func RunNginx(t *testing.T, hint string, programs []string) []string {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx not found: " + hint)
	}
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
