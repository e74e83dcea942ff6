package lua

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	glua "github.com/Shopify/go-lua"
)

// State is what one request runs Lua code on: a lightweight thread of one of the engine's VMs,
// sharing that VM's globals, registry and loaded modules with the VM's other States, with its
// own stack, coroutines and Data. The caller holds it from Acquire to Release; it serves one
// Exec at a time (or nested ones, from Go functions the Exec calls).
type State struct {
	// L is the go-lua state, for Go code that pushes values or reads results.
	L *glua.State
	// Data is per-request data for Go functions (for example the ngx request); Current(l).Data
	// reaches it from inside any Go function, also in coroutines. Release clears it.
	Data any

	engine *Engine
	vm     *vm
	main   *thread
	kind   fixKind
	// held counts the Execs of this State that hold the VM (nested ones count too); 0 while
	// no Exec runs, or while Wait has given the VM up.
	held  int
	run   execContext
	coros coroutines
	// broken is set by an internal error; the state and its VM are discarded at Release.
	broken bool
	// retire is set when the state should not be reused (its stack grew to the limit); it
	// stays usable until Release, which discards it.
	retire bool
	// slotless is set on a Sibling: it holds no MaxStates slot (its parent's stands for it).
	slotless bool
	// parent is the State a Sibling was made from.
	parent *State
	hook   glua.Hook
	// atRelease holds what OnRelease registered, run at Release.
	atRelease []func()
	// waiter is told of the State's Waits (SetWaiter).
	waiter Waiter
	// Threads is ngx.thread's bookkeeping of the light threads an Exec of this State spawned;
	// Release clears it.
	Threads any
}

// Waiter is told when a State gives its VM up in Wait and when it has it back: ngx.thread
// schedules its light threads so.
type Waiter interface {
	// Parked: the State gave the VM up and is about to wait.
	Parked()
	// Unparking: the wait ended and the State is about to take the VM back (it does not hold
	// it yet, so it may wait here for its turn).
	Unparking()
	// Resumed: the State holds the VM again. An error ends the State's Lua code as Abort does
	// (the light thread was killed, or another one called ngx.exit).
	Resumed() error
}

// SetWaiter makes w the Waiter of s until s is released.
func (s *State) SetWaiter(w Waiter) { s.waiter = w }

// Waiter returns the Waiter of s, or nil.
func (s *State) Waiter() Waiter { return s.waiter }

// Root returns the State s is a Sibling of, through every level, or s itself.
func (s *State) Root() *State {
	for s.parent != nil {
		s = s.parent
	}
	return s
}

// OnRelease registers f to run when s is released, after its request: what a request holds
// outside Lua (a cosocket's connection) ends with it, as nginx cleans up a request's
// resources when it finishes.
func (s *State) OnRelease(f func()) { s.atRelease = append(s.atRelease, f) }

// execContext is what the running Exec set: its environment and its limits.
type execContext struct {
	// env is the environment that load and loadstring give the chunks they load: the Exec's
	// _ENV, or, for a chunk that reads the globals directly (not Chunk.wrapped, lazy set), a
	// fresh table made when a load first needs one (execEnv).
	env      any
	lazy     bool
	ctx      context.Context
	done     <-chan struct{}
	deadline time.Time
}

// hookCount is how many VM instructions run between two checks of the deadline and context.
const hookCount = 1000

// newState returns a State of v running on l (v's root state, or a thread of it).
func newState(v *vm, l *glua.State) *State {
	s := &State{L: l, engine: v.engine, vm: v, kind: v.engine.kind}
	s.main = newThread(l, s)
	s.hook = s.checkLimits
	return s
}

// Worker returns the slot of the State's VM (ngx.worker.id), and false on the template VM
// that runs Init.
func (s *State) Worker() (int, bool) { return s.vm.id, s.vm.id >= 0 }

// Engine returns the engine the State belongs to.
func (s *State) Engine() *Engine { return s.engine }

var errBrokenState = errors.New("lua: state had an internal error and must be released")

// Exec loads c into this state's VM (first use only), runs it with a fresh _ENV table whose
// __index is the VM's globals (so globals never leak between Exec calls), and leaves nresults
// results on s.L's stack (nresults may be glua.MultipleReturns). A chunk that only reads
// globals runs on the globals themselves, which reads the same (only debug.getupvalue could
// tell). Exec holds the VM while the chunk runs (see Wait). It returns *Error for an uncaught
// Lua error, the error given to Abort, or an error wrapping ErrTimeout / ctx.Err() when the
// deadline or ctx ends the run.
func (s *State) Exec(ctx context.Context, c *Chunk, nresults int) error {
	return s.exec(ctx, c, nresults, nil)
}

