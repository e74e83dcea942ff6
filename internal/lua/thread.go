package lua

import (
	"strings"
	"sync"

	glua "github.com/Shopify/go-lua"
)

// thread is the engine's bookkeeping for one go-lua state: a State's own L, or the L of a worker
// that runs coroutines for a State. One goroutine at a time uses a thread.
type thread struct {
	L     *glua.State
	owner *State
	// handlers is the stack of message handlers of the active pcall, xpcall and Exec calls;
	// the dispatcher that go-lua calls on an error runs the top one.
	handlers []handler
	// co is the coroutine running on this thread (worker threads only), and id its identity
	// while it runs.
	co *coroutine
	id *glua.State
	// depth counts the coroutines resuming one another down to this one (0: not a coroutine).
	depth int
	// w is the worker that owns this thread (worker threads only).
	w *worker
	// traceback is the traceback captured by the last error that reached Exec's handler.
	traceback string
	// dispatcher is the Go function value of dispatch, kept to push it without allocating.
	dispatcher any
	// handlerFrames holds where the dispatch frames that run an xpcall handler stand, counted
	// from the bottom of the stack, for Traceback to leave them out.
	handlerFrames []int
	// grown is set when the stack overflowed: go-lua never shrinks a grown stack, so the
	// thread is not reused.
	grown bool
}

// threads maps every go-lua state the engine created to its thread.
var threads sync.Map

func threadOf(l *glua.State) *thread {
	v, _ := threads.Load(l)
	t, _ := v.(*thread)
	return t
}

// Current returns the State that l belongs to: the state itself or any coroutine running for it.
// It returns nil for a go-lua state the engine did not create.
func Current(l *glua.State) *State {
	if t := threadOf(l); t != nil {
		return t.owner
	}
	return nil
}

type handlerKind uint8

const (
	handlePlain     handlerKind = iota // pcall, coroutine body: keep the value
	handleTraceback                    // Exec: keep the value and record a traceback
	handleUser                         // xpcall: replace the value by the handler's result
)

type handler struct {
	kind  handlerKind
	fn    any // the xpcall handler (go-lua's internal value)
	depth int // errors raised inside the handler call it again, up to maxHandlerDepth
	// main is the main function of a nested Exec (go-lua's value), where its traceback ends:
	// a body filter run by ngx.say traces back to its own main chunk only.
	main any
}

// maxHandlerDepth bounds the recursion of an xpcall handler that itself raises errors; past it
// the error becomes "error in error handling", as Lua's C-stack limit makes it.
const maxHandlerDepth = 20

// handlerSlot is the stack index of the dispatcher. go-lua reads the error-handler index of
// ProtectedCall as an absolute stack slot, so the dispatcher lives at slot 1 of the base frame
// and every protected call names index 1 (which is slot 1 only at the base, where it is set up).
const handlerSlot = 1

// newThread registers l as a thread of owner.
func newThread(l *glua.State, owner *State) *thread {
	t := &thread{L: l, owner: owner}
	l.PushGoFunction(t.dispatch)
	t.dispatcher = l.ToValue(-1)
	l.Pop(1)
	threads.Store(l, t)
	return t
}

func (t *thread) dispatchValue() any { return t.dispatcher }

func (t *thread) unregister() { threads.Delete(t.L) }

func (t *thread) pushHandler(h handler) { t.handlers = append(t.handlers, h) }

func (t *thread) popHandler() {
	t.handlers[len(t.handlers)-1] = handler{}
	t.handlers = t.handlers[:len(t.handlers)-1]
}

// protectedCall runs ProtectedCall with the dispatcher as message handler and h as the handler.
func (t *thread) protectedCall(l *glua.State, nargs, nresults int, h handler) error {
	t.pushHandler(h)
	err := l.ProtectedCall(nargs, nresults, handlerSlot)
	t.popHandler()
	return err
}

// dispatch is the message handler go-lua calls with the error value; it runs the active handler
// and then throws, so go-lua never converts the value to a string.
func (t *thread) dispatch(l *glua.State) int {
	if len(t.handlers) == 0 {
		panic(errLua)
	}
	if l.TypeOf(1) == glua.TypeString {
		normalizeMessage(l)
		if msg, _ := l.ToString(1); strings.Contains(msg, "stack overflow") {
			t.grown = true
			if t == t.owner.main {
				t.owner.retire = true
			}
		}
	}
	h := &t.handlers[len(t.handlers)-1]
	switch h.kind {
	case handleTraceback:
		t.traceback = tracebackTo(l, "", 1, h.main)
	case handleUser:
		if h.depth++; h.depth > maxHandlerDepth {
			l.SetTop(0)
			l.PushString("error in error handling")
			panic(errLua)
		}
		l.SetTop(1)
		l.PushLightUserData(h.fn)
		l.Insert(1)
		t.callHandler(l)
	}
	panic(errLua)
}

// callHandler calls the xpcall handler below its argument, recording where the dispatch frame
// stands while it runs.
func (t *thread) callHandler(l *glua.State) {
	t.handlerFrames = append(t.handlerFrames, lastLevel(l))
	defer func() { t.handlerFrames = t.handlerFrames[:len(t.handlerFrames)-1] }()
	l.Call(1, 1)
}

// normalizeMessage rewrites the string error value at index 1 where go-lua words it unlike Lua
// 5.2 (see luaMessage). A global function named in an argument error is found through _G, in
// map order, and may read "bad argument #1 to '_G.rawget'"; Lua names it 'rawget'.
func normalizeMessage(l *glua.State) {
	msg, _ := l.ToString(1)
	fixed, done := tailCallMessage(l, msg)
	if !done {
		fixed, done = goCallerMessage(l, msg)
	}
	if !done {
		fixed = luaMessage(l, msg)
	}
	if i := strings.Index(fixed, "bad argument #"); i >= 0 && strings.Contains(fixed[i:], " to '_G.") {
		fixed = strings.Replace(fixed, " to '_G.", " to '", 1)
	}
	if fixed != msg {
		l.PushString(fixed)
		l.Replace(1)
	}
}
