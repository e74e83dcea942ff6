package resty

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/goresty/goresty/ngx"
)

// hookFunc is a hook ready to run; Lua hooks are wrapped into the same shape.
type hookFunc = func(r *ngx.Request) error

// phaseSlots sizes per-phase tables indexed by ngx.Phase.
const phaseSlots = int(ngx.PhaseTimer) + 1

// location is a Location compiled for serving.
type location struct {
	name  string
	kind  matchKind
	path  string
	re    *pattern
	hooks [phaseSlots][]hookFunc
	next  http.Handler
	// filtered: the location has header or body filters or log hooks, so the wrapped handler's
	// response must pass through the Request.
	filtered bool
	// bare: no hooks at all; the wrapped handler serves the request directly.
	bare bool
	// defaultType, maxBody and errorPages are the location's settings, the Handler's where it
	// sets none.
	defaultType string
	maxBody     int64
	errorPages  map[int]ErrorPage
}

func (h *Handler) newLocation(c *Location, next http.Handler, inherited *[phaseSlots][]hookFunc) (*location, error) {
	kind, path, re, err := parseMatch(c.Match)
	if err != nil {
		return nil, err
	}
	l := &location{name: c.Match, kind: kind, path: path, re: re, next: next,
		defaultType: h.opts.DefaultType, maxBody: h.opts.MaxBodySize, errorPages: h.errorPages}
	if c.Next != nil {
		l.next = c.Next
	}
	switch c.DefaultType {
	case "":
	case "-":
		l.defaultType = ""
	default:
		l.defaultType = c.DefaultType
	}
	switch {
	case c.MaxBodySize > 0:
		l.maxBody = c.MaxBodySize
	case c.MaxBodySize < 0:
		l.maxBody = 0
	}
	if c.ErrorPages != nil {
		if err := checkErrorPages(c.ErrorPages); err != nil {
			return nil, err
		}
		l.errorPages = c.ErrorPages
	}
	for i, hk := range c.Hooks {
		fn, err := h.compileHook(i, hk)
		if err != nil {
			return nil, err
		}
		l.hooks[hk.Phase] = append(l.hooks[hk.Phase], fn)
	}
	bare := true
	for _, p := range requestPhases {
		if len(l.hooks[p]) == 0 {
			l.hooks[p] = inherited[p]
		}
		if len(l.hooks[p]) > 0 {
			bare = false
		}
	}
	l.filtered = len(l.hooks[ngx.PhaseHeaderFilter]) > 0 || len(l.hooks[ngx.PhaseBodyFilter]) > 0 ||
		len(l.hooks[ngx.PhaseLog]) > 0
	l.bare = bare && l.next != nil && h.opts.Server == "" && l.maxBody == 0 && re == nil
	return l, nil
}

// FilterHeader runs the header_filter hooks (ngx.Filter). A hook's Exit ends the filters and
// stays recorded in r for SendHeaders.
func (l *location) FilterHeader(r *ngx.Request) error {
	for _, fn := range l.hooks[ngx.PhaseHeaderFilter] {
		err := callHook(r, fn)
		if err != nil && !errors.Is(err, ngx.ErrExit) {
			return hookError(ngx.PhaseHeaderFilter, err)
		}
		if _, exited := r.Exited(); exited {
			return nil
		}
	}
	return nil
}

// FilterBody runs the body_filter hooks on one chunk (ngx.Filter).
func (l *location) FilterBody(r *ngx.Request, chunk []byte, eof bool) ([]byte, bool, error) {
	hooks := l.hooks[ngx.PhaseBodyFilter]
	if len(hooks) == 0 {
		return chunk, eof, nil
	}
	saved := r.Phase()
	r.SetPhase(ngx.PhaseBodyFilter)
	defer r.SetPhase(saved)
	r.SetBodyChunk(chunk, eof)
	for _, fn := range hooks {
		if err := callHook(r, fn); err != nil && !errors.Is(err, ngx.ErrExit) {
			return nil, false, hookError(ngx.PhaseBodyFilter, err)
		}
		r.ClearExit()
	}
	out, last := r.BodyChunk()
	r.SetBodyChunk(nil, false)
	return out, last, nil
}

