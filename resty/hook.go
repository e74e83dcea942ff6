package resty

import (
	"github.com/goresty/goresty/ngx"
)

// Hook is one step of a phase: a Go function or a Lua script run for the phase it names.
// Several hooks of one phase, Go and Lua mixed, run in the order configured. Exactly one of Go,
// Lua and LuaFile is set.
type Hook struct {
	// Phase is when the hook runs. Locations take request phases: set (nginx's rewrite-module
	// directives and set_by_lua, in order, before the rewrite hooks), rewrite, access, content,
	// header_filter, body_filter, log. Config.Hooks also takes init and init_worker (Lua).
	Phase ngx.Phase
	// Go is the hook's function. In the init phase it receives a nil request.
	Go func(r *ngx.Request) error
	// Lua is the source of a Lua hook, as in *_by_lua_block. It sees OpenResty's ngx API.
	Lua string
	// LuaFile is the path of a Lua hook's source, as in *_by_lua_file; relative to
	// LuaConfig.Prefix.
	LuaFile string
	// Var is the variable a set-phase Lua hook assigns its result to (set_by_lua $var).
	Var string
	// Args are the arguments of a set-phase Lua hook, ngx.arg[1..n] (set_by_lua $var src
	// args...); they may hold nginx variables ("$arg_a").
	Args []string
	// Name is the chunk name Lua errors and tracebacks show; empty means "<phase>_by_lua".
	// The nginx.conf loader names hooks as OpenResty does: content_by_lua(nginx.conf:12).
	Name string
}

// Rewrite returns a hook for the rewrite phase.
func Rewrite(fn func(r *ngx.Request) error) Hook { return Hook{Phase: ngx.PhaseRewrite, Go: fn} }

// Access returns a hook for the access phase.
func Access(fn func(r *ngx.Request) error) Hook { return Hook{Phase: ngx.PhaseAccess, Go: fn} }

// Content returns a hook that produces the response, instead of the wrapped handler.
func Content(fn func(r *ngx.Request) error) Hook { return Hook{Phase: ngx.PhaseContent, Go: fn} }

// HeaderFilter returns a hook that runs before the response headers go out; it may change the
// status and headers.
func HeaderFilter(fn func(r *ngx.Request) error) Hook {
	return Hook{Phase: ngx.PhaseHeaderFilter, Go: fn}
}

// BodyFilter returns a hook that runs on every chunk of the response body: it reads the chunk
// with r.BodyChunk and may replace it with r.SetBodyChunk.
func BodyFilter(fn func(r *ngx.Request) error) Hook { return Hook{Phase: ngx.PhaseBodyFilter, Go: fn} }

// Log returns a hook that runs after the response was sent.
func Log(fn func(r *ngx.Request) error) Hook { return Hook{Phase: ngx.PhaseLog, Go: fn} }

// Init returns a hook that runs once, when the Handler is built; its error fails New.
func Init(fn func() error) Hook {
	return Hook{Phase: ngx.PhaseInit, Go: func(*ngx.Request) error { return fn() }}
}

// LuaHook returns a Lua hook for phase with source src.
func LuaHook(phase ngx.Phase, src string) Hook { return Hook{Phase: phase, Lua: src} }

// SetLua returns a set-phase Lua hook that assigns the result of src to variable name, with
// args as ngx.arg (set_by_lua $name src args...).
func SetLua(name, src string, args ...string) Hook {
	return Hook{Phase: ngx.PhaseSet, Lua: src, Var: name, Args: args}
}
