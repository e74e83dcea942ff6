package lua

import (
	glua "github.com/Shopify/go-lua"
)

// luaError is error(value [, level]): it throws value unchanged, prefixing a string (or number)
// with the position of the code at level, as Lua 5.2 does.
func luaError(l *glua.State) int {
	level := glua.OptInteger(l, 2, 1)
	l.SetTop(1)
	if t := l.TypeOf(1); (t == glua.TypeString || t == glua.TypeNumber) && level > 0 {
		luajitWhere(l, level)
		l.PushValue(1)
		l.Concat(2)
	}
	raise(l)
	return 0
}

// pcall is pcall(f, ...): true and f's results, or false and the error value unchanged. Errors
// that must end the script (Abort, deadline, cancelled context, internal errors) pass through.
func pcall(l *glua.State) int {
	glua.CheckAny(l, 1)
	t := threadOf(l)
	err := t.protectedCall(l, l.Top()-1, glua.MultipleReturns, handler{kind: handlePlain})
	return protectedResult(l, t, err)
}

// xpcall is xpcall(f, handler, ...) (Lua 5.2: extra arguments go to f). On an error, handler runs
// at the point of the error, before the stack unwinds, and its result is the error value.
func xpcall(l *glua.State) int {
	n := l.Top()
	glua.ArgumentCheck(l, n >= 2, 2, "value expected")
	t := threadOf(l)
	h := handler{kind: handleUser, fn: l.ToValue(2)}
	l.Remove(2)
	err := t.protectedCall(l, n-2, glua.MultipleReturns, h)
	return protectedResult(l, t, err)
}

// protectedResult turns the outcome of a protected call whose function sat at index 1 into
// pcall's results.
func protectedResult(l *glua.State, t *thread, err error) int {
	if err == nil {
		l.PushBoolean(true)
		l.Insert(1)
		return l.Top()
	}
	switch kind, uerr := classify(l, err); kind {
	case errBroken:
		t.owner.broken = true
		panic(uerr)
	case errUncatchable:
		panic(uerr)
	}
	l.PushBoolean(false)
	l.Insert(-2)
	return 2
}

// sethook replaces debug.sethook: the engine's deadline owns the hook, so a script may only ask
// for no hook.
func sethook(l *glua.State) int {
	i := 1
	if l.IsThread(1) {
		i = 2
	}
	if !l.IsNoneOrNil(i) {
		raiseString(l, 1, "debug.sethook is not supported")
	}
	return 0
}

// gethook replaces debug.gethook: no script hook is ever set.
func gethook(l *glua.State) int { return 0 }
