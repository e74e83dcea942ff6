package ngxlua

import (
	"strings"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

// lua-nginx-module gives Lua code its own coroutine functions, which behave by context:
//
//   - In the entry threads of rewrite, access and content and in timers, which run as
//     coroutines themselves, create and wrap take Lua functions only ("Lua function expected"),
//     the entry thread may yield (it resumes at once), and an error in a wrapped coroutine ends
//     the entry thread (WrapError).
//   - In set_by_lua and log_by_lua they check their arguments as there, then refuse ("API
//     disabled in the context of log_by_lua*").
//   - In the filters and init they are LuaJIT's own: a Go function makes a coroutine too, and
//     the main thread cannot yield ("attempt to yield across C-call boundary").
//
// Everywhere coroutine.running is LuaJIT's (the running coroutine alone, nil on a main thread,
// which an entry thread is not) and there is no coroutine.isyieldable.
//
// openCoroutine wraps the engine's coroutine functions accordingly; each wrapper keeps the
// engine's function as its first upvalue.
func openCoroutine(l *glua.State) {
	l.Global("coroutine")
	for _, f := range []struct {
		name string
		fn   glua.Function
	}{
		{"create", coCreate},
		{"wrap", coCreate},
		{"resume", coResume},
		{"status", coStatus},
	} {
		l.Field(-1, f.name)
		l.PushGoClosure(f.fn, 1)
		l.SetField(-2, f.name)
	}
	l.Field(-1, "running")
	l.PushValue(-1)
	l.PushGoClosure(coRunning, 1)
	l.SetField(-3, "running")
	l.PushGoClosure(coYield, 1) // upvalue: the engine's running
	l.SetField(-2, "yield")
	l.PushNil()
	l.SetField(-2, "isyieldable")
	l.Pop(1)
}

// coMode is how the coroutine functions behave where they run.
type coMode uint8

const (
	coLuaJIT   coMode = iota // filters, init: LuaJIT's functions
	coEntry                  // rewrite, access, content, timers: lua-nginx-module's
	coDisabled               // set, log: lua-nginx-module's, disabled
)

func coroutineMode(l *glua.State) (coMode, ngx.Phase) {
	switch _, p := running(l); p {
	case ngx.PhaseRewrite, ngx.PhaseAccess, ngx.PhaseContent, ngx.PhaseTimer:
		return coEntry, p
	case ngx.PhaseSet, ngx.PhaseLog:
		return coDisabled, p
	default:
		return coLuaJIT, p
	}
}

// inEntryThread reports whether the running code belongs to an entry thread (rewrite, access,
// content, a timer).
func inEntryThread(l *glua.State) bool {
	mode, _ := coroutineMode(l)
	return mode == coEntry
}

// callUpvalue calls upvalue 1 with the function's arguments and returns all its results.
func callUpvalue(l *glua.State) int {
	n := l.Top()
	l.PushValue(glua.UpValueIndex(1))
	l.Insert(1)
	l.Call(n, glua.MultipleReturns)
	return l.Top()
}

// coCreate is coroutine.create and coroutine.wrap.
func coCreate(l *glua.State) int {
	mode, p := coroutineMode(l)
	switch {
	case mode == coLuaJIT:
		if l.TypeOf(1) != glua.TypeFunction {
			typeError(l, 1, "function")
		}
	case l.TypeOf(1) != glua.TypeFunction || l.IsGoFunction(1):
		argError(l, 1, "Lua function expected")
	case mode == coDisabled:
		disabled(l, p)
	}
	return callUpvalue(l)
}

// checkThread raises lua-nginx-module's argument error unless argument 1 is a coroutine.
func checkThread(l *glua.State) {
	if l.TypeOf(1) != glua.TypeThread {
		argError(l, 1, "coroutine expected")
	}
}

// coResume is coroutine.resume.
func coResume(l *glua.State) int {
	checkThread(l)
	if mode, p := coroutineMode(l); mode == coDisabled {
		disabled(l, p)
	}
	return callUpvalue(l)
}

// coStatus is coroutine.status.
func coStatus(l *glua.State) int {
	checkThread(l)
	if st, ok := threadStatus(l); ok {
		l.PushString(st)
		return 1
	}
	return callUpvalue(l)
}

// onMainThread calls the engine's coroutine.running, at upvalue index up, and reports whether
// the code runs on the State's own thread rather than in a coroutine it made.
func onMainThread(l *glua.State, up int) bool {
	l.PushValue(glua.UpValueIndex(up))
	l.Call(0, 2)
	main := l.ToBoolean(-1)
	l.Pop(2)
	return main
}

// coRunning is LuaJIT's coroutine.running: the running coroutine, or nil on a main thread,
// which an entry thread is not.
func coRunning(l *glua.State) int {
	l.PushValue(glua.UpValueIndex(1))
	l.Call(0, 2)
	if l.ToBoolean(-1) && !inEntryThread(l) {
		l.PushNil()
		return 1
	}
	l.Pop(1)
	return 1
}

// coYield is coroutine.yield. An entry thread's own yield returns at once, with no values.
func coYield(l *glua.State) int {
	mode, p := coroutineMode(l)
	switch {
	case mode == coDisabled:
		disabled(l, p)
	case onMainThread(l, 1):
		if mode == coEntry {
			return 0
		}
		l.PushString("attempt to yield across C-call boundary") // LuaJIT's words, no position
		l.Error()
	}
	return lua.Yield(l)
}

// WrapError is the engine's Config.WrapError: in an entry thread, the error of a coroutine made
// by coroutine.wrap ends the entry thread, as lua-nginx-module (since 0.10.12) passes it to
// the parent coroutine, which no pcall there catches. The error-log line lists both
// coroutines, the failed one first ("coroutine 0:") and the entry thread below it
// ("coroutine 1:"). Elsewhere the error propagates as LuaJIT's coroutine.wrap propagates it.
func WrapError(l *glua.State, coTraceback string) {
	if !inEntryThread(l) {
		return
	}
	msg := "unknown reason"
	switch l.TypeOf(-1) {
	case glua.TypeString, glua.TypeNumber:
		msg = toString(l, -1)
	}
	lua.Abort(l, &wrappedError{
		msg:    msg,
		co:     postMortem(strings.TrimPrefix(coTraceback, "stack traceback:")),
		parent: strings.TrimPrefix(lua.Traceback(l, "", 0), "stack traceback:"), // from the wrap function
	})
}

// wrappedError is the error that a failed coroutine.wrap coroutine ends its entry thread with.
type wrappedError struct {
	msg        string
	co, parent string // the frames of each, one "\n\t..." line per frame
}

func (e *wrappedError) Error() string {
	return "runtime error: " + e.msg + "\nstack traceback:\ncoroutine 0:" + e.co + "\ncoroutine 1:" + e.parent
}
