package lua

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	glua "github.com/Shopify/go-lua"
)

// Config configures an Engine. The zero value is usable.
type Config struct {
	// Workers is the number of Lua VMs, as nginx's worker_processes is the number of Lua VMs of
	// OpenResty: each has its own globals, loaded modules and Init copy, and runs the Lua code
	// of one request at a time; a request gives its VM up while it waits outside Lua (Wait),
	// as ngx.sleep does. VMs are made as the requests in flight need them. 0 means GOMAXPROCS;
	// never more than MaxStates.
	Workers int
	// MaxStates bounds the States in use, that is the requests holding a State at once;
	// Acquire blocks while all of them are in use. A State is a lightweight thread of a VM
	// (about 2 KB and a few microseconds to make). 0 means 1024 × Workers.
	MaxStates int
	// Timeout is the deadline of each Exec; a script still running at the deadline is unwound
	// with an error no pcall can catch. 0 means no deadline (the Exec's context still applies).
	Timeout time.Duration
	// MaxBytes caps the length of a string built by concatenation and by the Go built-ins that
	// build strings (string.rep, table.concat, string.format, string.gsub, ...). 0 means
	// DefaultMaxBytes; a negative value means no cap.
	MaxBytes int
	// Print receives what Lua's print writes: one call per print, tab-separated, without the
	// trailing newline. Nil sends each line to Logger at level Info.
	Print func(line string)
	// Logger receives print output when Print is nil. Nil means slog.Default().
	Logger *slog.Logger
	// Setup runs once on each new VM, after the standard library is installed, to add the
	// application's functions and modules; s is the VM's own state (its L holds the globals
	// and registry every State of the VM sees). It must build every VM alike: Init's template
	// is built by it too, and values Init found in the template are matched with the new VM's
	// by where they are. An error fails the creation of the VM (and NewEngine for the first).
	Setup func(s *State) error
	// Init are chunks run once, by NewEngine, as OpenResty runs init_by_lua in its master
	// process: in a template VM built by Setup, with the real globals as _ENV (so that global
	// assignments stay) and InitData as State.Data. Every VM then starts from a copy of what
	// they left: the globals they set, the modules they loaded, the fields they changed in
	// library tables. Tables and Lua functions are copied (cycles, shared tables and shared
	// upvalues kept), so that no VM sees another's changes; library values and functions map
	// to the new VM's own. Go functions and the Go values of userdata made during Init are
	// shared by all VMs. A coroutine left by Init makes NewEngine fail with an error that
	// names where it is. An error in Init fails NewEngine.
	Init []*Chunk
	// InitData is State.Data while Init runs (for example ngx.PhaseInit).
	InitData any
	// InitWorker runs on each new VM after the copy of Init's results, as init_worker_by_lua
	// runs in each worker; it is not run on the template. s is the VM's own state; State.Data
	// is cleared after it. An error fails the creation of the VM. Go functions it installs are
	// not wrapped by Protect automatically.
	InitWorker func(s *State) error

	// WrapError, when set, is called by a function that coroutine.wrap returned when its
	// coroutine ends with an error, before the function propagates it: the error value is on
	// the stack top and coTraceback is the coroutine's stack traceback at the error ("stack
	// traceback:\n\t..."). It may raise its own error or Abort instead (OpenResty ends the
	// entry thread); when it returns, the error propagates as in Lua.
	WrapError func(l *glua.State, coTraceback string)

	// PackagePath is package.path in the syntax of OpenResty's lua_package_path: templates
	// separated by ';', where ";;" stands for the default path (where OpenResty, LuaRocks and
	// Debian install Lua modules, and "./?.lua"; or the LUA_PATH_5_2 or LUA_PATH environment
	// variable). Without ";;" the default path is not
	// searched. "$prefix" must be expanded by the caller. Empty means the default path.
	PackagePath string
	// Modules are the built-in modules: require(name) finds Modules[name] where ";;" stands in
	// PackagePath (after the templates before it, before the default path), or after every
	// template when PackagePath has no ";;". So a user's file of the same name wins when its
	// template comes first, as with OpenResty's bundled lualib. The function is the loader:
	// it is called with the module name and returns the module value (package.preload,
	// searched before the path, still wins over both).
	Modules map[string]glua.Function
	// NoCodeCache is OpenResty's "lua_code_cache off", for development: Lua files (modules and
	// CompileFile) whose modification time or size changed are compiled again, and a VM drops
	// the modules it loaded from files at the next Acquire of one of its States once any of
	// those files changed, so that the next require loads them again. Otherwise each file is
	// compiled once per Engine and its modules stay loaded in each VM.
	NoCodeCache bool
}

