package lua

import (
	"strings"

	glua "github.com/Shopify/go-lua"
)

// getinfoOptions are the options debug.getinfo takes, as LuaJIT has them, and its default.
const (
	getinfoOptions = "SlunfL"
	getinfoDefault = "flnSu"
)

// getinfo is debug.getinfo([thread,] f|level [, what]) with LuaJIT's fields and values: a Go
// function reads as a C function ("[C]", what "C", lines -1), nups leaves out _ENV and
// goresty's own upvalues (LuaJIT has neither), levels skip the frames that tail calls to Go
// functions replace in LuaJIT (luajitFrame), and names are found as LuaJIT finds them.
func getinfo(l *glua.State) int {
	co, arg := l, 1
	if l.IsThread(1) {
		co, arg = tracebackThread(l, l.ToThread(1)), 2
	}
	what := glua.OptString(l, arg+1, getinfoDefault)
	for _, c := range what {
		if !strings.ContainsRune(getinfoOptions, c) {
			glua.ArgumentError(l, arg+1, "invalid option")
		}
	}
	var frame glua.Frame
	level := -1
	switch l.TypeOf(arg) {
	case glua.TypeFunction:
		l.PushValue(arg)
	case glua.TypeNumber, glua.TypeString:
		n, ok := l.ToNumber(arg)
		if !ok {
			glua.ArgumentError(l, arg, "function or level expected")
		}
		if co == nil { // a coroutine that has no stack: not started, or dead
			l.PushNil()
			return 1
		}
		if frame, ok = luajitFrame(co, int(n)); !ok {
			l.PushNil()
			return 1
		}
		level = int(n)
		co.CheckStack(1)
		glua.Info(co, "f", frame)
		if co != l { // move the function over: go-lua pushes any value it gets back
			fn := co.ToValue(-1)
			co.Pop(1)
			l.PushLightUserData(fn)
		}
	default:
		glua.ArgumentError(l, arg, "function or level expected")
	}
	fn := l.AbsIndex(-1)
	isGo := !l.IsFunction(fn) || l.IsGoFunction(fn)
	l.CreateTable(0, 12)
	for _, c := range what {
		switch c {
		case 'S':
			getinfoSource(l, fn, isGo)
		case 'l':
			line := -1
			if frame != nil && !isGo {
				d, _ := glua.Info(co, "l", frame)
				line = d.CurrentLine
			}
			setInt(l, "currentline", line)
		case 'u':
			getinfoUpvalues(l, fn, isGo)
		case 'n':
			kind, name := "", ""
			if frame != nil {
				kind, name = luajitFuncName(co, level)
			}
			if name != "" {
				l.PushString(name)
				l.SetField(-2, "name")
			}
			l.PushString(kind)
			l.SetField(-2, "namewhat")
		case 'f':
			l.PushValue(fn)
			l.SetField(-2, "func")
		case 'L':
			if !isGo {
				l.PushValue(fn)
				glua.Info(l, ">L", nil)
				l.SetField(-2, "activelines")
			}
		}
	}
	return 1
}

// getinfoSource sets the fields of option 'S' for the function at fn.
func getinfoSource(l *glua.State, fn int, isGo bool) {
	if isGo {
		l.PushString("=[C]")
		l.SetField(-2, "source")
		l.PushString("[C]")
		l.SetField(-2, "short_src")
		l.PushString("C")
		l.SetField(-2, "what")
		setInt(l, "linedefined", -1)
		setInt(l, "lastlinedefined", -1)
		return
	}
	l.PushValue(fn)
	d, _ := glua.Info(l, ">S", nil)
	l.PushString(d.Source)
	l.SetField(-2, "source")
	l.PushString(d.ShortSource)
	l.SetField(-2, "short_src")
	l.PushString(d.What)
	l.SetField(-2, "what")
	setInt(l, "linedefined", d.LineDefined)
	setInt(l, "lastlinedefined", d.LastLineDefined)
}

// getinfoUpvalues sets the fields of option 'u' for the function at fn. A Lua function's
// upvalues are those with a name other than _ENV: goresty's helper upvalues have none.
func getinfoUpvalues(l *glua.State, fn int, isGo bool) {
	nups, nparams, vararg := 0, 0, true
	if !isGo {
		for i := 1; ; i++ {
			name, ok := glua.UpValue(l, fn, i)
			if !ok {
				break
			}
			l.Pop(1)
			if name != "" && name != envUpvalueName {
				nups++
			}
		}
		l.PushValue(fn)
		d, _ := glua.Info(l, ">u", nil)
		nparams, vararg = d.ParameterCount, d.IsVarArg
	}
	setInt(l, "nups", nups)
	setInt(l, "nparams", nparams)
	l.PushBoolean(vararg)
	l.SetField(-2, "isvararg")
}

// luajitFuncName returns namewhat and name of the function at LuaJIT's level as LuaJIT's
// debug.getinfo gives them (FuncName): a metamethod gets none; an iterator of a generic for is
// the local "(for generator)".
func luajitFuncName(l *glua.State, level int) (kind, name string) {
	k, ok := luajitLevel(l, level)
	if !ok {
		return "", ""
	}
	switch kind, name = FuncName(l, k); kind {
	case "metamethod":
		return "", ""
	case "for iterator":
		return "local", "(for generator)"
	}
	return kind, name
}

// setInt sets field name of the table at the top of the stack to n.
func setInt(l *glua.State, name string, n int) {
	l.PushInteger(n)
	l.SetField(-2, name)
}