// exec is Exec with env as the chunk's _ENV, or a fresh environment when env is nil.
func (s *State) exec(ctx context.Context, c *Chunk, nresults int, env any) error {
	if s.broken {
		return errBrokenState
	}
	if c == nil {
		return errors.New("lua: Exec of a nil chunk")
	}
	return s.holding(c.name, func() error {
		fn, err := s.load(c)
		if err != nil {
			return err
		}
		return s.call(ctx, c.name, nresults, func(l *glua.State) int {
			if c.wrapped && glua.DebugHook(l) != nil {
				glua.SetDebugHook(l, nil, 0, 0) // the factory call in pushMain is not protected
			}
			s.pushMain(c, fn, env)
			return 0
		})
	})
}

// holding runs f with the VM held; a Go panic in it (inside the VM itself) becomes an internal
// error naming name, and s is broken.
func (s *State) holding(name string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.broken = true
			err = fmt.Errorf("%w: %s: %v", errInternal, name, r)
		}
	}()
	s.hold()
	defer s.unhold()
	return f()
}

// call runs, in a protected call with the traceback handler, the function that push leaves on
// the stack with the arguments after it (push returns their number), under ctx's limits; name
// names it in errors. The VM is held.
func (s *State) call(ctx context.Context, name string, nresults int, push func(l *glua.State) (nargs int)) error {
	l := s.L
	_, nested := glua.Stack(l, 0)
	if !nested {
		l.PushLightUserData(s.main.dispatchValue())
		l.Insert(handlerSlot)
	}
	saved := s.run
	nargs := push(l)
	h := handler{kind: handleTraceback}
	if nested {
		h.main = l.ToValue(-1 - nargs)
	}
	s.begin(ctx)
	err := s.main.protectedCall(l, nargs, nresults, h)
	s.end(saved)
	if !nested {
		l.Remove(handlerSlot)
	}
	if err != nil {
		return s.execError(name, err)
	}
	return nil
}

// execError turns the error of a run into what Exec returns, popping the error value.
func (s *State) execError(name string, err error) error {
	l := s.L
	kind, uerr := classify(l, err)
	switch kind {
	case errCatchable:
		e := newError(l, s.main.traceback)
		s.main.traceback = ""
		l.Pop(1)
		return e
	case errBroken:
		s.broken = true
	}
	l.Pop(1)
	var u *uncatchable
	if !errors.As(uerr, &u) {
		return uerr
	}
	if u.limit {
		return fmt.Errorf("lua: %s: %w", name, u.err)
	}
	return u.err
}

// pushMain pushes a closure of c's main function whose _ENV is env, or a fresh table whose
// __index is the globals when env is nil. A chunk that only reads globals is one function for
// every Exec, whose _ENV cell always holds the globals themselves, which read the same; it
// never holds an Exec's own environment, since another Exec may run the function at the same
// time (while this one waits in ngx.sleep, say). Any other chunk is wrapped: a factory makes
// a fresh closure, with a fresh _ENV cell, per Exec.
func (s *State) pushMain(c *Chunk, fn, env any) {
	l := s.L
	l.PushLightUserData(fn)
	switch {
	case env != nil:
		l.PushLightUserData(env)
		s.run.env, s.run.lazy = env, false
	case c.wrapped:
		s.pushNewEnv(l)
		s.run.env, s.run.lazy = l.ToValue(-1), false
	default: // reads the globals only
		l.PushLightUserData(s.vm.globals)
		s.run.env, s.run.lazy = nil, true
	}
	bindEnv(l, c)
}

// bindEnv replaces c's main function and an environment, pushed in that order, by a closure of
// the main function with that _ENV: a fresh one from the factory of a wrapped chunk, else the
// one function itself.
func bindEnv(l *glua.State, c *Chunk) {
	if c.wrapped {
		l.Call(1, 1)
	} else {
		glua.SetUpValue(l, -2, 1)
	}
}

// pushNewEnv pushes a fresh _ENV: an empty table whose __index is the globals.
func (s *State) pushNewEnv(l *glua.State) {
	l.CreateTable(0, 0)
	l.PushLightUserData(s.vm.envMeta)
	l.SetMetaTable(-2)
}

// execEnv returns the environment that load and loadstring give the chunks they load, or nil
// outside an Exec: the Exec's own, made now for a chunk that reads the globals directly. What
// a loaded chunk assigns to globals is seen by the other chunks the Exec loads, and by no
// other Exec; such a main function (it names none of envNames, or it would be wrapped) reads
// the globals.
func (s *State) execEnv(l *glua.State) any {
	if s.run.env == nil && s.run.lazy {
		s.pushNewEnv(l)
		s.run.env, s.run.lazy = l.ToValue(-1), false
		l.Pop(1)
	}
	return s.run.env
}

