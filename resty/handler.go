package resty

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/goresty/goresty/ngx"
)

// Handler runs the phases of a Config's locations around a wrapped http.Handler. Build it with
// New; it is safe for concurrent use.
type Handler struct {
	opts       ngx.Options
	errorPages map[int]ErrorPage
	router     router
	pool       sync.Pool
	lua        luaRuntime
}

var _ http.Handler = (*Handler)(nil)

// requestPhases are the phases a location's hooks may name, in the order they run.
var requestPhases = [...]ngx.Phase{ngx.PhaseSet, ngx.PhaseRewrite, ngx.PhaseAccess, ngx.PhaseContent,
	ngx.PhaseHeaderFilter, ngx.PhaseBodyFilter, ngx.PhaseLog}

// New checks c, runs its init hooks and returns the Handler. An invalid location (a duplicate,
// a bad regex, a hook without a function or of an unknown phase) is refused with an error
// naming it.
func New(c Config) (*Handler, error) {
	h := &Handler{opts: ngx.Options{
		Logger:       c.Logger,
		ServerTokens: c.ServerTokens,
		Server:       c.Server,
		DefaultType:  c.DefaultType,
		MaxBodySize:  c.MaxBodySize,
		Variables:    map[string]bool{},

		UnderscoresInHeaders: c.UnderscoresInHeaders,
		ServerName:           c.ServerName,
	}}
	for _, name := range c.Variables {
		h.opts.Variables[strings.ToLower(strings.TrimPrefix(name, "$"))] = true
	}
	if h.opts.ServerTokens == "" {
		h.opts.ServerTokens = "goresty"
	}
	switch h.opts.DefaultType {
	case "":
		h.opts.DefaultType = "text/plain"
	case "-":
		h.opts.DefaultType = ""
	}
	switch {
	case h.opts.MaxBodySize == 0:
		h.opts.MaxBodySize = maxBodyDefault
	case h.opts.MaxBodySize < 0:
		h.opts.MaxBodySize = 0
	}
	h.opts.Subrequest = h.subrequest
	h.opts.Prepare()
	h.pool.New = func() any { return new(ngx.Request) }
	h.lua.cfg = c.Lua
	shared, err := sharedDicts(c.SharedDicts)
	if err != nil {
		return nil, err
	}
	h.lua.shared = shared
	h.errorPages = c.ErrorPages
	if err := checkErrorPages(c.ErrorPages); err != nil {
		return nil, err
	}
	if err := h.startLua(c); err != nil {
		return nil, err
	}
	built := false
	defer func() {
		if !built { // a later error: end the Lua engine and its timers
			h.Close()
		}
	}()

	inherited, inits, err := h.serverHooks(c.Hooks)
	if err != nil {
		return nil, err
	}
	h.router = router{exact: map[string]*location{}, named: map[string]*location{}}
	for i := range c.Locations {
		l, err := h.newLocation(&c.Locations[i], c.Next, &inherited)
		if err != nil {
			return nil, fmt.Errorf("location %q: %w", c.Locations[i].Match, err)
		}
		if err := h.router.add(l); err != nil {
			return nil, fmt.Errorf("location %q: %w", c.Locations[i].Match, err)
		}
	}
	h.router.sort()
	h.router.fallback, _ = h.newLocation(&Location{Match: "/"}, c.Next, &inherited)
	for _, fn := range inits {
		if err := callInit(fn); err != nil {
			return nil, fmt.Errorf("init: %w", err)
		}
	}
	built = true
	return h, nil
}

// serverHooks sorts Config.Hooks into the per-phase hooks locations inherit and the Go init
// hooks; Lua init and init_worker hooks were given to the Lua runtime by startLua.
func (h *Handler) serverHooks(hooks []Hook) (inherited [phaseSlots][]hookFunc, inits []hookFunc, err error) {
	for i, hk := range hooks {
		where := fmt.Sprintf("hook %d (%s)", i, hk.Phase)
		if hk.Phase == ngx.PhaseInit || hk.Phase == ngx.PhaseInitWorker {
			if err := checkHookSource(hk, where); err != nil {
				return inherited, nil, err
			}
			switch {
			case hk.Go == nil:
			case hk.Phase == ngx.PhaseInit:
				inits = append(inits, hk.Go)
			default:
				return inherited, nil, fmt.Errorf("%s: init_worker hooks are Lua (a Go program has no workers)", where)
			}
			continue
		}
		fn, err := h.compileHook(i, hk)
		if err != nil {
			return inherited, nil, err
		}
		inherited[hk.Phase] = append(inherited[hk.Phase], fn)
	}
	return inherited, inits, nil
}

