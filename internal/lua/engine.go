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
	// MaxStates bounds the pool of Lua states; Acquire blocks while all of them are in use.
	// 0 means 4 × GOMAXPROCS.
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
	// Setup runs once on each new state, after the standard library is installed, to add the
	// application's functions and modules. It must build every state alike: Init's template
	// state is built by it too, and values Init found in the template are matched with the
	// new state's by where they are. An error fails the creation of the state.
	Setup func(s *State) error
	// Init are chunks run once, by NewEngine, as OpenResty runs init_by_lua in its master
	// process: in a template state built by Setup, with the real globals as _ENV (so that
	// global assignments stay) and InitData as State.Data. Every state then starts from a
	// copy of what they left: the globals they set, the modules they loaded, the fields they
	// changed in library tables. Tables and Lua functions are copied (cycles, shared tables
	// and shared upvalues kept), so that no state sees another's changes; library values and
	// functions map to the new state's own. Go functions and the Go values of userdata made
	// during Init are shared by all states. A coroutine left by Init makes NewEngine fail with
	// an error that names where it is. An error in Init fails NewEngine.
	Init []*Chunk
	// InitData is State.Data while Init runs (for example ngx.PhaseInit).
	InitData any
	// InitWorker runs on each new state after the copy of Init's results, as init_worker_by_lua
	// runs in each worker; it is not run on the template. State.Data is cleared after it. An
	// error fails the creation of the state. Go functions it installs are not wrapped by
	// Protect automatically.
	InitWorker func(s *State) error

	// PackagePath is package.path in the syntax of OpenResty's lua_package_path: templates
	// separated by ';', where ";;" stands for the default path (go-lua's "./?.lua", or the
	// LUA_PATH_5_2 or LUA_PATH environment variable). Without ";;" the default path is not
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
	// CompileFile) whose modification time or size changed are compiled again, and a state
	// drops the modules it loaded from files at its next Acquire once any of those files
	// changed, so that the next require loads them again. Otherwise each file is compiled once
	// per Engine and its modules stay loaded in each state.
	NoCodeCache bool
}

// DefaultMaxBytes is the string-length cap used when Config.MaxBytes is 0.
const DefaultMaxBytes = 64 << 20

// ErrClosed is returned by Acquire after Close.
var ErrClosed = errors.New("lua: engine closed")

// Engine owns a bounded pool of prepared Lua states. It is safe for concurrent use.
type Engine struct {
	cfg   Config
	kind  fixKind
	idle  chan *State   // states ready for use
	slots chan struct{} // one token per existing state, idle or in use
	done  chan struct{} // closed by Close
	mu    sync.Mutex    // orders Release and Close
	// closed is set by Close; states released afterwards are discarded.
	closed bool
	files  *codeCache
	// init is what Config.Init left, copied into every new state (nil without Init).
	init *snapshot
	// path is package.path, set by the first state from go-lua's default path.
	path     packagePath
	pathOnce sync.Once
}

// NewEngine returns an engine configured by c. It creates one state at once, so that a failing
// Setup is reported here rather than by the first Acquire.
func NewEngine(c Config) (*Engine, error) {
	if c.MaxStates <= 0 {
		c.MaxStates = 4 * runtime.GOMAXPROCS(0)
	}
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
		cfg:   c,
		idle:  make(chan *State, c.MaxStates),
		slots: make(chan struct{}, c.MaxStates),
		done:  make(chan struct{}),
		files: newCodeCache(c.NoCodeCache),
	}
	if c.MaxBytes > 0 {
		e.kind = fixCheck
	}
	if len(c.Init) > 0 {
		var err error
		if e.init, err = e.runInit(); err != nil {
			return nil, err
		}
	}
	e.slots <- struct{}{}
	s, err := e.newState()
	if err != nil {
		return nil, err
	}
	e.idle <- s
	return e, nil
}

// maxBytes returns the configured cap, or 0 for none.
func (e *Engine) maxBytes() int { return max(e.cfg.MaxBytes, 0) }

// Acquire returns a state for the caller's exclusive use until Release. It reuses an idle state,
// creates one while fewer than MaxStates exist, and otherwise blocks until a state is released,
// ctx is done (returning ctx.Err()) or the engine is closed (ErrClosed).
func (e *Engine) Acquire(ctx context.Context) (*State, error) {
	select {
	case s := <-e.idle:
		return e.reuse(s), nil
	default:
	}
	select {
	case s := <-e.idle:
		return e.reuse(s), nil
	case e.slots <- struct{}{}:
		s, err := e.newState()
		if err != nil {
			<-e.slots
			return nil, err
		}
		return s, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-e.done:
		return nil, ErrClosed
	}
}

// reuse prepares an idle state for its next user.
func (e *Engine) reuse(s *State) *State {
	if e.cfg.NoCodeCache {
		s.refreshFiles()
	}
	return s
}

// Release returns s to the pool. It ends the coroutines s still has suspended and clears s.Data
// and s.L's stack. A state that had an internal error, or that is released after Close, is
// discarded; a new one is created when needed.
func (e *Engine) Release(s *State) {
	if s == nil {
		return
	}
	s.reset()
	e.mu.Lock()
	defer e.mu.Unlock()
	if s.broken || s.retire || e.closed {
		s.close()
		<-e.slots
		return
	}
	e.idle <- s
}

// Close discards the idle states and makes Acquire fail with ErrClosed; states in use are
// discarded when they are released. Close is idempotent.
func (e *Engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	e.closed = true
	close(e.done)
	for {
		select {
		case s := <-e.idle:
			s.close()
			<-e.slots
		default:
			return
		}
	}
}

// newState builds a state for the pool: buildState, then the copy of what Init left, then
// Config.InitWorker.
func (e *Engine) newState() (*State, error) {
	s, err := e.buildState()
	if err != nil {
		return nil, err
	}
	if err := e.prepare(s); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

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

// buildState builds a state: the standard library, goresty's extensions and fixes, the engine's
// base functions, then Config.Setup.
func (e *Engine) buildState() (s *State, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lua: creating a state: %v", r)
		}
		if err != nil && s != nil {
			s.close()
			s = nil
		}
	}()
	s = newState(e)
	if err := s.open(); err != nil {
		return s, err
	}
	if e.cfg.Setup != nil {
		if err := e.cfg.Setup(s); err != nil {
			return s, fmt.Errorf("lua: setup: %w", err)
		}
		s.L.SetTop(0)
		protectLibraries(s.L, s.wrapped)
	}
	s.wrapped = nil
	return s, nil
}
