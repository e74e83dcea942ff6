package lua

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	glua "github.com/Shopify/go-lua"
)

// go-lua's VM cannot yield, so a coroutine runs on a worker: a goroutine with its own go-lua
// state, a thread of the owner's VM. The resumer and the worker hand control to each other over
// two channels, so exactly one of them runs at a time; values cross between their stacks
// unchanged through the VM's xfer table. Idle workers belong to the VM, ready for a coroutine of
// any of its States. Lua sees a coroutine as a thread value: an otherwise unused *glua.State that only
// identifies it. When that value becomes unreachable, or the owner is released, a suspended
// coroutine is unwound and its worker reused.

type coStatus uint8

const (
	coSuspended coStatus = iota
	coRunning
	coNormal
	coDead
)

var statusNames = [...]string{"suspended", "running", "normal", "dead"}

// coroutine is one Lua coroutine. It never references its identity, so that the identity can be
// collected while the coroutine is suspended; a resumer passes the identity along while the
// coroutine runs.
type coroutine struct {
	owner  *State
	fn     any // the body, until the first resume
	status coStatus
	w      *worker // from the first resume until the coroutine dies
	key    uintptr // address of the identity: its key in coroutines.byID
	// watched is set once a GC cleanup watches the identity (from the first yield on: only
	// a suspended coroutine holds a goroutine).
	watched bool
	// traceback is the stack traceback of the error that ended the coroutine, if one did.
	traceback string
}

type msgKind uint8

const (
	msgStart  msgKind = iota // to a worker: run coroutine c with n arguments
	msgResume                // to a worker: return n values from yield
	msgKill                  // to a worker: unwind the suspended coroutine
	msgQuit                  // to an idle worker: exit
	msgYield                 // from a worker: the coroutine yielded n values
	msgReturn                // from a worker: the coroutine returned n values
	msgError                 // from a worker: the coroutine raised a Lua error (1 value)
	msgAbort                 // from a worker: an uncatchable error ended the coroutine
)

type message struct {
	kind msgKind
	n    int
	c    *coroutine
	id   *glua.State // the identity of the coroutine being resumed
	err  error
}

// worker is a goroutine and a go-lua state that run coroutines, one at a time, for the States
// of one VM.
type worker struct {
	t   *thread
	in  chan message
	out chan message
}

// maxIdleWorkers bounds the workers a VM keeps parked for its next coroutines.
const maxIdleWorkers = 8

// maxWorkers bounds the coroutines of one State that are alive at once (each holds a goroutine
// and a go-lua state while suspended); maxResumeDepth bounds coroutines resuming coroutines, as
// Lua's C-stack limit does.
const (
	maxWorkers     = 10000
	maxResumeDepth = 200
)

// coroutines is a State's coroutine bookkeeping.
type coroutines struct {
	mu sync.Mutex // guards byID and abandoned: GC cleanups add to abandoned
	// byID holds the coroutines that are not dead, by the address of their identity; an
	// identity that is not there is a dead coroutine.
	byID      map[uintptr]*coroutine
	abandoned []*coroutine
	busy      int // workers running or holding a suspended coroutine of this State
	// used is set when the State's user creates a coroutine, and cleared by killAll; it is
	// read and written only by the goroutines that run the State, in turn.
	used bool
}

func (cs *coroutines) register(c *coroutine) {
	cs.used = true
	cs.mu.Lock()
	if cs.byID == nil {
		cs.byID = map[uintptr]*coroutine{}
	}
	cs.byID[c.key] = c
	cs.mu.Unlock()
}

func (cs *coroutines) forget(c *coroutine) {
	cs.mu.Lock()
	if cs.byID[c.key] == c {
		delete(cs.byID, c.key)
	}
	cs.mu.Unlock()
}

func (cs *coroutines) lookup(id *glua.State) *coroutine {
	cs.mu.Lock()
	c := cs.byID[uintptr(unsafe.Pointer(id))]
	cs.mu.Unlock()
	return c
}

// abandon runs when c's identity has been collected; c is unwound at the next reap.
func (cs *coroutines) abandon(c *coroutine) {
	cs.mu.Lock()
	if cs.byID[c.key] == c {
		delete(cs.byID, c.key)
	}
	cs.abandoned = append(cs.abandoned, c)
	cs.mu.Unlock()
}