// checkHookSource checks that a hook has exactly one of Go, Lua and LuaFile.
func checkHookSource(hk Hook, where string) error {
	n := 0
	for _, set := range []bool{hk.Go != nil, hk.Lua != "", hk.LuaFile != ""} {
		if set {
			n++
		}
	}
	switch n {
	case 0:
		return fmt.Errorf("%s: no function", where)
	case 1:
		return nil
	}
	return fmt.Errorf("%s: more than one of Go, Lua and LuaFile", where)
}

// compileHook checks a hook of a request phase and returns what the pipeline calls.
func (h *Handler) compileHook(i int, hk Hook) (hookFunc, error) {
	where := fmt.Sprintf("hook %d (%s)", i, hk.Phase)
	if !isRequestPhase(hk.Phase) {
		return nil, fmt.Errorf("hook %d: unknown phase %d (%s) for a location", i, hk.Phase, hk.Phase)
	}
	if err := checkHookSource(hk, where); err != nil {
		return nil, err
	}
	if hk.Go != nil {
		return hk.Go, nil
	}
	chunk, err := h.lua.hookChunk(hk, where)
	if err != nil {
		return nil, err
	}
	if hk.Phase == ngx.PhaseSet {
		return h.setHook(chunk, hk, where)
	}
	return h.luaHook(chunk, hk.Phase), nil
}

func isRequestPhase(p ngx.Phase) bool {
	for _, q := range requestPhases {
		if p == q {
			return true
		}
	}
	return false
}

func callInit(fn hookFunc) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return fn(nil)
}

// ServeHTTP serves req through the phases of the location its path matches.
func (h *Handler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	loc := h.router.match(ngx.NormalizePath(req.URL.Path))
	if loc.bare {
		loc.next.ServeHTTP(w, req)
		return
	}
	r := h.pool.Get().(*ngx.Request)
	r.Reset(w, req, &h.opts)
	defer func() {
		aborted := r.Aborted()
		h.releaseLua(r)
		r.Clear()
		h.pool.Put(r)
		if aborted {
			panic(http.ErrAbortHandler)
		}
	}()
	if req.Method == http.MethodTrace && loc != h.router.fallback {
		// nginx refuses TRACE as it reads the request headers, before any phase; a
		// request no location serves is the wrapped application's to answer.
		r.Log(ngx.LevelInfo, "client sent TRACE method")
		_ = r.SendErrorPage(http.StatusMethodNotAllowed)
		return
	}
	h.serve(r, loc)
}

// serve runs the request phases, follows internal redirects, then runs the log phase.
func (h *Handler) serve(r *ngx.Request, loc *location) {
	h.runLocation(r, loc)
	for hops := 0; ; hops++ {
		target, redirect := r.TakeExec()
		if !redirect {
			break
		}
		next := h.resolve(target)
		switch {
		case hops == maxRedirects:
			r.Log(ngx.LevelErr, fmt.Sprintf("rewrite or internal redirection cycle while internally redirecting to %q", target))
		case next == nil:
			r.Log(ngx.LevelErr, fmt.Sprintf("named location %q not found", target))
		default:
			loc = next
			h.runLocation(r, loc)
			continue
		}
		r.MarkErrorPage() // no error_page for these, as nginx
		h.finalize(r, loc, http.StatusInternalServerError)
		r.TakeExec()
		break
	}
	if r.IsSubrequest() {
		return // log runs for the main request only
	}
	r.SetPhase(ngx.PhaseLog)
	for _, fn := range loc.hooks[ngx.PhaseLog] {
		if err := h.call(r, fn); err != nil && !errors.Is(err, ngx.ErrExit) {
			h.logHookError(r, err)
		}
	}
}

// resolve returns the location an internal redirect's target leads to.
func (h *Handler) resolve(target string) *location {
	if strings.HasPrefix(target, "@") {
		return h.router.named[target]
	}
	return h.router.match(target)
}

// checkErrorPages refuses statuses nginx's error_page refuses and pages without a URI.
func checkErrorPages(pages map[int]ErrorPage) error {
	for status, page := range pages {
		if status < 300 || status > 599 || page.URI == "" {
			return fmt.Errorf("error page %d %q: value must be between 300 and 599, with a URI", status, page.URI)
		}
	}
	return nil
}
