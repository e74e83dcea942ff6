package lua

import (
	"math"
	"os"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua/pattern"
	"github.com/goresty/goresty/internal/lua/stdlib"
)

// open installs the libraries of a new state: go-lua's standard library with every Go function
// protected against panics, the pattern library and the standard-library fixes, then the
// engine's own functions.
func (s *State) open() error {
	l := s.L
	v := s.vm
	glua.OpenLibraries(l)
	v.wrapped = map[any]any{}
	pattern.OpenWith(l, pattern.Options{MaxBytes: s.engine.maxBytes()})
	protectLibraries(l, v.wrapped)
	stdlib.Open(l, stdlib.Options{Print: s.engine.cfg.Print, MaxBytes: s.engine.maxBytes()})
	l.Global("next")
	v.next = l.ToValue(-1)
	l.Pop(1)
	markLibraries(l, v.wrapped)
	s.installBase()
	l.SetTop(0)
	return nil
}

// installBase sets the engine's functions and the per-state values Exec needs.
func (s *State) installBase() {
	l, v := s.L, s.vm
	setGlobals(l, v.wrapped, []glua.RegistryFunction{
		{Name: "error", Function: luaError},
		{Name: "pcall", Function: pcall},
		{Name: "xpcall", Function: xpcall},
		{Name: "load", Function: luaLoad},
		{Name: "loadstring", Function: loadstring},
		{Name: "loadfile", Function: loadfile},
		{Name: "dofile", Function: dofile},
		{Name: "getfenv", Function: getfenv},
		{Name: "setfenv", Function: setfenv},
		{Name: "module", Function: module},
	})
	l.PushString(luaVersion)
	l.SetGlobal("_VERSION")
	l.CreateTable(0, len(coroutineLibrary))
	setFunctions(l, v.wrapped, coroutineLibrary)
	l.PushValue(-1)
	l.SetGlobal("coroutine")
	setLoaded(l, "coroutine")
	l.Pop(1)

	l.Global("debug")
	setFunctions(l, v.wrapped, []glua.RegistryFunction{
		{Name: "sethook", Function: sethook},
		{Name: "gethook", Function: gethook},
		{Name: "traceback", Function: traceback},
		{Name: "getinfo", Function: getinfo},
	})
	l.Pop(1)
	s.installPackage()

	l.PushGlobalTable()
	v.globals = l.ToValue(-1)
	l.CreateTable(0, 2)
	l.Insert(-2)
	l.SetField(-2, "__index")
	l.PushBoolean(false)
	l.SetField(-2, "__metatable")
	v.envMeta = l.ToValue(-1)
	l.NewTable()
	v.xfer = l.ToValue(-1)
	l.Pop(2)
	if err := glua.LoadString(l, fenvCellSource); err != nil {
		panic("lua: compiling the setfenv cell: " + err.Error())
	}
	v.fenvCell = l.ToValue(-1)
	l.Pop(1)
	v.helpers[helperScratch] = s.newScratch()
	l.PushGoFunction(luaMod)
	v.helpers[helperMod] = l.ToValue(-1)
	l.Pop(1)
	v.helpers[helperPow] = s.newPowHelper()
	v.helpers[helperNoCache] = math.NaN()
}

// newPowHelper returns the value of the helperPow upvalue, built on the math.pow the standard
// library installed.
func (s *State) newPowHelper() any {
	l := s.L
	pow := glua.Function(func(l *glua.State) int {
		x, _ := l.ToNumber(1)
		y, _ := l.ToNumber(2)
		l.PushNumber(math.Pow(x, y))
		return 1
	})
	l.Global("math")
	if l.IsTable(-1) {
		l.Field(-1, "pow")
		if f := l.ToGoFunction(-1); f != nil {
			pow = f
		}
		l.Pop(1)
	}
	l.Pop(1)
	l.PushGoFunction(newPowHelper(pow))
	v := l.ToValue(-1)
	l.Pop(1)
	return v
}