// load returns c's function in this state, loading the bytecode on first use.
func (s *State) load(c *Chunk) (any, error) { return s.loadOn(s.L, c) }

// loadOn is load using l, the state's own L or the L of a coroutine running for it.
func (s *State) loadOn(l *glua.State, c *Chunk) (any, error) {
	if fn, ok := s.vm.chunks[c]; ok {
		return fn, nil
	}
	fn, err := s.loadBytecode(l, c.code[s.kind], c.name, c.helpers)
	if err != nil {
		return nil, err
	}
	s.vm.chunks[c] = fn
	return fn, nil
}

// loadBytecode loads patched bytecode, fills the helper upvalues it has (the last ones, in
// helper order), and returns the function as go-lua's internal value.
func (s *State) loadBytecode(l *glua.State, code []byte, name string, helpers helperSet) (any, error) {
	if err := l.Load(bytes.NewReader(code), name, "b"); err != nil {
		msg, _ := l.ToString(-1)
		l.Pop(1)
		return nil, &Error{Message: fmt.Sprintf("%s: loading bytecode: %s", name, msg)}
	}
	if helpers != 0 {
		n := 1
		for {
			if _, ok := glua.UpValue(l, -1, n+1); !ok {
				break
			}
			l.Pop(1)
			n++
		}
		n -= helpers.count()
		for h := range numHelpers {
			if helpers.has(h) {
				n++
				l.PushLightUserData(s.vm.helpers[h])
				glua.SetUpValue(l, -2, n)
			}
		}
	}
	fn := l.ToValue(-1)
	l.Pop(1)
	return fn, nil
}

// begin installs the limits of an Exec: the engine's timeout (never later than an enclosing
// Exec's deadline) and ctx.
func (s *State) begin(ctx context.Context) {
	if ctx == nil {
		ctx = context.Background()
	}
	s.run.ctx, s.run.done = ctx, ctx.Done()
	if t := s.engine.cfg.Timeout; t > 0 {
		d := time.Now().Add(t)
		if s.run.deadline.IsZero() || d.Before(s.run.deadline) {
			s.run.deadline = d
		}
	}
	s.main.applyHook()
}

func (s *State) end(saved execContext) {
	s.run = saved
}

// limited reports whether the running Exec has a deadline or a context that can end.
func (s *State) limited() bool { return s.run.done != nil || !s.run.deadline.IsZero() }

// applyHook installs the count hook on t when its owner's Exec has limits. Once installed it
// stays: outside a limited Exec it finds nothing to enforce, and an engine without limits never
// installs it (it costs a little on every instruction).
func (t *thread) applyHook() {
	if t.owner.limited() && glua.DebugHook(t.L) == nil {
		glua.SetDebugHook(t.L, t.owner.hook, glua.MaskCount, hookCount)
	}
}

// checkLimits is the count hook: it unwinds the script when the deadline has passed or the
// context is done.
func (s *State) checkLimits(_ *glua.State, _ glua.Debug) {
	if err := s.interrupted(); err != nil {
		panic(&uncatchable{err: err, limit: true})
	}
}

func (s *State) interrupted() error {
	if s.run.done != nil {
		select {
		case <-s.run.done:
			return s.run.ctx.Err()
		default:
		}
	}
	if !s.run.deadline.IsZero() && !time.Now().Before(s.run.deadline) {
		return ErrTimeout
	}
	return nil
}

// reset prepares s for the next user: coroutines ended, stack and Data cleared.
func (s *State) reset() {
	s.endCoroutines()
	for i, f := range s.atRelease {
		s.atRelease[i] = nil
		f()
	}
	s.atRelease = s.atRelease[:0]
	s.waiter, s.parent, s.Threads = nil, nil, nil
	s.Data = nil
	s.run = execContext{}
	if !s.broken {
		func() {
			defer func() {
				if recover() != nil {
					s.broken = true
				}
			}()
			s.L.SetTop(0)
		}()
	}
}

// endCoroutines unwinds the coroutines s still has suspended, holding the VM: unwinding closes
// their upvalues, which other States of the VM may read.
func (s *State) endCoroutines() {
	if !s.coros.used {
		return
	}
	s.hold()
	defer s.unhold()
	s.coros.killAll(s)
}

// close releases everything s owns: its coroutines and its thread's registration.
func (s *State) close() {
	s.endCoroutines()
	s.main.unregister()
}
