package lua

import (
	"errors"
	"fmt"
	"runtime"

	glua "github.com/Shopify/go-lua"
)

// Error is a Lua error that no pcall caught.
type Error struct {
	// Message is the error as text: for a string (or number) error value it is that string,
	// which Lua prefixes with "chunk:line: " when error was called with a level; for other
	// values it reads "(error object is a table value)".
	Message string
	// Value is the error value itself: a string, float64, bool or nil, or go-lua's internal
	// value for tables, functions and userdata (push it back with L.PushLightUserData).
	Value any
	// Traceback is Lua's stack traceback at the point of the error (empty for syntax errors).
	Traceback string
}

// Error returns e.Message.
func (e *Error) Error() string { return e.Message }

// ErrTimeout is wrapped by the error Exec returns when the Config's Timeout ends a run.
var ErrTimeout = errors.New("lua: script timed out")

// errInternal marks a Go panic inside the VM; the state that had it is discarded.
var errInternal = errors.New("lua: internal error")

// errKilled unwinds a suspended coroutine whose owner is released or that became unreachable.
var errKilled = errors.New("lua: coroutine abandoned")

// errLua is the panic value that carries a Lua error; the error value is on the stack top, where
// go-lua's ProtectedCall takes it from.
var errLua = errors.New("lua error")

// uncatchable is a panic value that pcall, xpcall and coroutine.resume pass on instead of
// catching: Abort, the deadline, a cancelled context, an internal error. limit marks the
// deadline and the context, which Exec reports with the chunk's name.
type uncatchable struct {
	err   error
	limit bool
}

func (u *uncatchable) Error() string { return u.err.Error() }
func (u *uncatchable) Unwrap() error { return u.err }

// Abort unwinds the running script from inside a Go function so that no pcall can catch it; the
// Exec that runs the script returns err. It does not return.
func Abort(l *glua.State, err error) {
	if err == nil {
		err = errors.New("lua: aborted")
	}
	panic(&uncatchable{err: err})
}

// errorKind says what a recovered error means for the code that caught it.
type errorKind int

const (
	errCatchable   errorKind = iota // a Lua error; its value is on the stack top
	errUncatchable                  // pass it on (Abort, timeout, kill)
	errBroken                       // a Go panic inside the VM: pass it on and discard the state
)

// classify sorts an error returned by ProtectedCall. An error that is neither go-lua's nor ours
// came from a Go panic: a runtime.Error inside the VM breaks the state, any other error value
// (a Go function's panic(err)) becomes a Lua error carrying its text.
func classify(l *glua.State, err error) (errorKind, error) {
	var u *uncatchable
	var rt glua.RuntimeError
	switch {
	case errors.As(err, &u):
		return errUncatchable, u
	case err == errLua, errors.As(err, &rt), err == glua.ErrorError, err == glua.MemoryError,
		err == glua.SyntaxError, err == glua.FileError:
		return errCatchable, nil
	}
	var re runtime.Error
	if errors.As(err, &re) {
		return errBroken, &uncatchable{err: fmt.Errorf("%w: %v", errInternal, err)}
	}
	l.Pop(1)
	l.PushString(err.Error())
	return errCatchable, nil
}

// raise throws the value on the stack top as a Lua error, through go-lua's error path so that
// the active message handler runs. Where no handler of ours is installed (a Go caller's
// ProtectedCall with no handler), go-lua would turn a non-string value into a message, so the
// original value is restored and thrown as is.
func raise(l *glua.State) {
	l.CheckStack(3)
	top := l.Top()
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		var rt glua.RuntimeError
		if e, ok := r.(error); ok && errors.As(e, &rt) {
			l.SetTop(top)
			panic(errLua)
		}
		panic(r)
	}()
	l.Error()
}

// raiseString throws msg prefixed with the position of the Lua code at level (1: the caller of the
// running Go function).
func raiseString(l *glua.State, level int, msg string) {
	l.CheckStack(3)
	glua.Where(l, level)
	l.PushString(msg)
	l.Concat(2)
	raise(l)
}

// Protect wraps a Go function so that a Go panic inside it becomes a Lua error at the calling
// line ("t.lua:3: message") that pcall can catch, instead of an internal error that ends the Exec
// and discards the state and its VM. Lua errors and Abort pass through. The engine protects by itself the
// Go functions that Config.Setup leaves in the globals and in tables reachable from them (up
// to three levels down) or from package.loaded; use Protect for functions created later, such
// as closures returned to Lua.
func Protect(f glua.Function) glua.Function { return protectGo(f) }

// protectGo is Protect.
func protectGo(f glua.Function) glua.Function {
	return func(l *glua.State) int {
		defer recoverGo(l)
		return f(l)
	}
}

func recoverGo(l *glua.State) {
	r := recover()
	if r == nil {
		return
	}
	if e, ok := r.(error); ok && isLuaPanic(e) {
		panic(r)
	}
	msg := fmt.Sprint(r)
	if _, ok := r.(runtime.Error); ok {
		msg = "internal error: " + msg
	}
	raiseString(l, 1, msg)
}

// isLuaPanic reports whether a panic value is part of Lua's own unwinding.
func isLuaPanic(e error) bool {
	var u *uncatchable
	var rt glua.RuntimeError
	return e == errLua || errors.As(e, &u) || errors.As(e, &rt) || e == glua.ErrorError ||
		e == glua.MemoryError || e == glua.SyntaxError || e == glua.FileError
}

// newError builds the Error for the error value on the stack top.
func newError(l *glua.State, traceback string) *Error {
	e := &Error{Traceback: traceback}
	switch l.TypeOf(-1) {
	case glua.TypeString:
		e.Message, _ = l.ToString(-1)
		e.Value = e.Message
	case glua.TypeNumber:
		e.Value, _ = l.ToNumber(-1)
		e.Message, _ = l.ToString(-1)
	case glua.TypeNil:
		e.Message = "nil"
	case glua.TypeBoolean:
		e.Value = l.ToBoolean(-1)
		e.Message = fmt.Sprint(e.Value)
	default:
		e.Message = fmt.Sprintf("(error object is a %s value)", glua.TypeNameOf(l, -1))
		e.Value = l.ToValue(-1)
	}
	return e
}
