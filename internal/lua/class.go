package lua

import glua "github.com/Shopify/go-lua"

// Helpers for Go functions that stand in for Lua libraries (lua-resty-lrucache, ngx.semaphore,
// lua-resty-string...): their raising and returning conventions, and modules written in the
// `local mt = {__index = _M}` style, whose objects share one metatable whose __index is the
// module itself.

// PushClass pushes a new module table holding funcs; each gets, as upvalue 1, the metatable of
// the module's objects, {__index = module}, for NewObject.
func PushClass(l *glua.State, funcs []glua.RegistryFunction) {
	l.CreateTable(0, len(funcs)+2)
	l.CreateTable(0, 1)
	l.PushValue(-2)
	l.SetField(-2, "__index")
	glua.SetFunctions(l, funcs, 1)
}

// NewObject pushes a new object for a function of a PushClass module: a table holding v, as a
// userdata, in field, whose metatable is the module's object metatable.
func NewObject(l *glua.State, field string, v any) {
	l.CreateTable(0, 1)
	l.PushUserData(v)
	l.SetField(-2, field)
	l.PushValue(glua.UpValueIndex(1))
	l.SetMetaTable(-2)
}

// RaisePlain raises msg as a Lua error without a position: an error that the original library
// raises from inside its own Lua file, whose position has no equivalent here.
func RaisePlain(l *glua.State, msg string) {
	l.PushString(msg)
	l.Error()
}

// RaiseAtCaller raises msg at the position of the Lua code that called the running Go function
// (none when that is pcall or another Go function), as luaL_error and a library's error(msg, 2)
// report it.
func RaiseAtCaller(l *glua.State, msg string) {
	glua.Where(l, 1)
	l.PushString(msg)
	l.Concat(2)
	l.Error()
}

// PushFailure pushes nil and msg, the way library functions fail, and returns 2.
func PushFailure(l *glua.State, msg string) int {
	l.PushNil()
	l.PushString(msg)
	return 2
}

// TypeName is Lua's type() of the value at index, "nil" for a missing argument, as Lua's own
// errors name it ("attempt to index local 'self' (a nil value)").
func TypeName(l *glua.State, index int) string {
	if l.TypeOf(index) == glua.TypeNone {
		return "nil"
	}
	return glua.TypeNameOf(l, index)
}
