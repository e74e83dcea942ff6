package lua

import (
	"strings"

	glua "github.com/Shopify/go-lua"
)

// module is Lua 5.1's module(name [, option...]), which LuaJIT keeps for old code: it finds or
// makes the module table (package.loaded[name], else the global of that dotted name), sets
// its _NAME, _M and _PACKAGE the first time, makes it the environment of the calling function
// (setfenv), and calls each option with it (package.seeall). The globals it reaches are the
// VM's, as a required module's are.
func module(l *glua.State) int {
	name := glua.CheckString(l, 1)
	last := l.Top()
	pushModule(l, name)
	mod := l.Top()
	l.Field(mod, "_NAME")
	initialized := !l.IsNil(-1)
	l.Pop(1)
	if !initialized {
		l.PushValue(mod)
		l.SetField(mod, "_M")
		l.PushString(name)
		l.SetField(mod, "_NAME")
		pkg := ""
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			pkg = name[:i+1]
		}
		l.PushString(pkg)
		l.SetField(mod, "_PACKAGE")
	}
	f, ok := luajitFrame(l, 1)
	if ok {
		glua.Info(l, "f", f)
	}
	if !ok || !l.IsFunction(-1) || l.IsGoFunction(-1) {
		glua.Errorf(l, "'module' not called from a Lua function")
	}
	setEnv(l, l.Top(), mod)
	l.Pop(1)
	for i := 2; i <= last; i++ {
		l.PushValue(i)
		l.PushValue(mod)
		l.Call(1, 0)
	}
	return 0
}

// pushModule pushes package.loaded[name], making it the global table of that dotted name (made
// as needed) when it is not a table.
func pushModule(l *glua.State, name string) {
	l.Field(glua.RegistryIndex, "_LOADED")
	l.Field(-1, name)
	if l.IsTable(-1) {
		l.Remove(-2)
		return
	}
	l.Pop(1)
	l.PushGlobalTable()
	for part := range strings.SplitSeq(name, ".") {
		l.Field(-1, part)
		switch {
		case l.IsNil(-1):
			l.Pop(1)
			l.NewTable()
			l.PushValue(-1)
			l.SetField(-3, part)
		case !l.IsTable(-1):
			glua.Errorf(l, "name conflict for module '%s'", name)
		}
		l.Remove(-2)
	}
	l.PushValue(-1)
	l.SetField(-3, name)
	l.Remove(-2)
}

// seeall is Lua 5.1's package.seeall(module): it gives the module a metatable (or uses the one
// it has) whose __index is the globals.
func seeall(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	if !l.MetaTable(1) {
		l.NewTable()
		l.PushValue(-1)
		l.SetMetaTable(1)
	}
	l.PushGlobalTable()
	l.SetField(-2, "__index")
	return 0
}
