package ngxlua

import (
	"context"
	"log/slog"
	"strings"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

var logFuncs = []glua.RegistryFunction{
	{Name: "log", Function: ngxLog},
	{Name: "get_phase", Function: getPhase},
}

// ngxLog implements ngx.log(level, ...): the arguments are joined as ngx.print joins them.
func ngxLog(l *glua.State) int {
	level, ok := l.ToInteger(1)
	if !ok || level < int(ngx.LevelStderr) || level > int(ngx.LevelDebug) {
		glua.Errorf(l, "bad argument #1 to 'log' (bad log level)")
	}
	var b []byte
	for i, n := 2, l.Top(); i <= n; i++ {
		if l.IsTable(i) {
			s, _ := glua.ToStringMeta(l, i)
			l.Pop(1)
			b = append(b, s...)
			continue
		}
		b = appendValue(l, b, i, i, "log")
	}
	Log(l, ngx.Level(level), string(b))
	return 0
}

// Log writes msg at level to the running request's error log (with its location and phase), or
// to the state's logger outside requests. print() uses it at NOTICE.
func Log(l *glua.State, level ngx.Level, msg string) {
	msg = where(l) + msg
	if s := lua.Current(l); s != nil {
		if r, ok := s.Data.(*ngx.Request); ok && r != nil {
			r.Log(level, msg)
			return
		}
	}
	slog.Default().Log(context.Background(), level.Slog(), msg, slog.String("level", level.String()),
		slog.String("phase", phaseOf(l).String()))
}

// where returns "[lua] chunk:line: " of the Lua caller, as OpenResty prefixes log lines.
func where(l *glua.State) string {
	glua.Where(l, 1)
	s, _ := l.ToString(-1)
	l.Pop(1)
	return "[lua] " + strings.TrimSpace(s) + " "
}

func getPhase(l *glua.State) int {
	l.PushString(phaseOf(l).String())
	return 1
}
