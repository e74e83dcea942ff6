package ngxlua

import (
	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

// ngx.errlog is lua-resty-core's module as the reference nginx (Debian's, without OpenResty's
// capture-error-log patch) gives it: raw_log(level, msg) writes msg to the error log at level
// without ngx.log's "[lua] chunk:line:" prefix; get_sys_filter_level() is the most detailed
// level the error log takes; set_filter_level and get_logs fail with "missing the capture
// error log patch for nginx", as there (goresty has no lua_capture_error_log either).

// errNoCapture is what set_filter_level and get_logs return.
const errNoCapture = "missing the capture error log patch for nginx"

func errlogModule(l *glua.State) int {
	pushModule(l, []glua.RegistryFunction{
		{Name: "raw_log", Function: rawLog},
		{Name: "get_sys_filter_level", Function: sysFilterLevel},
		{Name: "set_filter_level", Function: func(l *glua.State) int {
			if !l.ToBoolean(1) {
				return lua.PushFailure(l, `missing "level" argument`)
			}
			return lua.PushFailure(l, errNoCapture)
		}},
		{Name: "get_logs", Function: func(l *glua.State) int { return lua.PushFailure(l, errNoCapture) }},
	})
	return 1
}

// rawLog is errlog.raw_log(level, msg).
func rawLog(l *glua.State) int {
	if l.TypeOf(1) != glua.TypeNumber {
		lua.RaiseAtCaller(l, "bad argument #1 to 'raw_log' (must be a number)")
	}
	if l.TypeOf(2) != glua.TypeString {
		lua.RaiseAtCaller(l, "bad argument #2 to 'raw_log' (must be a string)")
	}
	f, _ := l.ToNumber(1)
	level := ngx.Level(cInt(f))
	if level < ngx.LevelStderr || level > ngx.LevelDebug {
		lua.RaiseAtCaller(l, "bad log level")
	}
	msg, _ := l.ToString(2)
	logLine(l, level, msg, false)
	return 0
}

// sysFilterLevel is errlog.get_sys_filter_level(): the most detailed level that is logged.
func sysFilterLevel(l *glua.State) int {
	level := ngx.LevelDebug
	for level > ngx.LevelStderr && !logEnabled(l, level) {
		level--
	}
	l.PushInteger(int(level))
	return 1
}