// DefaultMaxBytes is the string-length cap used when Config.MaxBytes is 0.
const DefaultMaxBytes = 64 << 20

// ErrClosed is returned by Acquire after Close.
var ErrClosed = errors.New("lua: engine closed")

// Engine runs Lua code on a few VMs (Config.Workers) and hands out States, one per request, each
// a lightweight thread of one VM. It is safe for concurrent use.
type Engine struct {
	cfg   Config
	kind  fixKind
	slots chan struct{} // one token per State in use
	done  chan struct{} // closed by Close
	// mu guards vms, building, closed, and each VM's load, idle, retired and closed.
	mu     sync.Mutex
	closed bool
	// vms has Config.Workers slots: nil until a VM is needed there, and again once it retired;
	// building marks the slots whose VM is being built, and built is signalled after a build.
	vms      []*vm
	building []bool
	built    *sync.Cond
	files    *codeCache
	// init is what Config.Init left, copied into every new VM (nil without Init).
	init *snapshot
	// path is package.path, set by the first VM from go-lua's default path.
	path     packagePath
	pathOnce sync.Once
}

// NewEngine returns an engine configured by c. It builds one VM at once, so that a failing Setup
// or Init is reported here rather than by the first Acquire.
func NewEngine(c Config) (*Engine, error) {
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.MaxStates <= 0 {
		c.MaxStates = 1024 * c.Workers
	}
	c.Workers = min(c.Workers, c.MaxStates)
	if c.MaxBytes == 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Print == nil {
		logger := c.Logger
		c.Print = func(line string) { logger.Info(line) }
	}
	e := &Engine{
		cfg:      c,
		slots:    make(chan struct{}, c.MaxStates),
		done:     make(chan struct{}),
		vms:      make([]*vm, c.Workers),
		building: make([]bool, c.Workers),
		files:    newCodeCache(c.NoCodeCache),
	}
	e.built = sync.NewCond(&e.mu)
	if c.MaxBytes > 0 {
		e.kind = fixCheck
	}
	if len(c.Init) > 0 {
		var err error
		if e.init, err = e.runInit(); err != nil {
			return nil, err
		}
	}
	v, err := newVM(e, false, 0)
	if err != nil {
		return nil, err
	}
	e.vms[0] = v
	return e, nil
}

// Workers returns the number of VMs (Config.Workers): ngx.worker.count.
func (e *Engine) Workers() int { return len(e.vms) }

// Closing reports whether Close has begun (ngx.worker.exiting).
func (e *Engine) Closing() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// maxBytes returns the configured cap, or 0 for none.
func (e *Engine) maxBytes() int { return max(e.cfg.MaxBytes, 0) }

// Acquire returns a state for the caller's exclusive use until Release. It blocks while
// MaxStates states are in use, until one is released, ctx is done (returning ctx.Err()) or the
// engine is closed (ErrClosed). The state belongs to the VM with the fewest states in use,
// preferring a VM already made; States of one VM share its globals and modules.
func (e *Engine) Acquire(ctx context.Context) (*State, error) {
	select {
	case e.slots <- struct{}{}:
	default: // all in use: wait
		select {
		case e.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-e.done:
			return nil, ErrClosed
		}
	}
	s, err := e.attach()
	if err != nil {
		<-e.slots
		return nil, err
	}
	if e.cfg.NoCodeCache {
		s.hold()
		s.refreshFiles()
		s.unhold()
	}
	return s, nil
}

// attach picks a VM for a new user and returns one of its idle States, or a new one. A new VM
// is built without e.mu held, so that the other States come and go meanwhile.
func (e *Engine) attach() (*State, error) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, ErrClosed
	}
	v, slot := e.pick()
	for v == nil && slot < 0 { // every slot is building its VM
		e.built.Wait()
		if e.closed {
			e.mu.Unlock()
			return nil, ErrClosed
		}
		v, slot = e.pick()
	}
	if v == nil {
		var err error
		if v, err = e.build(slot); err != nil {
			e.mu.Unlock()
			return nil, err
		}
	}
	s := v.attachIdle()
	e.mu.Unlock()
	if s == nil {
		s = v.newRequestState()
	}
	return s, nil
}

