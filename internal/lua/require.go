package lua

import (
	glua "github.com/Shopify/go-lua"
)

// luaRequire is LuaJIT's require(name) (Lua 5.1's): package.loaded[name] if it is set; otherwise
// the first function that a loader of package.loaders returns, called with name, whose result
// (true when it returns nothing and sets nothing) becomes package.loaded[name]. While the module
// loads, package.loaded[name] holds a mark, so that a module requiring itself, or one whose
// loading failed before, fails with "loop or previous error loading module". Upvalue 1 is the
// package table; upvalue 2 is the mark (vm.requireMark).
func luaRequire(l *glua.State) int {
	name := glua.CheckString(l, 1)
	l.SetTop(1)
	l.Field(glua.RegistryIndex, "_LOADED")
	l.Field(2, name)
	if l.ToBoolean(-1) {
		if l.RawEqual(-1, glua.UpValueIndex(2)) {
			glua.Errorf(l, "loop or previous error loading module '%s'", name)
		}
		return 1
	}
	l.Pop(1)
	l.Field(glua.UpValueIndex(1), "loaders")
	if !l.IsTable(-1) {
		glua.Errorf(l, "'package.loaders' must be a table")
	}
	l.PushString("") // the messages of the loaders that found nothing
	for i := 1; ; i++ {
		l.RawGetInt(3, i)
		if l.IsNil(-1) {
			msg, _ := l.ToString(4)
			glua.Errorf(l, "module '%s' not found:%s", name, msg)
		}
		l.PushString(name)
		l.Call(1, 1)
		if l.IsFunction(-1) {
			break
		}
		if l.IsString(-1) {
			l.Concat(2)
		} else {
			l.Pop(1)
		}
	}
	l.PushValue(glua.UpValueIndex(2))
	l.SetField(2, name)
	l.PushString(name)
	l.Call(1, 1)
	if !l.IsNil(-1) {
		l.SetField(2, name)
	}
	l.Field(2, name)
	if l.RawEqual(-1, glua.UpValueIndex(2)) {
		l.PushBoolean(true)
		l.PushValue(-1)
		l.SetField(2, name)
	}
	return 1
}