// reap unwinds the suspended coroutines whose identities were collected.
func (cs *coroutines) reap(s *State) {
	cs.mu.Lock()
	list := cs.abandoned
	cs.abandoned = nil
	cs.mu.Unlock()
	for _, c := range list {
		s.kill(c)
	}
}

// killAll unwinds every suspended coroutine and forgets all coroutines: their identities read as
// dead from now on.
func (cs *coroutines) killAll(s *State) {
	cs.used = false
	cs.mu.Lock()
	list := cs.abandoned
	for _, c := range cs.byID {
		list = append(list, c)
	}
	cs.byID, cs.abandoned = nil, nil
	cs.mu.Unlock()
	for _, c := range list {
		s.kill(c)
	}
}

// getWorker returns an idle worker of s's VM, or a new one, to run a coroutine of s. The VM is
// held.
func (s *State) getWorker() *worker {
	v := s.vm
	var w *worker
	if n := len(v.coWorkers); n > 0 {
		w = v.coWorkers[n-1]
		v.coWorkers[n-1] = nil
		v.coWorkers = v.coWorkers[:n-1]
	} else {
		w = newWorker(s)
	}
	if w.t.owner != s {
		w.t.owner = s
		glua.SetDebugHook(w.t.L, nil, 0, 0) // applyHook installs s's own
	}
	s.coros.busy++
	return w
}

// putWorker takes back the worker of a coroutine of s that died. The VM is held.
func (s *State) putWorker(w *worker, broken bool) {
	s.coros.busy--
	v := s.vm
	if broken || w.t.grown || len(v.coWorkers) >= maxIdleWorkers {
		w.quit()
		return
	}
	v.coWorkers = append(v.coWorkers, w)
}

// newWorker starts a worker whose state is a thread of s's VM.
func newWorker(s *State) *worker {
	w := &worker{in: make(chan message), out: make(chan message)}
	w.t = newThread(newThreadOf(s.vm.root.L), s)
	w.t.w = w
	go w.loop()
	return w
}

func (w *worker) quit() {
	w.in <- message{kind: msgQuit}
	w.t.unregister()
}

func (w *worker) loop() {
	for m := range w.in {
		switch m.kind {
		case msgQuit:
			return
		case msgStart:
			w.t.id = m.id
			w.out <- w.run(m.c, m.n)
		}
	}
}

// run executes coroutine c's body with the n arguments waiting in the xfer table.
func (w *worker) run(c *coroutine, n int) (reply message) {
	t, s := w.t, c.owner
	l := t.L
	defer func() {
		if r := recover(); r != nil {
			reply = message{kind: msgAbort, err: &uncatchable{err: errInternal}}
		}
		t.handlers = t.handlers[:0]
		t.id = nil
	}()
	l.SetTop(0)
	l.PushLightUserData(t.dispatcher)
	t.applyHook()
	l.PushLightUserData(c.fn)
	c.fn = nil
	s.unstash(l, n)
	err := t.protectedCall(l, n, glua.MultipleReturns, handler{kind: handleTraceback})
	defer l.SetTop(0)
	if err == nil {
		n := l.Top() - handlerSlot
		s.stash(l, n)
		return message{kind: msgReturn, n: n}
	}
	switch kind, uerr := classify(l, err); kind {
	case errCatchable:
		c.traceback, t.traceback = t.traceback, ""
		s.stash(l, 1)
		return message{kind: msgError, n: 1}
	default:
		return message{kind: msgAbort, err: uerr}
	}
}

// resumeLimit returns why resuming c from l would exceed a limit, or "".
func (s *State) resumeLimit(l *glua.State, c *coroutine) string {
	if threadOf(l).depth >= maxResumeDepth {
		return "C stack overflow"
	}
	if c.w == nil && s.coros.busy >= maxWorkers {
		return fmt.Sprintf("too many coroutines alive (limit %d)", maxWorkers)
	}
	return ""
}

