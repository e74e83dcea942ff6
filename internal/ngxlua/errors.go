package ngxlua

import (
	"strconv"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/ngx"
)

// contextName is OpenResty's name of the context a phase runs in, as its error messages name
// it: "API disabled in the context of header_filter_by_lua*".
func contextName(p ngx.Phase) string {
	if p == ngx.PhaseTimer {
		return "ngx.timer"
	}
	return p.String() + "_by_lua*"
}

// disabled raises OpenResty's error for a call the running phase forbids.
func disabled(l *glua.State, p ngx.Phase) {
	glua.Errorf(l, "%s", "API disabled in the context of "+contextName(p))
}

// argError raises "bad argument #n to '?' (msg)". LuaJIT names the function as the caller
// called it ('say' for ngx.say(...), '?' through pcall); go-lua cannot infer call-site names
// (its debug info gives none, or a wrong '__index'), so the name is always '?', never a lookup
// in package.loaded as Lua 5.2 does.
func argError(l *glua.State, arg int, msg string) {
	argErrorNamed(l, arg, "?", msg)
}

// argErrorNamed is argError with the function's name given (metamethods: "__newindex").
func argErrorNamed(l *glua.State, arg int, name, msg string) {
	glua.Errorf(l, "%s", "bad argument #"+strconv.Itoa(arg)+" to '"+name+"' ("+msg+")")
}

// typeError raises argError for a value of the wrong type: "(number expected, got string)".
func typeError(l *glua.State, arg int, want string) {
	argError(l, arg, want+" expected, got "+typeName(l, arg))
}

// typeName is luaL_typename: "no value" for a missing argument.
func typeName(l *glua.State, idx int) string {
	if l.TypeOf(idx) == glua.TypeNone {
		return "no value"
	}
	return glua.TypeNameOf(l, idx)
}

// checkNumber is luaL_checknumber with LuaJIT's wording.
func checkNumber(l *glua.State, arg int) float64 {
	f, ok := l.ToNumber(arg)
	if !ok {
		typeError(l, arg, "number")
	}
	return f
}

// checkInt is luaL_checkint: a number truncated towards zero.
func checkInt(l *glua.State, arg int) int {
	return int(checkNumber(l, arg))
}

// errorAt raises msg with the position of the Lua code that called the running function,
// looking past a pcall between them, as error(msg, 2) reports it in LuaJIT (where pcall
// takes no stack level); lua-resty-core raises its errors so.
func errorAt(l *glua.State, msg string) {
	for level := 1; level <= 2; level++ {
		f, ok := glua.Stack(l, level)
		if !ok {
			break
		}
		if d, _ := glua.Info(l, "Sl", f); d.CurrentLine > 0 {
			l.PushString(d.ShortSource + ":" + strconv.Itoa(d.CurrentLine) + ": " + msg)
			l.Error()
		}
	}
	l.PushString(msg)
	l.Error()
}

// checkArgCount raises OpenResty's "expecting N arguments but seen M" error.
func checkArgCount(l *glua.State, want int) {
	if n := l.Top(); n != want {
		glua.Errorf(l, "%s", "expecting "+strconv.Itoa(want)+" arguments but seen "+strconv.Itoa(n))
	}
}
