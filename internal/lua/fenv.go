package lua

import (
	glua "github.com/Shopify/go-lua"
)

// Lua 5.1's function environments, as LuaJIT (and so OpenResty) has them, on go-lua's Lua 5.2
// VM, where a function reaches its globals through its _ENV upvalue:
//
//   - getfenv(f) is the value of f's _ENV upvalue; a function that reads no global has none and
//     gets the globals, as does a Go function.
//   - setfenv(f, t) gives f an _ENV upvalue of its own that holds t (debug.upvaluejoin with a
//     fresh cell), so f alone sees t, and functions f creates afterwards inherit it, as in 5.1.
//     A function that reads no global needs no environment and is left as it is.
//   - Level 0 is the thread's environment: getfenv(0) is the running Exec's environment (the
//     globals until it has one of its own), and setfenv(0, t) makes t the environment that
//     load, loadstring and loadfile give the chunks they load for the rest of the Exec, which
//     is what LuaJIT's thread environment is used for.

// envUpvalueName is the name Lua 5.2 gives the upvalue through which a function reads globals.
const envUpvalueName = "_ENV"

// fenvCellSource builds the closures whose only upvalue lends setfenv a fresh _ENV cell.
const fenvCellSource = "local env = ... return function() return env end"

// getfenv is Lua 5.1's getfenv([f]): f is a function or a stack level, 1 by default.
func getfenv(l *glua.State) int {
	s := Current(l)
	if level, ok := fenvLevel(l, "getfenv"); ok && level == 0 {
		if s != nil && s.run.env != nil {
			l.PushLightUserData(s.run.env)
		} else {
			l.PushGlobalTable()
		}
		return 1
	}
	if i := envUpvalue(l, -1); i > 0 {
		glua.UpValue(l, -1, i)
		return 1
	}
	l.PushGlobalTable()
	return 1
}

// setfenv is Lua 5.1's setfenv(f, table): it returns f, or the function at the level f.
func setfenv(l *glua.State) int {
	glua.CheckType(l, 2, glua.TypeTable)
	level, isLevel := fenvLevel(l, "setfenv")
	if isLevel && level == 0 {
		s := Current(l)
		if s == nil || !s.run.lazy && s.run.env == nil {
			glua.Errorf(l, "'setfenv' cannot change environment of given object")
		}
		s.run.env, s.run.lazy = l.ToValue(2), false
		return 0
	}
	if l.IsGoFunction(-1) {
		glua.Errorf(l, "'setfenv' cannot change environment of given object")
	}
	setEnv(l, l.AbsIndex(-1), 2)
	return 1
}

// setEnv gives the Lua function at fn the table at env as its environment, if it reads globals.
func setEnv(l *glua.State, fn, env int) {
	if i := envUpvalue(l, fn); i > 0 {
		l.PushLightUserData(Current(l).vm.fenvCell)
		l.PushValue(env)
		l.Call(1, 1)
		glua.UpValueJoin(l, fn, i, -1, 1)
		l.Pop(1)
	}
}

// fenvLevel reads argument 1 of getfenv or setfenv. For a function it pushes it and returns
// false; for a level it returns the level and, unless the level is 0, pushes the function
// running there. A level beyond the stack raises "invalid level", as LuaJIT does.
func fenvLevel(l *glua.State, name string) (level int, isLevel bool) {
	if l.IsFunction(1) {
		l.PushValue(1)
		return 0, false
	}
	level = 1
	if !l.IsNoneOrNil(1) || name == "setfenv" {
		n := glua.CheckNumber(l, 1)
		level = int(n)
	}
	if level < 0 {
		glua.ArgumentError(l, 1, "invalid level")
	}
	if level == 0 {
		return 0, true
	}
	f, ok := luajitFrame(l, level)
	if !ok {
		glua.ArgumentError(l, 1, "invalid level")
	}
	glua.Info(l, "f", f)
	return level, true
}

// envUpvalue returns the index of the _ENV upvalue of the Lua function at idx, or 0 when it has
// none (a Go function, or a Lua function that reads no global).
func envUpvalue(l *glua.State, idx int) int {
	if !l.IsFunction(idx) || l.IsGoFunction(idx) {
		return 0
	}
	idx = l.AbsIndex(idx)
	for i := 1; ; i++ {
		name, ok := glua.UpValue(l, idx, i)
		if !ok {
			return 0
		}
		l.Pop(1)
		if name == envUpvalueName {
			return i
		}
	}
}
