package ngxlua

import (
	"os"
	"path/filepath"
	"strings"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

// The nginx and lua-nginx-module versions goresty follows, as ngx.config reports them.
const (
	nginxVersion  = 1022001 // nginx 1.22.1
	ngxLuaVersion = 10023   // lua-nginx-module 0.10.23
)

// openWorker pushes ngx.worker: a Handler's Lua VMs are its workers (LuaConfig.Workers).
func openWorker(l *glua.State) {
	glua.NewLibrary(l, []glua.RegistryFunction{
		{Name: "id", Function: workerID},
		{Name: "count", Function: workerCount},
		{Name: "pid", Function: workerPID},
		{Name: "pids", Function: workerPIDs},
		{Name: "exiting", Function: workerExiting},
	})
}

// workerID is ngx.worker.id(): the VM's number from 0, nil in init (which runs before the
// workers exist).
func workerID(l *glua.State) int {
	if s := lua.Current(l); s != nil {
		if id, ok := s.Worker(); ok {
			l.PushInteger(id)
			return 1
		}
	}
	l.PushNil()
	return 1
}

func workerCount(l *glua.State) int {
	n := 1
	if s := lua.Current(l); s != nil {
		n = s.Engine().Workers()
	}
	l.PushInteger(n)
	return 1
}

// workerPID is ngx.worker.pid(): all workers share the Go process.
func workerPID(l *glua.State) int {
	l.PushInteger(os.Getpid())
	return 1
}

// workerPIDs is ngx.worker.pids(): the pid of every worker, which is the Go process's for all.
func workerPIDs(l *glua.State) int {
	n := 1
	if s := lua.Current(l); s != nil {
		n = s.Engine().Workers()
	}
	pid := os.Getpid()
	l.CreateTable(n, 0)
	for i := 1; i <= n; i++ {
		l.PushInteger(pid)
		l.RawSetInt(-2, i)
	}
	return 1
}

// workerExiting is ngx.worker.exiting(): true once the Handler is closing.
func workerExiting(l *glua.State) int {
	s := lua.Current(l)
	l.PushBoolean(s != nil && s.Engine().Closing())
	return 1
}

// openConfig pushes ngx.config for a Handler whose nginx prefix is prefix.
func openConfig(l *glua.State, prefix string) {
	prefix = configPrefix(prefix)
	l.CreateTable(0, 6)
	l.PushString("http")
	l.SetField(-2, "subsystem")
	l.PushInteger(nginxVersion)
	l.SetField(-2, "nginx_version")
	l.PushInteger(ngxLuaVersion)
	l.SetField(-2, "ngx_lua_version")
	l.PushBoolean(false)
	l.SetField(-2, "debug")
	l.PushGoFunction(func(l *glua.State) int {
		l.PushString(prefix)
		return 1
	})
	l.SetField(-2, "prefix")
	l.PushGoFunction(func(l *glua.State) int {
		l.PushString("") // goresty is not built by nginx's configure
		return 1
	})
	l.SetField(-2, "nginx_configure")
}

// configPrefix is ngx.config.prefix(): the prefix relative paths are read against, absolute
// and ending in "/" as nginx's; the working directory when none was set.
func configPrefix(prefix string) string {
	if abs, err := filepath.Abs(prefix); err == nil {
		prefix = abs
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return prefix
}
