package stdlib

import (
	"fmt"
	"runtime"
	"time"

	glua "github.com/Shopify/go-lua"
)

// Options configures the functions that Open installs. The zero value is usable: print output is
// discarded, strings are not capped and the clock is time.Now.
type Options struct {
	// Print receives one line per call of Lua's print: the tostring of each argument, joined by tabs,
	// without a trailing newline. Nil discards the output (a server must not write to stdout).
	Print func(line string)
	// MaxBytes caps the length of a string built by table.concat, string.rep, string.format and
	// os.date; a longer result raises "resulting string too large". 0 means no cap.
	MaxBytes int
	// Now is the clock behind os.time() and os.date() without a time argument. Nil means time.Now.
	Now func() time.Time
}

// lib carries the per-state settings and state (random generator, gc counters) shared by the
// installed functions of one Lua state.
type lib struct {
	print    func(string)
	maxBytes int
	now      func() time.Time
	rand     *tw223
	gc       gcState
	trav     traversals
}

// Open installs goresty's versions of the standard-library functions into l, which must already
// have run glua.OpenLibraries. It replaces or adds: table.concat/insert/remove/unpack/maxn/getn/new/
// clear/nkeys and the global unpack; os.time/date/clock/difftime (and makes os.exit, os.execute,
// os.remove, os.rename, os.tmpname raise errors); io (see the package doc); string.upper/lower/
// reverse/rep/char/format/len/sub/byte; bit (LuaJIT's) and require "bit"; print, tostring,
// collectgarbage, next and pairs; the whole math library (math.random and math.randomseed with a
// generator owned by this state).
//
// Open leaves the stack as it found it. Every installed function turns a Go panic into a Lua error.
func Open(l *glua.State, o Options) {
	lb := &lib{print: o.Print, maxBytes: o.MaxBytes, now: o.Now, rand: newTW223(randomSeed())}
	if lb.now == nil {
		lb.now = time.Now
	}
	lb.gc = gcState{running: true, pause: 200, stepmul: 200}
	top := l.Top()
	defer l.SetTop(top)
	openTable(l, lb)
	openString(l, lb)
	openOS(l, lb)
	openIO(l)
	openBit(l)
	openBase(l, lb)
	openIteration(l, lb)
	openMath(l, lb)
}

// fn is one function to install into a library table.
type fn struct {
	name string
	f    glua.Function
}

// setFuncs stores fns, each wrapped by protect, into the table at the top of the stack.
func setFuncs(l *glua.State, fns []fn) {
	for _, f := range fns {
		pushFunction(l, f.f)
		l.SetField(-2, f.name)
	}
}

// pushFunction pushes f wrapped by protect. go-lua names the function in "bad argument" errors
// by looking for it among the globals, which it can do only for a Go function with upvalues, so
// the function gets one it does not use.
func pushFunction(l *glua.State, f glua.Function) {
	l.PushBoolean(true)
	l.PushGoClosure(protect(f), 1)
}

// pushLib pushes the global table name, creating it (and package.loaded[name]) if missing.
func pushLib(l *glua.State, name string) {
	l.Global(name)
	if l.IsTable(-1) {
		return
	}
	l.Pop(1)
	l.NewTable()
	l.PushValue(-1)
	l.SetGlobal(name)
	setLoaded(l, name, -1)
}

// setLoaded sets package.loaded[name] to the value at index idx.
func setLoaded(l *glua.State, name string, idx int) {
	idx = l.AbsIndex(idx)
	glua.SubTable(l, glua.RegistryIndex, "_LOADED")
	l.PushValue(idx)
	l.SetField(-2, name)
	l.Pop(1)
}

// protect wraps f so that a Go panic inside it becomes a Lua error at the caller's line. Lua errors
// (and any other error value, such as an engine's abort) are errors already and pass through.
func protect(f glua.Function) glua.Function {
	return func(l *glua.State) int {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if _, isErr := r.(error); isErr {
				if _, isRuntime := r.(runtime.Error); !isRuntime {
					panic(r)
				}
			}
			glua.Errorf(l, "%s", fmt.Sprintf("internal error: %v", r))
		}()
		return f(l)
	}
}

// errorf raises a Lua error whose message is msg (which may contain '%') prefixed by the position.
func errorf(l *glua.State, format string, a ...any) {
	glua.Errorf(l, "%s", fmt.Sprintf(format, a...))
}

// checkCap raises "resulting string too large" when n bytes would exceed the configured cap.
func (lb *lib) checkCap(l *glua.State, n int) {
	if n < 0 || (lb.maxBytes > 0 && n > lb.maxBytes) {
		glua.Errorf(l, "resulting string too large")
	}
}
