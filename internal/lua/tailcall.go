package lua

import (
	"regexp"
	"strings"

	glua "github.com/Shopify/go-lua"
)

// A tail call to a Go function (return error("x"), return string.rep()) replaces the calling
// Lua function's frame in LuaJIT, while go-lua keeps that frame under the Go function's. What
// counts stack levels (getfenv, setfenv, debug.getinfo, error's level, the position of a Go
// function's error) counts them as LuaJIT does, leaving out the frames stopped at such a call.

// luajitFrame returns the frame at level as LuaJIT counts levels (luajitLevel).
func luajitFrame(l *glua.State, level int) (glua.Frame, bool) {
	k, ok := luajitLevel(l, level)
	if !ok {
		return nil, false
	}
	return glua.Stack(l, k)
}

// luajitLevel returns go-lua's level of the frame at LuaJIT's level. They differ after a tail
// call to a Go function (return getfenv(2)): in LuaJIT the call replaced the calling Lua
// function's frame, while go-lua keeps that frame under the Go function's.
func luajitLevel(l *glua.State, level int) (int, bool) {
	if level < 0 {
		return 0, false
	}
	for k, n := 0, 0; ; k++ {
		if _, ok := glua.Stack(l, k); !ok {
			return 0, false
		}
		if k > 0 && tailCalling(l, k) {
			continue
		}
		if n == level {
			return k, true
		}
		n++
	}
}

// tailCalling reports whether the frame at go-lua's level k is a Lua function stopped at a
// tail call, which goes on only to return what the call returns.
func tailCalling(l *glua.State, k int) bool {
	f, ok := glua.Stack(l, k)
	if !ok {
		return false
	}
	v, ok := viewFrame(f) // false for a Go function
	if !ok || v.savedPC < 1 {
		return false
	}
	p := frameProto(l, f)
	return p != nil && v.savedPC <= len(p.code) && opOf(p.code[v.savedPC-1]) == opTailCall
}

// luajitWhere pushes LuaJIT's luaL_where(level): "chunk:line: " for the Lua function at
// LuaJIT's level, or "" when that is a Go function or there is none.
func luajitWhere(l *glua.State, level int) {
	k, ok := luajitLevel(l, level)
	if !ok {
		l.PushString("")
		return
	}
	glua.Where(l, k)
}

// tailCallMessage rewrites msg, an error raised by the Go function at level 1 (the message
// handler runs at level 0), as LuaJIT words it when a tail call reached the function: the
// position go-lua gave it becomes that of the next Lua function down the stack, or none, and an
// argument error names the function '?'. ok is false, and msg is left to luaMessage, for other
// errors.
func tailCallMessage(l *glua.State, msg string) (fixed string, ok bool) {
	if f, ok := glua.Stack(l, 1); !ok {
		return msg, false
	} else if d, _ := glua.Info(l, "S", f); d.What != "Go" || !tailCalling(l, 2) {
		return msg, false
	}
	glua.Where(l, 2)
	goLua, _ := l.ToString(-1)
	l.Pop(1)
	if goLua == "" || !strings.HasPrefix(msg, goLua) {
		return msg, false
	}
	luajitWhere(l, 2)
	where, _ := l.ToString(-1)
	l.Pop(1)
	rest := msg[len(goLua):]
	if m := tailArgErrorRE.FindStringSubmatchIndex(rest); m != nil {
		rest = rest[:m[2]] + "?" + rest[m[3]:]
	}
	return where + rest, true
}

// tailArgErrorRE finds the function name of an argument error.
var tailArgErrorRE = regexp.MustCompile(`^bad argument #\d+ to '(.*?)' \(`)

// goCallerMessage rewrites msg, an argument error raised by the Go function at level 1, as
// LuaJIT words it when a Go function called that function (pcall(string.rep)): LuaJIT has no
// name for it and says '?', where go-lua found a name in package.loaded. A name that is not the
// function's there (goresty's words for an error of OpenResty's own code, such as resty.core's
// "bad argument #1 to 'byte'") is kept.
func goCallerMessage(l *glua.State, msg string) (fixed string, ok bool) {
	m := tailArgErrorRE.FindStringSubmatchIndex(msg)
	if m == nil {
		return msg, false
	}
	for level := 1; level <= 2; level++ {
		f, ok := glua.Stack(l, level)
		if !ok {
			return msg, false
		}
		if d, _ := glua.Info(l, "S", f); d.What != "Go" {
			return msg, false
		}
	}
	if !loadedAs(l, msg[m[2]:m[3]]) {
		return msg, false
	}
	return msg[:m[2]] + "?" + msg[m[3]:], true
}

// loadedAs reports whether name ("string.rep", "setmetatable") is, in package.loaded, the
// function running at level 1.
func loadedAs(l *glua.State, name string) bool {
	top := l.Top()
	defer l.SetTop(top)
	f, _ := glua.Stack(l, 1)
	glua.Info(l, "f", f)
	fn := l.Top()
	l.Field(glua.RegistryIndex, "_LOADED")
	if !strings.Contains(name, ".") {
		name = "_G." + name
	}
	for part := range strings.SplitSeq(name, ".") {
		if !l.IsTable(-1) {
			return false
		}
		l.Field(-1, part)
	}
	return l.RawEqual(-1, fn)
}
