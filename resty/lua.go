package resty

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/cache"
	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/internal/luacjson"
	"github.com/goresty/goresty/internal/luare"
	"github.com/goresty/goresty/internal/ngxlua"
	"github.com/goresty/goresty/internal/restystring"
	"github.com/goresty/goresty/limit"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/sharedict"
	"github.com/goresty/goresty/upstream"
)

// luaRuntime runs a Handler's Lua hooks: the engine whose states they run in, and what each
// new state must be given.
type luaRuntime struct {
	cfg        LuaConfig
	logger     *slog.Logger
	engine     *lua.Engine
	timers     *ngxlua.Timers
	sockets    *upstream.Pools // ngx.socket's keepalive pools
	init       []*lua.Chunk
	initWorker []*lua.Chunk
	shared     map[string]sharedict.Store // Config.SharedDicts
}

// chunkFunc returns the chunk a Lua hook runs: always the same one, or under lua_code_cache off
// the current version of its file.
type chunkFunc func() (*lua.Chunk, error)

// usesLua reports whether c has any Lua hook, so a Handler without one never starts an engine.
func usesLua(c *Config) bool {
	isLua := func(hk Hook) bool { return hk.Lua != "" || hk.LuaFile != "" }
	for _, hk := range c.Hooks {
		if isLua(hk) {
			return true
		}
	}
	for _, l := range c.Locations {
		for _, hk := range l.Hooks {
			if isLua(hk) {
				return true
			}
		}
	}
	return false
}

// startLua compiles the Lua init and init_worker hooks and starts the engine, when c has Lua.
func (h *Handler) startLua(c Config) error {
	if !usesLua(&c) {
		return nil
	}
	rt := &h.lua
	for i, hk := range c.Hooks {
		if (hk.Phase != ngx.PhaseInit && hk.Phase != ngx.PhaseInitWorker) || hk.Go != nil {
			continue
		}
		where := fmt.Sprintf("hook %d (%s)", i, hk.Phase)
		if err := checkHookSource(hk, where); err != nil {
			return err
		}
		chunk, err := rt.compileSource(hk, where)
		if err != nil {
			return err
		}
		if hk.Phase == ngx.PhaseInit {
			rt.init = append(rt.init, chunk)
		} else {
			rt.initWorker = append(rt.initWorker, chunk)
		}
	}
	return rt.start(h)
}

// hookPath resolves a LuaFile against LuaConfig.Prefix.
func (rt *luaRuntime) hookPath(file string) string {
	if !filepath.IsAbs(file) && rt.cfg.Prefix != "" {
		return filepath.Join(rt.cfg.Prefix, file)
	}
	return file
}