// luaVersion is the _VERSION of LuaJIT, which OpenResty code may test to choose between Lua 5.1's
// functions (setfenv, loadstring, unpack, module) and 5.2's; goresty has both.
const luaVersion = "Lua 5.1"

// defaultLuaPath is the default package.path (lua_package_path's ";;") when the environment
// sets none: the current directory and where OpenResty, LuaRocks and Debian install Lua
// modules, in the order OpenResty's LuaJIT searches them, so that pure-Lua libraries installed
// for OpenResty (lua-resty-redis, lua-resty-http, ...) are found. The built-in modules come
// before all of them, as OpenResty's bundled lualib does: an FFI module installed there (the
// lua-resty-core package's resty.core) never hides goresty's own.
const defaultLuaPath = "/usr/local/openresty/site/lualib/?.lua;/usr/local/openresty/site/lualib/?/init.lua;" +
	"/usr/local/openresty/lualib/?.lua;/usr/local/openresty/lualib/?/init.lua;./?.lua;" +
	"/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua;" +
	"/usr/share/lua/5.1/?.lua;/usr/share/lua/5.1/?/init.lua"

// luajitCPath is LuaJIT's default package.cpath. goresty loads no C module; the path is there
// for code that reads or extends it.
const luajitCPath = "./?.so;/usr/local/lib/lua/5.1/?.so;/usr/local/lib/lua/5.1/loadall.so"

// installPackage points require at the engine's searcher, sets package.path and package.cpath,
// and adds LuaJIT's table.new and table.clear modules, Lua 5.1's package.loaders and
// package.seeall.
func (s *State) installPackage() {
	l := s.L
	l.Global("package")
	e := s.engine
	e.pathOnce.Do(func() {
		def := defaultLuaPath
		if os.Getenv("LUA_PATH_5_2") != "" || os.Getenv("LUA_PATH") != "" {
			l.Field(-1, "path") // go-lua's, from the environment
			def, _ = l.ToString(-1)
			l.Pop(1)
		}
		e.path = newPackagePath(e.cfg.PackagePath, def)
	})
	l.PushString(e.path.path)
	l.SetField(-2, "path")
	l.PushString(luajitCPath)
	l.SetField(-2, "cpath")
	setFunctions(l, s.vm.wrapped, []glua.RegistryFunction{{Name: "seeall", Function: seeall}})
	l.Field(-1, "searchers")
	l.PushValue(-2)
	l.PushGoClosure(protectGo(searchLua), 1)
	l.RawSetInt(-2, 2)
	l.SetField(-2, "loaders")
	l.PushValue(-1)
	l.PushUserData(nil)
	s.vm.requireMark = l.ToValue(-1)
	l.PushGoClosure(protectGo(luaRequire), 2)
	s.vm.wrapped[l.ToValue(-1)] = l.ToValue(-1)
	l.SetGlobal("require")
	l.Field(-1, "preload")
	for _, name := range []string{"new", "clear"} {
		l.PushGoFunction(protectGo(preloadField("table", name)))
		l.SetField(-2, "table."+name)
	}
	l.Pop(2)
}

// newScratch returns the value of the scratch upvalue of patched code for this state's fix kind.
func (s *State) newScratch() any {
	l := s.L
	if s.kind == fixCheck {
		max := s.engine.maxBytes()
		l.PushGoFunction(func(l *glua.State) int {
			if str, ok := l.ToValue(1).(string); ok && len(str) > max {
				raiseString(l, 1, "string length overflow")
			}
			return 0
		})
	} else {
		l.NewTable()
	}
	v := l.ToValue(-1)
	l.Pop(1)
	return v
}

func setLoaded(l *glua.State, name string) {
	glua.SubTable(l, glua.RegistryIndex, "_LOADED")
	l.PushValue(-2)
	l.SetField(-2, name)
	l.Pop(1)
}