// attachIdle counts a new user of v and returns one of its idle States, or nil when it has
// none (the caller makes one without e.mu). e.mu is held.
func (v *vm) attachIdle() *State {
	v.load++
	n := len(v.idle)
	if n == 0 {
		return nil
	}
	s := v.idle[n-1]
	v.idle[n-1] = nil
	v.idle = v.idle[:n-1]
	return s
}

// pick returns the first VM without a State in use, else (v nil) a free slot to build a VM in,
// else the VM with the fewest States in use; v is nil and slot -1 when every slot is building
// its VM. e.mu is held.
func (e *Engine) pick() (v *vm, slot int) {
	var best *vm
	free := -1
	for i, x := range e.vms {
		switch {
		case x == nil && !e.building[i]:
			if free < 0 {
				free = i
			}
		case x == nil:
		case x.load == 0:
			return x, -1
		case best == nil || x.load < best.load:
			best = x
		}
	}
	if free >= 0 || best == nil {
		return nil, free
	}
	return best, -1
}

// build builds a VM for slot, releasing e.mu meanwhile (held on entry and on return).
func (e *Engine) build(slot int) (*vm, error) {
	e.building[slot] = true
	e.mu.Unlock()
	v, err := newVM(e, false, slot)
	e.mu.Lock()
	e.building[slot] = false
	e.built.Broadcast()
	switch {
	case err != nil:
		return nil, err
	case e.closed:
		v.retired, v.closed = true, true
		v.close()
		return nil, ErrClosed
	}
	e.vms[slot] = v
	return v, nil
}

// Release returns s to the pool. It ends the coroutines s still has suspended and clears s.Data
// and s.L's stack. A state that had a stack overflow is discarded; one that had an internal
// error is discarded with its VM, which takes no new state and closes when its last state is
// released (a new VM takes its place).
func (e *Engine) Release(s *State) {
	if s == nil {
		return
	}
	slotless := s.slotless // read before s can go back to the idle list
	s.slotless = false
	s.reset()
	v := s.vm
	e.mu.Lock()
	v.load--
	if s.broken {
		e.retire(v)
	}
	keep := !s.broken && !s.retire && !v.retired && len(v.idle) < maxIdleStates
	if keep {
		v.idle = append(v.idle, s)
	}
	closeVM := v.retired && v.load == 0 && !v.closed
	if closeVM {
		v.closed = true
	}
	e.mu.Unlock()
	if !keep {
		s.close()
	}
	if closeVM {
		v.close()
	}
	if !slotless {
		<-e.slots
	}
}

// retire takes v out of its slot: it gets no new state. e.mu is held.
func (e *Engine) retire(v *vm) {
	v.retired = true
	for i, x := range e.vms {
		if x == v {
			e.vms[i] = nil
		}
	}
}

// Close closes the VMs that have no state in use and makes Acquire fail with ErrClosed; the
// others close when their last state is released. Close is idempotent.
func (e *Engine) Close() {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	e.closed = true
	close(e.done)
	e.built.Broadcast()
	var idle []*vm
	for _, v := range e.vms {
		if v == nil {
			continue
		}
		e.retire(v)
		if v.load == 0 {
			v.closed = true
			idle = append(idle, v)
		}
	}
	e.mu.Unlock()
	for _, v := range idle {
		v.close()
	}
}

// prepare makes s, the root of a VM fresh from Setup, a copy of what Init left, then runs
// Config.InitWorker on it.
func (e *Engine) prepare(s *State) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lua: preparing a state: %v", r)
		}
	}()
	if e.init != nil {
		if err := e.init.apply(s); err != nil {
			return err
		}
	}
	if e.cfg.InitWorker != nil {
		if err := e.cfg.InitWorker(s); err != nil {
			return fmt.Errorf("lua: init worker: %w", err)
		}
		s.Data = nil
		s.L.SetTop(0)
	}
	return nil
}

// MaxBytes is the cap on strings that Lua code running on l may build (Config.MaxBytes), or 0
// for none, for Go modules that make strings of a size Lua code chooses.
func MaxBytes(l *glua.State) int {
	if s := Current(l); s != nil {
		return s.engine.maxBytes()
	}
	return 0
}