// compileSource compiles a hook's inline source, or its file read now (init hooks, which run
// before the engine exists).
func (rt *luaRuntime) compileSource(hk Hook, where string) (*lua.Chunk, error) {
	src, name := hk.Lua, hk.Name
	if hk.LuaFile != "" {
		path := rt.hookPath(hk.LuaFile)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		src = string(b)
		if name == "" {
			name = "@" + path
		}
	}
	if name == "" {
		name = "=" + hk.Phase.String() + "_by_lua"
	}
	if hk.Phase == ngx.PhaseInitWorker {
		// init_worker_by_lua runs in the worker's globals, so what it sets is seen by every
		// request of the worker (state); Exec gives a fresh environment, so point _ENV back.
		// On the first line, so line numbers stay.
		src = "local _ENV = _G; " + src
	}
	c, err := lua.Compile(name, src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return c, nil
}

// hookChunk compiles a request-phase Lua hook. A file goes through the engine, which compiles
// it once, or, with NoCodeCache, again whenever it changed.
func (rt *luaRuntime) hookChunk(hk Hook, where string) (chunkFunc, error) {
	if hk.LuaFile == "" {
		c, err := rt.compileSource(hk, where)
		if err != nil {
			return nil, err
		}
		return func() (*lua.Chunk, error) { return c, nil }, nil
	}
	path := rt.hookPath(hk.LuaFile)
	c, err := rt.engine.CompileFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	if !rt.cfg.NoCodeCache {
		return func() (*lua.Chunk, error) { return c, nil }, nil
	}
	return func() (*lua.Chunk, error) { return rt.engine.CompileFile(path) }, nil
}

// luaHook wraps a compiled Lua hook into the pipeline's shape.
func (h *Handler) luaHook(chunk chunkFunc, phase ngx.Phase) hookFunc {
	nresults := 0
	if phase == ngx.PhaseBodyFilter {
		nresults = 1 // "return ngx.ERROR" truncates the response
	}
	return func(r *ngx.Request) error {
		c, err := chunk()
		if err != nil {
			return luaError(err, phase)
		}
		s, err := h.luaState(r)
		if err != nil {
			return err
		}
		// Client aborts do not stop a Lua hook (lua_check_client_abort is off by default):
		// the log phase must run for a gone client too. ngx.sleep watches the request itself.
		err = s.Exec(context.Background(), c, nresults)
		if err = ngxlua.EndThreads(s, err); err != nil { // its light threads end with it
			return luaError(err, phase)
		}
		if nresults == 1 {
			code, isNum := s.L.ToInteger(-1)
			s.L.Pop(1)
			if isNum && code == ngx.CodeError {
				return ngx.ErrAbortResponse
			}
		}
		return nil
	}
}

// setHook wraps a set_by_lua hook: its arguments are expanded per request and its first
// result is assigned to hk.Var.
func (h *Handler) setHook(chunk chunkFunc, hk Hook, where string) (hookFunc, error) {
	name := strings.TrimPrefix(hk.Var, "$")
	if name == "" {
		return nil, fmt.Errorf("%s: set_by_lua needs a variable", where)
	}
	h.opts.Variables[strings.ToLower(name)] = true
	args := make([]*ngx.Template, len(hk.Args))
	for i, a := range hk.Args {
		t, err := ngx.ParseTemplate(a)
		if err != nil {
			return nil, fmt.Errorf("%s: argument %d: %w", where, i+1, err)
		}
		args[i] = t
	}
	return func(r *ngx.Request) error {
		c, err := chunk()
		if err != nil {
			return luaError(err, ngx.PhaseSet)
		}
		s, err := h.luaState(r)
		if err != nil {
			return err
		}
		values := make([]string, len(args))
		for i, t := range args {
			values[i] = t.Expand(r)
		}
		r.SetSetArgsList(values)
		defer r.SetSetArgsList(nil)
		if err := s.Exec(context.Background(), c, 1); err != nil {
			return luaError(err, ngx.PhaseSet)
		}
		// lua_tolstring, as OpenResty: strings and numbers; anything else is "" (and no
		// __tostring runs: Lua runs only inside Exec, which holds the state's VM).
		v, _ := s.L.ToString(-1)
		s.L.Pop(1)
		return r.SetVar(name, v)
	}, nil
}

// LuaError is the error of a Lua hook, worded as OpenResty's error log words it: "lua entry
// thread aborted: runtime error: ..." with the traceback for rewrite, access and content;
// "failed to run header_filter_by_lua*: ..." for the other phases.
type LuaError struct {
	// Phase is the phase of the hook that failed.
	Phase ngx.Phase
	// Err is the engine's error: a Lua error with its message and traceback, or a timeout.
	Err error
}

// Error is the error-log line OpenResty writes for the failure: "lua entry thread aborted: ..."
// with the traceback in rewrite, access and content, "failed to run <phase>_by_lua*: ..." in the
// other phases.
func (e *LuaError) Error() string {
	msg := e.Err.Error()
	var le *lua.Error
	stringErr := false
	if errors.As(e.Err, &le) {
		msg, stringErr = ngxlua.Reason(le)
	}
	switch e.Phase {
	case ngx.PhaseRewrite, ngx.PhaseAccess, ngx.PhaseContent:
		return ngxlua.EntryThreadAborted(e.Err)
	}
	if stringErr && le.Traceback != "" {
		// lua-nginx-module's message handler adds the traceback to string errors only.
		msg += "\n" + le.Traceback
	}
	return "failed to run " + e.Phase.String() + "_by_lua*: " + msg
}

// Unwrap returns the engine's error.
func (e *LuaError) Unwrap() error { return e.Err }

// luaError turns what Exec returned into the hook's error: ErrExit as it is, anything else a
// *LuaError.
func luaError(err error, phase ngx.Phase) error {
	if errors.Is(err, ngx.ErrExit) {
		return ngx.ErrExit
	}
	return &LuaError{Phase: phase, Err: err}
}

// luaState returns the Lua state r holds, acquiring one for its first Lua hook.
func (h *Handler) luaState(r *ngx.Request) (*lua.State, error) {
	if s, ok := r.Script().(*lua.State); ok {
		return s, nil
	}
	var s *lua.State
	var err error
	if ps := parentState(r); ps != nil {
		s = ps.Sibling()
	} else {
		s, err = h.lua.engine.Acquire(r.Context())
	}
	if err != nil {
		return nil, fmt.Errorf("no Lua state: %w", err)
	}
	s.Data = r
	r.SetScript(s)
	return s, nil
}

// parentState returns the Lua state of the nearest request above subrequest r that has one.
func parentState(r *ngx.Request) *lua.State {
	for p := r.Parent(); p != nil; p = p.Parent() {
		if s, ok := p.Script().(*lua.State); ok {
			return s
		}
	}
	return nil
}

// releaseLua gives back the Lua state r held, if any.
func (h *Handler) releaseLua(r *ngx.Request) {
	if s, ok := r.Script().(*lua.State); ok {
		r.SetScript(nil)
		h.lua.engine.Release(s)
	}
}

// start creates the engine.
func (rt *luaRuntime) start(h *Handler) error {
	rt.logger = h.opts.Logger
	rt.timers = ngxlua.NewTimers(h.opts.Logger)
	rt.sockets = upstream.NewPools()
	if err := rt.trust(); err != nil {
		return err
	}
	e, err := lua.NewEngine(lua.Config{
		Workers:     rt.cfg.Workers,
		MaxStates:   rt.cfg.MaxStates,
		Timeout:     rt.cfg.Timeout,
		MaxBytes:    rt.cfg.MaxBytes,
		PackagePath: expandPrefix(rt.cfg.PackagePath, rt.cfg.Prefix),
		Modules:     rt.modules(),
		NoCodeCache: rt.cfg.NoCodeCache,
		Logger:      h.opts.Logger,
		Print: func(line string) {
			logger := h.opts.Logger
			if logger == nil {
				return
			}
			logger.Log(context.Background(), ngx.LevelNotice.Slog(), "[lua] "+line,
				"level", ngx.LevelNotice.String())
		},
		Setup:      rt.setup,
		WrapError:  ngxlua.WrapError,
		Init:       rt.init,
		InitData:   ngx.PhaseInit,
		InitWorker: rt.runInitWorker,
	})
	if err != nil {
		// Timers that init_worker made before it failed end as at a worker's exit.
		rt.timers.Close()
		rt.sockets.Close()
		return err
	}
	rt.engine = e
	return nil
}

// trust loads lua_ssl_trusted_certificate and lua_ssl_verify_depth into the cosocket pools.
func (rt *luaRuntime) trust() error {
	rt.sockets.Settings = rt.cfg.Sockets
	name := rt.cfg.Sockets.TrustedCertificate
	if name == "" {
		return nil
	}
	if !filepath.IsAbs(name) && rt.cfg.Prefix != "" {
		name = filepath.Join(rt.cfg.Prefix, name)
	}
	pem, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("lua_ssl_trusted_certificate: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("lua_ssl_trusted_certificate %q: no PEM certificate in it", name)
	}
	rt.sockets.RootCAs = pool
	return nil
}

// setup prepares a new state (and the template state init runs in): the ngx API and the
// shared dicts.
func (rt *luaRuntime) setup(s *lua.State) error {
	l := s.L
	ngxlua.Open(l, ngxlua.Options{Re: luare.Logging(ngxlua.LogError), Logger: rt.logger,
		Shared: rt.pushShared, Prefix: rt.cfg.Prefix, Timers: rt.timers,
		Sockets: rt.sockets})
	if len(rt.shared) > 0 {
		sharedict.SetLuaClock(l, requestClock)
	}
	return nil
}

// runInitWorker runs the init_worker hooks on a new state, after it received init's results.
func (rt *luaRuntime) runInitWorker(s *lua.State) error {
	return rt.runAll(s, rt.initWorker, ngx.PhaseInitWorker)
}

// pushShared pushes the dict object of ngx.shared.NAME; false when there is no such dict.
func (rt *luaRuntime) pushShared(l *glua.State, name string) bool {
	d, ok := rt.shared[name]
	if ok {
		sharedict.PushLua(l, d)
	}
	return ok
}

// requestClock is the time shared dicts run at in a request: its cached time (ngx.now), as
// nginx's dicts run at the worker's cached time. Outside requests a dict reads its own clock.
func requestClock(l *glua.State) (time.Time, bool) {
	if s := lua.Current(l); s != nil {
		if r, ok := s.Data.(*ngx.Request); ok && r != nil {
			return r.Clock().Cached(), true
		}
	}
	return time.Time{}, false
}

// runAll runs chunks of a phase outside requests (init, init_worker) in s.
func (rt *luaRuntime) runAll(s *lua.State, chunks []*lua.Chunk, phase ngx.Phase) error {
	for _, c := range chunks {
		s.Data = phase
		err := s.Exec(context.Background(), c, 0)
		s.Data = nil
		if err != nil {
			return luaError(err, phase)
		}
	}
	return nil
}

// modules are the built-in Lua modules, found by require at the ";;" of the package path.
func (rt *luaRuntime) modules() map[string]glua.Function {
	m := limit.LuaModules(func(name string) (sharedict.Store, bool) {
		d, ok := rt.shared[name]
		return d, ok
	})
	m["cjson"] = luacjson.Open
	m["cjson.safe"] = luacjson.OpenSafe
	maps.Copy(m, ngxlua.Modules())
	maps.Copy(m, cache.LuaModules())
	maps.Copy(m, restystring.Modules())
	maps.Copy(m, sharedict.LuaModules())
	maps.Copy(m, upstream.LuaModules())
	m["ngx.re"] = func(l *glua.State) int {
		luare.OpenModule(l, ngxlua.RestyCoreVersion)
		return 1
	}
	return m
}

// expandPrefix applies lua_package_path's $prefix.
func expandPrefix(p, prefix string) string {
	if prefix == "" {
		return p
	}
	return strings.ReplaceAll(p, "$prefix", strings.TrimSuffix(prefix, "/"))
}
