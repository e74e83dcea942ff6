package ngxlua

import (
	"context"
	"log/slog"
	"strconv"
	"strings"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

var logFuncs = []glua.RegistryFunction{
	{Name: "log", Function: ngxLog},
	{Name: "get_phase", Function: getPhase},
}

// ngxLog implements ngx.log(level, ...): the arguments are joined as OpenResty joins them
// (numbered from 1 after the level in error messages).
func ngxLog(l *glua.State) int {
	if l.TypeOf(1) != glua.TypeNumber {
		typeError(l, 1, "number")
	}
	level := checkInt(l, 1)
	if level < int(ngx.LevelStderr) || level > int(ngx.LevelDebug) {
		argError(l, 1, "bad log level: "+strconv.Itoa(level))
	}
	// As in lua-nginx-module, a line below the log level returns before its arguments are
	// looked at: debug lines left in code cost a call, not a message.
	if logEnabled(l, ngx.Level(level)) {
		Log(l, ngx.Level(level), logMessage(l, 2))
	}
	return 0
}

// logEnabled reports whether a line at level would be written where Log writes it.
func logEnabled(l *glua.State, level ngx.Level) bool {
	if s := lua.Current(l); s != nil {
		if r, ok := s.Data.(*ngx.Request); ok && r != nil {
			return r.Logger().Enabled(r.Context(), level.Slog())
		}
	}
	lg := stateLogger(l)
	if lg == nil {
		lg = slog.Default()
	}
	return lg.Enabled(context.Background(), level.Slog())
}

// luaPrint is OpenResty's print: ngx.log(ngx.NOTICE, ...).
func luaPrint(l *glua.State) int {
	msg := logMessage(l, 1)
	if !servingRequest(l) && stateLogger(l) == nil {
		// Outside requests print keeps going where the engine sends it (the Handler's
		// logger, which adds "[lua] " itself).
		l.Field(glua.RegistryIndex, basePrintKey)
		if l.IsFunction(-1) {
			l.PushString(strings.TrimPrefix(where(l), "[lua] ") + msg)
			l.Call(1, 0)
			return 0
		}
		l.Pop(1)
	}
	Log(l, ngx.LevelNotice, msg)
	return 0
}

// Registry keys of the values Open keeps.
const (
	basePrintKey = "ngxlua.print"
	loggerKey    = "ngxlua.logger"
)

// stateLogger returns Options.Logger of the state, or nil.
func stateLogger(l *glua.State) *slog.Logger {
	l.Field(glua.RegistryIndex, loggerKey)
	lg, _ := l.ToUserData(-1).(*slog.Logger)
	l.Pop(1)
	return lg
}

func servingRequest(l *glua.State) bool {
	s := lua.Current(l)
	if s == nil {
		return false
	}
	r, ok := s.Data.(*ngx.Request)
	return ok && r != nil
}

// logMessage joins the arguments from first on: strings and numbers as they are, nil, booleans,
// ngx.null ("null"), tables with a __tostring metamethod.
func logMessage(l *glua.State, first int) string {
	var b []byte
	for i, n := first, l.Top(); i <= n; i++ {
		arg := i - first + 1
		switch t := l.TypeOf(i); t {
		case glua.TypeString, glua.TypeNumber, glua.TypeBoolean, glua.TypeNil:
			b = appendScalar(l, b, i)
		case glua.TypeTable:
			if !glua.CallMeta(l, i, "__tostring") {
				argError(l, arg, "expected table to have __tostring metamethod")
			}
			s, _ := l.ToString(-1)
			l.Pop(1)
			b = append(b, s...)
		default:
			if !isNull(l, i) {
				argError(l, arg, "string, number, boolean, or nil expected, got "+typeName(l, i))
			}
			b = append(b, "null"...)
		}
	}
	return string(b)
}

// Log writes msg at level to the running request's error log (with its location and phase), or
// to the default logger outside requests, prefixed as OpenResty prefixes ngx.log lines. Nothing
// is looked at when the level is not logged.
func Log(l *glua.State, level ngx.Level, msg string) { logLine(l, level, msg, true) }

// LogError writes msg at the error level as Log does, without the "[lua] chunk:line: " prefix:
// a line nginx itself writes (about a bad ngx.re.sub template, for example).
func LogError(l *glua.State, msg string) { logLine(l, ngx.LevelErr, msg, false) }

// NoSocketErrorLog, set on a request with Request.SetValue(NoSocketErrorLog{}, true), is
// lua_socket_log_errors off: the cosockets' own error-log lines (timeouts, refused connects,
// closed sockets, TLS failures) are left out; the functions still return their errors.
type NoSocketErrorLog struct{}

// socketError logs msg at error level unless the request turned lua_socket_log_errors off.
func socketError(l *glua.State, msg string) {
	if r, _ := running(l); r != nil {
		if off, _ := r.Value(NoSocketErrorLog{}).(bool); off {
			return
		}
	}
	LogError(l, msg)
}

func logLine(l *glua.State, level ngx.Level, msg string, prefixed bool) {
	line := func() string {
		if prefixed {
			return where(l) + msg
		}
		return msg
	}
	if !logEnabled(l, level) {
		return
	}
	if s := lua.Current(l); s != nil {
		if r, ok := s.Data.(*ngx.Request); ok && r != nil {
			r.Log(level, line())
			return
		}
	}
	lg := stateLogger(l)
	if lg == nil {
		lg = slog.Default()
	}
	lg.Log(context.Background(), level.Slog(), line(), slog.String("level", level.String()),
		slog.String("phase", phaseOf(l).String()))
}

// where returns "[lua] chunk:line: name(): " for the Lua function that called ngx.log, as
// OpenResty prefixes log lines: the name is how that function's caller named it, as LuaJIT
// finds it (a metamethod by its event, a for loop's iterator as "(for generator)"), and only
// for a function a Lua function called by name.
func where(l *glua.State) string {
	f, ok := glua.Stack(l, 1)
	if !ok {
		return "[lua] "
	}
	d, _ := glua.Info(l, "Sl", f)
	if d.CurrentLine <= 0 {
		return "[lua] "
	}
	s := "[lua] " + d.ShortSource + ":" + strconv.Itoa(d.CurrentLine) + ": "
	if d.What != "Lua" {
		return s
	}
	switch kind, name := lua.FuncName(l, 1); {
	case kind == "for iterator":
		s += "(for generator)(): "
	case kind != "" && name != "?":
		s += name + "(): "
	}
	return s
}

func getPhase(l *glua.State) int {
	l.PushString(phaseOf(l).String())
	return 1
}