// resume hands control to c, whose identity is id, with the n values on top of l's stack and
// waits until c yields, returns, fails or is aborted. The caller checked that c is suspended.
func (s *State) resume(l *glua.State, c *coroutine, id *glua.State, n int) message {
	cur := threadOf(l)
	m := message{kind: msgResume, n: n, id: id}
	if c.w == nil {
		c.w = s.getWorker()
		c.w.t.co = c
		m = message{kind: msgStart, n: n, c: c, id: id}
	}
	s.stash(l, n)
	if cur.co != nil {
		cur.co.status = coNormal
	}
	c.status = coRunning
	c.w.t.depth = cur.depth + 1
	c.w.in <- m
	r := <-c.w.out
	if cur.co != nil {
		cur.co.status = coRunning
	}
	if r.kind == msgYield {
		c.status = coSuspended
		if !c.watched {
			c.watched = true
			runtime.AddCleanup(id, func(c *coroutine) { c.owner.coros.abandon(c) }, c)
		}
		return r
	}
	s.finish(c, r)
	return r
}

// finish marks c dead and takes its worker back.
func (s *State) finish(c *coroutine, r message) {
	c.status = coDead
	s.coros.forget(c)
	w := c.w
	c.w, c.fn = nil, nil
	if w == nil {
		return
	}
	w.t.co = nil
	s.putWorker(w, r.kind == msgAbort && errors.Is(r.err, errInternal))
}

// kill unwinds c if it is suspended inside a yield, and marks it dead.
func (s *State) kill(c *coroutine) {
	if c.status != coSuspended || c.w == nil {
		if c.status == coSuspended {
			c.status, c.fn = coDead, nil
		}
		return
	}
	c.w.in <- message{kind: msgKill}
	s.finish(c, <-c.w.out)
}

// Yield is coroutine.yield, for a Go function that stands for it (as ngxlua's does): it
// yields every value on l's stack. Called directly, not through l.Call, it leaves no frame of
// its own on the suspended coroutine's stack, which tracebacks and debug.getinfo would show.
func Yield(l *glua.State) int { return yield(l) }

// yield is coroutine.yield: it hands its arguments to the resumer and blocks until resumed.
func yield(l *glua.State) int {
	t := threadOf(l)
	if t == nil || t.co == nil {
		l.PushString("attempt to yield from outside a coroutine")
		raise(l)
	}
	s, w := t.owner, t.w
	n := l.Top()
	s.stash(l, n)
	t.id = nil
	w.out <- message{kind: msgYield, n: n}
	m := <-w.in
	if m.kind == msgKill {
		panic(&uncatchable{err: errKilled})
	}
	t.id = m.id
	t.applyHook()
	s.unstash(l, m.n)
	return m.n
}

// newCoroutine creates a suspended coroutine running the function at index 1 and pushes its
// identity.
func newCoroutine(l *glua.State) *coroutine {
	glua.CheckType(l, 1, glua.TypeFunction)
	s := Current(l)
	s.coros.reap(s)
	id := new(glua.State)
	c := &coroutine{owner: s, fn: l.ToValue(1), key: uintptr(unsafe.Pointer(id))}
	s.coros.register(c)
	l.PushLightUserData(id)
	return c
}

// stash moves the n values on top of l's stack into the xfer table, popping them.
func (s *State) stash(l *glua.State, n int) {
	if n <= 0 {
		return
	}
	l.CheckStack(2)
	base := l.Top() - n
	l.PushLightUserData(s.vm.xfer)
	for i := 1; i <= n; i++ {
		l.PushValue(base + i)
		l.RawSetInt(-2, i)
	}
	l.SetTop(base)
}

// unstash pushes the n values waiting in the xfer table and clears them there.
func (s *State) unstash(l *glua.State, n int) {
	if n <= 0 {
		return
	}
	if !l.CheckStack(n + 2) {
		raiseString(l, 1, "too many results to resume")
	}
	l.PushLightUserData(s.vm.xfer)
	x := l.Top()
	for i := 1; i <= n; i++ {
		l.RawGetInt(x, i)
	}
	for i := 1; i <= n; i++ {
		l.PushNil()
		l.RawSetInt(x, i)
	}
	l.Remove(x)
}
