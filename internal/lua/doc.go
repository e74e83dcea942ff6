// Package lua is goresty's Lua engine: it runs Lua 5.2 code on github.com/Shopify/go-lua and
// makes that VM correct and safe enough for a server.
//
// Code is compiled once with Compile into patched bytecode (a Chunk), which any number of states
// load and run. A request takes a State from the Engine with Acquire, runs chunks with
// State.Exec and gives it back with Release:
//
//	chunk, err := lua.Compile("hello.lua", `print("hello " .. name)`)
//	engine, err := lua.NewEngine(lua.Config{Timeout: time.Second})
//	s, err := engine.Acquire(ctx)
//	defer engine.Release(s)
//	err = s.Exec(ctx, chunk, 0)
//
// The engine follows OpenResty's worker model. It runs a few Lua VMs (Config.Workers, as nginx
// has worker processes), each with the libraries, what Setup installed and Init left, its
// globals and its loaded modules. A State is a lightweight thread of one VM: a go-lua state
// sharing the VM's registry, globals and metatables, with a stack of its own (about 1.5 KB and
// a few microseconds to make, where a VM is some 36 KB and half a millisecond). One State runs
// Lua on a VM at a time: Exec holds the VM, and a Go function that waits outside Lua (ngx.sleep,
// reading the request body, writing to a slow client) gives it up through Wait, so a VM serves
// thousands of requests in flight as a worker does, and what a request costs while it sleeps is
// its stack and its goroutine. What a request assigns to _G, to a module or to a library table
// is seen by the other requests of its VM, as in an nginx worker.
//
// Each Exec runs with a fresh _ENV whose __index is the VM's globals, so assignments to
// globals never leak from one Exec to the next, even while one waits and another runs the same
// chunk: a chunk that may assign globals (or load code, or change environments) runs a fresh
// closure of its main function per Exec. A chunk whose functions only read globals needs no
// environment; its one main function, shared by all Execs, reads the globals themselves. The
// engine repairs what go-lua gets wrong or lacks:
//
//   - CONCAT leaves the VM's stack top too low (go-lua issue #50), so a metamethod called later
//     in the same expression overwrote live registers. The bytecode is rewritten so that every
//     CONCAT is followed by a short sequence that restores the top without a call (GETUPVAL of
//     a scratch table, then SETLIST into it) or, when MaxBytes is set, by a call to a Go
//     function that also rejects a result longer than MaxBytes ("string length overflow").
//   - MOD and POW of two numbers use Go's math.Mod and math.Pow in the VM; the bytecode calls Go
//     functions instead that compute Lua 5.2's a - floor(a/b)*b and C's pow (-7 % 3 is 2),
//     falling back to the VM's instruction for other operands (coercion, metamethods, errors).
//   - error, pcall and xpcall are replaced: any value can be thrown and is caught unchanged,
//     xpcall's handler runs before the stack unwinds (debug.traceback works as a handler), and a
//     Go panic inside a library or Setup function becomes a Lua error (see Protect).
//   - go-lua has no lua_newthread: a State's go-lua state is made with NewState and pointed at
//     its VM's global state (newThreadOf, vm.go), relying on go-lua's State.global field, which
//     the package checks when it starts.
//   - coroutine.* runs each coroutine on its own goroutine and go-lua state, handing control
//     back and forth over channels, since the VM itself cannot yield. Yields across pcall,
//     metamethods and Go functions work. A suspended coroutine whose thread value becomes
//     unreachable is unwound at the next coroutine.create; all are unwound at Release.
//   - load, loadstring, loadfile, dofile and require compile through the same patcher; binary
//     chunks are never loaded from Lua. require "table.new" and "table.clear" return the
//     table functions, as LuaJIT allows.
//   - require follows Config.PackagePath (lua_package_path's syntax) and finds the built-in
//     Config.Modules where its ";;" stands. Each Lua file, required or compiled with
//     Engine.CompileFile, is compiled once per Engine; Config.NoCodeCache reloads changed files
//     as "lua_code_cache off" does.
//   - Config.Init runs once in a template VM, as init_by_lua runs in OpenResty's master
//     before the workers fork; every VM starts from a deep copy of what it left (see
//     initsnap.go for what is copied and how), then Config.InitWorker runs on it.
//   - Runtime error messages are reworded as Lua 5.2 words them (errnames.go): variables named
//     by the failing instruction ("attempt to index field 'b' (a nil value)"), functions in
//     "bad argument" errors named as their caller knows them, unquoted types in comparisons.
//   - A count hook enforces Config.Timeout and the Exec's context with an error pcall cannot
//     catch; Abort does the same from Go. debug.sethook accepts only "no hook".
//   - go-lua's debug info finds no function names (it reads the instruction after the call)
//     and prints Go functions as "[Go]". FuncName finds the name in the caller's bytecode, and
//     tracebacks (Error.Traceback, debug.traceback) are built here in LuaJIT's words, which
//     OpenResty's users read (traceback.go), as is debug.getinfo (getinfo.go).
//   - Lua 5.1's function environments (getfenv, setfenv, module) work through the _ENV upvalue
//     (fenv.go, module51.go); require is LuaJIT's (require.go). Stack levels, error positions
//     and the names in argument errors leave out the frames that a tail call to a Go function
//     replaces in LuaJIT (tailcall.go).
//   - Work that outlives an Exec (ngx.timer) runs later on the VM whose functions it holds:
//     State.Pin keeps that VM open, Pin.Acquire gives a State of it, and State.Call runs a
//     function value as Exec runs a chunk.
//
// A Go panic inside the VM itself (not inside a protected Go function) ends the Exec with an
// internal error; at Release the state is discarded and its VM retired (it takes no new state
// and closes with its last one); no panic reaches the caller.
//
// The pattern library (package pattern) and the standard-library fixes (package stdlib) are
// installed on every VM as well.
package lua
