package lua

import (
	glua "github.com/Shopify/go-lua"
)

// The coroutine library: coroutine.create/resume/yield/status/wrap/running/isyieldable.

var coroutineLibrary = []glua.RegistryFunction{
	{Name: "create", Function: coCreate},
	{Name: "resume", Function: coResume},
	{Name: "yield", Function: yield},
	{Name: "status", Function: coStatusFn},
	{Name: "wrap", Function: coWrap},
	{Name: "running", Function: coRunningFn},
	{Name: "isyieldable", Function: coIsYieldable},
}

func coCreate(l *glua.State) int {
	newCoroutine(l)
	return 1
}

// checkCoroutine returns the coroutine at index i; main is true for a State's own thread, and
// c is nil for a thread that is neither (a coroutine of an earlier user of the State: dead).
func checkCoroutine(l *glua.State, i int) (c *coroutine, main bool) {
	id := l.ToThread(i)
	if id == nil {
		glua.ArgumentError(l, i, "coroutine expected")
	}
	s := Current(l)
	if id == s.L {
		return nil, true
	}
	return s.coros.lookup(id), false
}

func coResume(l *glua.State) int {
	c, main := checkCoroutine(l, 1)
	msg := resumable(c, main)
	if msg == "" {
		msg = c.owner.resumeLimit(l, c)
	}
	if msg != "" {
		l.PushBoolean(false)
		l.PushString(msg)
		return 2
	}
	r := c.owner.resume(l, c, l.ToThread(1), l.Top()-1)
	switch r.kind {
	case msgYield, msgReturn:
		l.SetTop(0)
		l.PushBoolean(true)
		c.owner.unstash(l, r.n)
		return r.n + 1
	case msgError:
		l.SetTop(0)
		l.PushBoolean(false)
		c.owner.unstash(l, 1)
		return 2
	}
	panic(r.err)
}

// resumable returns why c cannot be resumed, or "".
func resumable(c *coroutine, main bool) string {
	switch {
	case c == nil && !main, c != nil && c.status == coDead:
		return "cannot resume dead coroutine"
	case main, c.status != coSuspended:
		return "cannot resume non-suspended coroutine"
	}
	return ""
}

func coStatusFn(l *glua.State) int {
	c, main := checkCoroutine(l, 1)
	switch {
	case main && threadOf(l).co == nil:
		l.PushString("running")
	case main:
		l.PushString("normal")
	case c == nil:
		l.PushString("dead")
	default:
		l.PushString(statusNames[c.status])
	}
	return 1
}

func coWrap(l *glua.State) int {
	newCoroutine(l)
	l.PushGoClosure(protectGo(wrapped), 1)
	return 1
}

// wrapped is the function coroutine.wrap returns: it resumes its coroutine and propagates an
// error, prefixing a string error with the caller's position as Lua 5.2 does.
func wrapped(l *glua.State) int {
	c, main := checkCoroutine(l, glua.UpValueIndex(1))
	msg := resumable(c, main)
	if msg == "" {
		msg = c.owner.resumeLimit(l, c)
	}
	if msg != "" {
		raiseString(l, 1, msg)
	}
	r := c.owner.resume(l, c, l.ToThread(glua.UpValueIndex(1)), l.Top())
	switch r.kind {
	case msgYield, msgReturn:
		c.owner.unstash(l, r.n)
		return r.n
	case msgError:
		c.owner.unstash(l, 1)
		if hook := c.owner.engine.cfg.WrapError; hook != nil {
			hook(l, c.traceback)
		}
		if t := l.TypeOf(-1); t == glua.TypeString || t == glua.TypeNumber {
			glua.Where(l, 1)
			l.Insert(-2)
			l.Concat(2)
		}
		raise(l)
	}
	panic(r.err)
}

func coRunningFn(l *glua.State) int {
	if t := threadOf(l); t.co != nil && t.id != nil {
		l.PushLightUserData(t.id)
		l.PushBoolean(false)
		return 2
	}
	l.PushThread()
	l.PushBoolean(true)
	return 2
}

func coIsYieldable(l *glua.State) int {
	l.PushBoolean(threadOf(l).co != nil)
	return 1
}

// traceback replaces debug.traceback so that it also walks a suspended coroutine's stack.
func traceback(l *glua.State) int {
	arg, l1 := 1, l
	if l.IsThread(1) {
		arg = 2
		l1 = tracebackThread(l, l.ToThread(1))
	}
	msg, isString := l.ToString(arg)
	if !isString && !l.IsNoneOrNil(arg) {
		l.PushValue(arg)
		return 1
	}
	level := 0
	if l1 == l {
		level = 1
	}
	level = glua.OptInteger(l, arg+1, level)
	if l1 == nil {
		if msg != "" {
			msg += "\n"
		}
		l.PushString(msg + "stack traceback:")
		return 1
	}
	if l1 == l {
		l.PushString(Traceback(l, msg, level))
	} else {
		l.PushString(foreignTraceback(l1, msg, level))
	}
	return 1
}

// foreignTraceback builds the traceback of another (parked) thread on that thread's own stack:
// go-lua's Traceback(l, l1) looks l1's frames up in l's stack.
func foreignTraceback(l1 *glua.State, msg string, level int) (tb string) {
	top := l1.Top()
	defer func() {
		if recover() != nil {
			tb = msg + "\nstack traceback:\n\t?"
		}
		l1.SetTop(top)
	}()
	l1.CheckStack(4)
	return Traceback(l1, msg, level)
}

// tracebackThread returns the go-lua state holding the stack of thread id, or nil when it has
// none (not started, dead or unknown).
func tracebackThread(l, id *glua.State) *glua.State {
	if threadOf(id) != nil {
		return id
	}
	s := Current(l)
	if c := s.coros.lookup(id); c != nil && c.w != nil {
		return c.w.t.L
	}
	return nil
}