// setGlobals sets protected functions as globals.
func setGlobals(l *glua.State, seen map[any]any, fns []glua.RegistryFunction) {
	l.PushGlobalTable()
	setFunctions(l, seen, fns)
	l.Pop(1)
}

// setFunctions sets protected functions into the table on the stack top. Each function gets one
// unused upvalue so that go-lua's argument errors can name it.
func setFunctions(l *glua.State, seen map[any]any, fns []glua.RegistryFunction) {
	for _, f := range fns {
		l.PushBoolean(true)
		l.PushGoClosure(protectGo(f.Function), 1)
		seen[l.ToValue(-1)] = l.ToValue(-1)
		l.SetField(-2, f.Name)
	}
}

// protectLibraries replaces every Go function not in seen that is a global, or a field (up to
// libraryDepth levels down) of a global table or a package.loaded table, by a protected wrapper
// (protectGo), and records the wrappers in seen.
func protectLibraries(l *glua.State, seen map[any]any) { walkLibraries(l, seen, true) }

// markLibraries records the Go functions of the libraries in seen without wrapping them (they
// protect themselves).
func markLibraries(l *glua.State, seen map[any]any) { walkLibraries(l, seen, false) }

func walkLibraries(l *glua.State, seen map[any]any, wrap bool) {
	w := &walker{seen: seen, visited: map[any]bool{}, wrap: wrap}
	l.PushGlobalTable()
	w.table(l, libraryDepth)
	l.Pop(1)
	l.Field(glua.RegistryIndex, "_LOADED")
	w.table(l, libraryDepth)
	l.Pop(1)
}

// libraryDepth is how deep protectLibraries looks into tables of tables (ngx.req.get_headers is
// two levels below the globals).
const libraryDepth = 3

type walker struct {
	seen    map[any]any // a Go function → its protected wrapper (a wrapper maps to itself)
	visited map[any]bool
	wrap    bool
}

// table visits the string-keyed fields of the table on the stack top, descending depth levels
// into tables.
func (w *walker) table(l *glua.State, depth int) {
	if !l.IsTable(-1) || w.visited[l.ToValue(-1)] {
		return
	}
	w.visited[l.ToValue(-1)] = true
	t := l.Top()
	var keys []string
	l.PushNil()
	for l.Next(t) {
		if l.TypeOf(-2) == glua.TypeString {
			k, _ := l.ToString(-2)
			keys = append(keys, k)
		}
		l.Pop(1)
	}
	for _, k := range keys {
		l.PushString(k)
		l.RawGet(t)
		switch {
		case l.IsGoFunction(-1):
			w.function(l, t, k)
		case l.IsTable(-1) && depth > 0:
			w.table(l, depth-1)
		}
		l.Pop(1)
	}
}

// function handles the Go function on the stack top, found at field k of the table at index t:
// it records it, or replaces it by its protected wrapper (one wrapper per function, so that
// a function stored in two places stays equal to itself).
func (w *walker) function(l *glua.State, t int, k string) {
	v := l.ToValue(-1)
	wrapper, known := w.seen[v]
	switch {
	case known && wrapper == v:
		return
	case !known && !w.wrap:
		w.seen[v] = v
		return
	case !known:
		wrapFunction(l)
		wrapper = l.ToValue(-1)
		w.seen[v], w.seen[wrapper] = wrapper, wrapper
	}
	l.PushString(k)
	l.PushLightUserData(wrapper)
	l.RawSet(t)
}

// wrapFunction replaces the Go function on the stack top by a protected one with the same
// upvalues, or one unused upvalue if it had none (so that argument errors can name it).
func wrapFunction(l *glua.State) {
	f := l.ToGoFunction(-1)
	i := l.Top()
	n := 0
	for n < 255 {
		if _, ok := glua.UpValue(l, i, n+1); !ok {
			break
		}
		n++
	}
	if n == 0 {
		l.PushBoolean(true)
		n = 1
	}
	l.PushGoClosure(protectGo(f), uint8(n))
	l.Replace(i)
}
