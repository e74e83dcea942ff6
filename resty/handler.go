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
	opts   ngx.Options
	router router
	pool   sync.Pool
}

var _ http.Handler = (*Handler)(nil)

// requestPhases are the phases a location's hooks may name, in the order they run.
var requestPhases = [...]ngx.Phase{ngx.PhaseRewrite, ngx.PhaseAccess, ngx.PhaseContent,
	ngx.PhaseHeaderFilter, ngx.PhaseBodyFilter, ngx.PhaseLog}

// New checks c, runs its init hooks and returns the Handler. An invalid location (a duplicate,
// a bad regex, a hook without a function or of an unknown phase) is refused with an error
// naming it.
func New(c Config) (*Handler, error) {
	h := &Handler{opts: ngx.Options{
		Logger:       c.Logger,
		ServerTokens: c.ServerTokens,
		DefaultType:  c.DefaultType,
		MaxBodySize:  c.MaxBodySize,
	}}
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
	h.pool.New = func() any { return new(ngx.Request) }

	inherited, inits, err := serverHooks(c.Hooks)
	if err != nil {
		return nil, err
	}
	h.router = router{exact: map[string]*location{}, named: map[string]*location{}}
	for i := range c.Locations {
		l, err := newLocation(&c.Locations[i], c.Next, &inherited)
		if err != nil {
			return nil, fmt.Errorf("location %q: %w", c.Locations[i].Match, err)
		}
		if err := h.router.add(l); err != nil {
			return nil, fmt.Errorf("location %q: %w", c.Locations[i].Match, err)
		}
	}
	h.router.sort()
	h.router.fallback, _ = newLocation(&Location{Match: "/"}, c.Next, &inherited)
	for _, fn := range inits {
		if err := callInit(fn); err != nil {
			return nil, fmt.Errorf("init: %w", err)
		}
	}
	return h, nil
}

// serverHooks sorts Config.Hooks into the per-phase hooks locations inherit and the init hooks.
func serverHooks(hooks []Hook) (inherited [phaseSlots][]hookFunc, inits []hookFunc, err error) {
	for i, hk := range hooks {
		if hk.Go == nil {
			return inherited, nil, fmt.Errorf("hook %d (%s): no function", i, hk.Phase)
		}
		switch {
		case hk.Phase == ngx.PhaseInit:
			inits = append(inits, hk.Go)
		case isRequestPhase(hk.Phase):
			inherited[hk.Phase] = append(inherited[hk.Phase], hk.Go)
		default:
			return inherited, nil, fmt.Errorf("hook %d: unknown phase %d (%s)", i, hk.Phase, hk.Phase)
		}
	}
	return inherited, inits, nil
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
		r.Clear()
		h.pool.Put(r)
		if aborted {
			panic(http.ErrAbortHandler)
		}
	}()
	h.serve(r, loc)
}

// serve runs the request phases, follows internal redirects, then runs the log phase.
func (h *Handler) serve(r *ngx.Request, loc *location) {
	if max := h.opts.MaxBodySize; max > 0 && r.HTTPRequest().ContentLength > max {
		r.SetLocation(loc.name)
		r.Log(ngx.LevelErr, fmt.Sprintf("client intended to send too large body: %d bytes",
			r.HTTPRequest().ContentLength))
		h.finalize(r, http.StatusRequestEntityTooLarge)
		return
	}
	for hops := 0; ; hops++ {
		target, redirect := h.runLocation(r, loc)
		if !redirect {
			break
		}
		if hops == maxRedirects {
			r.Log(ngx.LevelErr, fmt.Sprintf("rewrite or internal redirection cycle while internally redirecting to %q", target))
			h.finalize(r, http.StatusInternalServerError)
			break
		}
		next := h.resolve(target)
		if next == nil {
			r.Log(ngx.LevelErr, fmt.Sprintf("named location %q not found", target))
			h.finalize(r, http.StatusInternalServerError)
			break
		}
		loc = next
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
