package lua

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	glua "github.com/Shopify/go-lua"
)

// vm is one Lua VM, as an OpenResty worker process has one: a go-lua state with the standard
// library, what Setup installed and Init left, the globals, the loaded chunks and modules. The
// requests it serves run each on a State of their own whose L is a lightweight thread of the
// VM (newThreadOf): it shares the VM's registry, globals and metatables and has only its own
// stack. One of them runs Lua at a time, holding mu; a request gives mu up while it waits
// outside Lua (Wait: ngx.sleep, reading the body, writing the response), so that a VM serves
// many requests in flight as a worker does, and a sleeping request costs a stack, not a VM.
type vm struct {
	engine *Engine
	// id is the VM's slot, 0 to Config.Workers-1 (ngx.worker.id); -1 for the template VM that
	// runs Init.
	id int
	// root is the VM's own state: Setup, Init's copy and InitWorker run on it, never a request.
	root *State
	// mu is held by the State that runs Lua on this VM (see State.hold and Wait).
	mu sync.Mutex

	// Guarded by engine.mu: the States attached (acquired and not yet released), the idle
	// States kept for reuse, retired (no new States; closed once load drops to zero) and
	// closed.
	load    int
	idle    []*State
	retired bool
	closed  bool

	// Guarded by mu.
	// chunks holds each loaded chunk's function (go-lua's internal value).
	chunks map[*Chunk]any
	// fileModules maps the modules loaded from files to their chunks (NoCodeCache only).
	fileModules map[string]*Chunk
	// coWorkers are idle coroutine workers, ready for the next coroutine of any State.
	coWorkers []*worker
	// protos caches, by prototype address (prototypeOf), the decoded prototypes of the Lua
	// functions whose bytecode error messages and FuncName looked at.
	protos map[uintptr]cachedProto

	// Set when the VM is built, read-only afterwards.
	// next is the standard library's next, for Go code that walks tables in linear time.
	next any
	// envMeta is the metatable of every Exec's _ENV: {__index = globals}.
	envMeta, globals any
	// helpers fill the helper upvalues of patched code (see helper).
	helpers [numHelpers]any
	// xfer is a table through which values move between the threads of the VM.
	xfer any
	// requireMark is package.loaded[name] while require loads the module name (see require).
	requireMark any
	// fenvCell is the function whose result lends setfenv a fresh _ENV cell (fenvCellSource).
	fenvCell any
	// wrapped maps the library Go functions to their protected wrappers (only while the VM is
	// built).
	wrapped map[any]any
}

// maxIdleStates bounds the States a VM keeps for reuse after a burst of requests.
const maxIdleStates = 256

// newVM builds the VM of slot id: the standard library, goresty's extensions and fixes, the engine's base
// functions, Config.Setup, then (unless template) the copy of what Init left and
// Config.InitWorker.
func newVM(e *Engine, template bool, id int) (*vm, error) {
	v := &vm{engine: e, id: id, chunks: map[*Chunk]any{}, protos: map[uintptr]cachedProto{}}
	v.root = newState(v, glua.NewState())
	if err := v.build(); err != nil {
		v.close()
		return nil, err
	}
	if template {
		return v, nil
	}
	if err := e.prepare(v.root); err != nil {
		v.abandon()
		return nil, err
	}
	return v, nil
}

// abandon closes a VM whose InitWorker failed, unless work pinned it meanwhile (timers that
// InitWorker made): then the last Pin.Release closes it.
func (v *vm) abandon() {
	e := v.engine
	e.mu.Lock()
	v.retired = true
	now := v.load == 0
	if now {
		v.closed = true
	}
	e.mu.Unlock()
	if now {
		v.close()
	}
}

// build installs the libraries and runs Setup on the root state.
func (v *vm) build() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lua: creating a state: %v", r)
		}
	}()
	s := v.root
	if err := s.open(); err != nil {
		return err
	}
	if setup := v.engine.cfg.Setup; setup != nil {
		if err := setup(s); err != nil {
			return fmt.Errorf("lua: setup: %w", err)
		}
		s.L.SetTop(0)
		protectLibraries(s.L, v.wrapped)
	}
	v.wrapped = nil
	return nil
}

// newRequestState returns a new State for requests on v: a lightweight thread of the VM.
func (v *vm) newRequestState() *State {
	return newState(v, newThreadOf(v.root.L))
}

// close releases what v owns: the threads of its idle States and of its root, and its idle
// coroutine workers. v must have no State attached.
func (v *vm) close() {
	for _, s := range v.idle {
		s.close()
	}
	v.idle = nil
	v.root.close()
	for _, w := range v.coWorkers {
		w.quit()
	}
	v.coWorkers = nil
}