// runLocation runs rewrite, access and content for loc. A hook that asks for an internal
// redirect leaves it pending in r (Request.TakeExec).
func (h *Handler) runLocation(r *ngx.Request, loc *location) {
	r.SetLocation(loc.name)
	if loc.filtered {
		r.SetFilter(loc)
	} else {
		r.SetFilter(nil)
	}
	r.SetDefaultType(loc.defaultType)
	r.SetMaxBodySize(loc.maxBody)
	if loc.re != nil {
		r.SetCaptures(loc.re.captures(r.URI()))
	} else {
		r.SetCaptures(nil, nil)
	}
	// nginx checks client_max_body_size once: an error page (for 413 too) has dropped the body.
	if loc.maxBody > 0 && !r.ErrorPageUsed() && r.HTTPRequest().ContentLength > loc.maxBody {
		r.Log(ngx.LevelErr, fmt.Sprintf("client intended to send too large body: %d bytes",
			r.HTTPRequest().ContentLength))
		h.finalize(r, loc, http.StatusRequestEntityTooLarge)
		return
	}
	for _, p := range [...]ngx.Phase{ngx.PhaseSet, ngx.PhaseRewrite, ngx.PhaseAccess, ngx.PhaseContent} {
		if p == ngx.PhaseAccess && r.IsSubrequest() {
			continue // nginx runs the access phase for the main request only
		}
		r.SetPhase(p)
		for _, fn := range loc.hooks[p] {
			if h.step(r, loc, h.call(r, fn)) {
				return
			}
		}
		if p == ngx.PhaseContent && len(loc.hooks[p]) == 0 {
			h.runNext(r, loc)
			if r.ExecPending() {
				return
			}
		}
	}
	h.finish(r)
}

// runNext lets the wrapped handler produce the content.
func (h *Handler) runNext(r *ngx.Request, loc *location) {
	if loc.next == nil {
		h.finalize(r, loc, http.StatusNotFound)
		return
	}
	req := r.HTTPRequest()
	r.DisableNotModified() // a Go handler answers conditional requests itself
	if !loc.filtered {
		// Nothing filters or logs the response: the handler may write to the client directly.
		loc.next.ServeHTTP(r.UnderlyingWriter(), req)
		r.MarkDone()
		return
	}
	loc.next.ServeHTTP(r.ResponseWriter(), req)
}

// step interprets what a hook returned and reports whether the request's phases end here.
func (h *Handler) step(r *ngx.Request, loc *location, err error) (done bool) {
	if err != nil && !errors.Is(err, ngx.ErrExit) {
		h.logHookError(r, err)
		if r.HeadersSent() {
			r.Abort()
		} else {
			h.finalize(r, loc, http.StatusInternalServerError)
		}
		return true
	}
	status, exited := r.Exited()
	if exited && r.ExecPending() {
		return true
	}
	if exited && (status != ngx.CodeOK || r.Phase() == ngx.PhaseContent) {
		h.finalize(r, loc, status)
		return true
	}
	r.ClearExit()
	if r.Phase() != ngx.PhaseContent && r.HeadersSent() {
		// A hook before content that sent the response header ends the request there, as
		// lua-nginx-module's rewrite and access handlers do: a later phase would add a
		// second response to it.
		h.finish(r)
		return true
	}
	return false
}

// finalize ends the response with status, as ngx.exit(status) does: with the configured
// error page (an internal redirect, left pending in r) or nginx's own.
func (h *Handler) finalize(r *ngx.Request, loc *location, status int) {
	switch {
	case status == ngx.CodeOK:
		h.finish(r)
	case status < 0 || status == statusClose:
		r.Abort()
	case r.HeadersSent():
		if status >= 300 && status != r.Status() { // nginx's "special responses" only
			r.Log(ngx.LevelErr, fmt.Sprintf("attempt to set status %d via ngx.exit after sending out the response status %d",
				status, r.Status()))
		}
		h.finish(r)
	default:
		// A subrequest's special response is its status alone: nginx gives it no error page.
		if page, ok := loc.errorPages[status]; ok && !r.ErrorPageUsed() && !r.IsSubrequest() {
			r.UseErrorPage(status, page.Status)
			if strings.HasPrefix(page.URI, "@") {
				_ = r.Exec(page.URI)
			} else {
				// The page gets its own arguments only, as nginx's error_page.
				path, args, _ := strings.Cut(page.URI, "?")
				_ = r.ExecArgs(path, args, true)
			}
			return
		}
		if err := r.SendErrorPage(status); err != nil {
			r.Abort()
		}
	}
}

// statusClose is nginx's 444: close the connection without a response.
const statusClose = 444

// finish ends the response normally. A filter's failure was logged by the Request.
func (h *Handler) finish(r *ngx.Request) {
	if err := r.Finish(); err != nil {
		r.Abort()
	}
}

// call runs one hook of the current phase; a panic becomes an error.
func (h *Handler) call(r *ngx.Request, fn hookFunc) error { return callHook(r, fn) }

func callHook(r *ngx.Request, fn hookFunc) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return fn(r)
}

// logHookError logs a hook's failure: a Lua hook's as OpenResty words it, a Go hook's as
// "failed to run <phase> hook: <error>".
func (h *Handler) logHookError(r *ngx.Request, err error) {
	r.Log(ngx.LevelErr, hookError(r.Phase(), err).Error())
}

// hookError words err of a hook of phase for the error log.
func hookError(phase ngx.Phase, err error) error {
	var le *LuaError
	if errors.As(err, &le) {
		return err
	}
	return fmt.Errorf("failed to run %s hook: %w", phase, err)
}

// PanicError is the error a hook's panic turns into.
type PanicError struct {
	Value any
	Stack []byte
}

// Error gives the panic value and the stack.
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v\n%s", e.Value, e.Stack) }