// globalField is the offset of go-lua's State.global, the pointer to what the threads of one
// Lua universe share (registry, metatables of the basic types, the main thread).
var globalField = func() uintptr {
	f, ok := reflect.TypeFor[glua.State]().FieldByName("global")
	if !ok || f.Type.Kind() != reflect.Pointer || f.Type.Elem().Name() != "globalState" {
		panic("lua: go-lua's State has no 'global *globalState' field: newThreadOf needs updating")
	}
	return f.Offset
}()

// newThreadOf returns a new go-lua state that shares main's global state, as Lua's
// lua_newthread makes one: the same registry, globals and metatables of the basic types, and a
// stack of its own. go-lua has no such call, so a fresh state is pointed at main's global state
// (its own, unused, is dropped). Only one thread of a global state may run at a time.
func newThreadOf(main *glua.State) *glua.State {
	l := glua.NewState()
	src := (*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(main), globalField))
	dst := (*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(l), globalField))
	*dst = *src
	return l
}

// hold takes s's VM for the running Exec, unless s holds it already (a nested Exec).
func (s *State) hold() {
	if s.held == 0 {
		s.vm.mu.Lock()
	}
	s.held++
}

// unhold undoes hold.
func (s *State) unhold() {
	s.held--
	if s.held == 0 {
		s.vm.mu.Unlock()
	}
}

// Wait runs wait, a Go function's wait for something outside Lua (a timer, the network, the
// request body, a slow client), with the VM of l given up meanwhile, so that the other requests
// of the same VM run their Lua code, as an nginx worker serves other requests while one waits.
// wait must not use l, nor any Lua value, except through State.Exec (which takes the VM back
// for its run). Outside an Exec, Wait just calls wait.
func Wait(l *glua.State, wait func()) {
	s := Current(l)
	if s == nil {
		wait()
		return
	}
	s.wait(wait, s.waiter)
	if s.waiter != nil && s.held > 0 {
		if err := s.waiter.Resumed(); err != nil {
			Abort(l, err)
		}
	}
}

// WaitQuiet is Wait for a wait that OpenResty's code does not yield for (writing the response
// to the client): the VM is given up for other requests, but the State's Waiter is not told,
// so the other light threads of its request do not run meanwhile.
func WaitQuiet(l *glua.State, wait func()) {
	if s := Current(l); s != nil {
		s.wait(wait, nil)
		return
	}
	wait()
}

// Wait is the package's Wait for a Go function that has its State at hand.
func (s *State) Wait(wait func()) { s.wait(wait, s.waiter) }

// wait is Wait telling w, if not nil.
// WaitLazy is Wait for a wait that OpenResty's code yields for only when it would block (a
// cosocket's send or receive): the Waiter is told only once wait has lasted grace, so that an
// operation that completes at once lets no other light thread of the request run, as in nginx.
func WaitLazy(l *glua.State, wait func(), grace time.Duration) {
	s := Current(l)
	if s == nil || s.waiter == nil || s.held == 0 {
		WaitQuiet(l, wait)
		return
	}
	w := s.waiter
	held := s.held
	s.held = 0
	s.vm.mu.Unlock()
	var parked atomic.Bool // set by whichever comes first: the timer (parks) or the end (quiet)
	t := time.AfterFunc(grace, func() {
		if parked.CompareAndSwap(false, true) {
			w.Parked()
		}
	})
	func() {
		defer func() {
			t.Stop()
			if !parked.CompareAndSwap(false, true) { // the timer parked: take the turn back
				w.Unparking()
			}
			s.vm.mu.Lock()
			s.held = held
		}()
		wait()
	}()
	if err := w.Resumed(); err != nil {
		Abort(l, err)
	}
}

func (s *State) wait(wait func(), w Waiter) {
	if s.held == 0 {
		wait()
		return
	}
	held := s.held
	s.held = 0
	s.vm.mu.Unlock()
	if w != nil {
		w.Parked()
	}
	defer func() {
		if w != nil {
			w.Unparking()
		}
		s.vm.mu.Lock()
		s.held = held
	}()
	wait()
}

// Locked runs f with s's VM locked, for a goroutine other than the one running s's Lua code,
// which must be waiting in Wait meanwhile: f may then touch the VM's Lua values and what the
// VM's Lua code shares (ngx.location.capture_multi prepares its subrequests so, in parallel).
func (s *State) Locked(f func()) {
	s.vm.mu.Lock()
	defer s.vm.mu.Unlock()
	f()
}
