package lua

import (
	"fmt"
	"os"
	"strings"

	glua "github.com/Shopify/go-lua"
)

// load, loadstring, loadfile, dofile and require's Lua searcher all compile through the patcher.
// A chunk they load runs in the environment given, or else in the running Exec's _ENV (so that
// loadstring("x = 1")() sets x for this run only, as OpenResty's per-request environment does),
// or in the globals outside an Exec. Modules found by require (modules.go) run in the globals.

// loadChunk compiles source under the raw Lua chunk name name and pushes the function, with env
// as its _ENV (nil: the default). On a syntax error it pushes nothing and returns the message.
func loadChunk(l *glua.State, source, name string, env any, hasEnv bool) string {
	s := Current(l)
	name = stringChunkName(name)
	dump, err := compileSource(name, source)
	if err != nil {
		return err.Error()
	}
	code, helpers, err := patchChunk(dump, s.kind, false, lastLine(source))
	if err != nil {
		return fmt.Sprintf("%s: %v", name, err)
	}
	fn, err := s.loadBytecode(l, code, name, helpers)
	if err != nil {
		return err.Error()
	}
	l.PushLightUserData(fn)
	if !hasEnv {
		if env = s.execEnv(l); env == nil {
			env = s.vm.globals
		}
	}
	l.PushLightUserData(env)
	glua.SetUpValue(l, -2, 1)
	return ""
}

// stringChunkName returns the chunk name for load's name: "@file" and "=literal" names are
// kept; any other name is source text, which Lua shows as [string "first line..."] (cut at the
// first newline or 45 bytes). go-lua shows more of a multi-line source without the "...", so
// the engine names such a chunk by its "=[string ...]" form (debug.getinfo's source then reads
// that form too).
func stringChunkName(name string) string {
	if strings.HasPrefix(name, "@") || strings.HasPrefix(name, "=") {
		return name
	}
	const room = 45 // LUA_IDSIZE minus the decorations and the terminating zero
	line, _, multi := strings.Cut(name, "\n")
	if len(line) < room && !multi {
		return `=[string "` + name + `"]`
	}
	return `=[string "` + line[:min(len(line), room)] + `..."]`
}

// luaLoad is load(ld [, source [, mode [, env]]]).
func luaLoad(l *glua.State) int {
	var source, name string
	switch l.TypeOf(1) {
	case glua.TypeString, glua.TypeNumber:
		source, _ = l.ToString(1)
		name = glua.OptString(l, 2, source)
	case glua.TypeFunction:
		name = glua.OptString(l, 2, "=(load)")
		var ok bool
		if source, ok = readPieces(l); !ok {
			l.PushNil()
			l.Insert(-2)
			return 2
		}
	default:
		glua.CheckType(l, 1, glua.TypeFunction)
	}
	mode := glua.OptString(l, 3, "bt")
	var env any
	hasEnv := !l.IsNone(4)
	if hasEnv {
		env = l.ToValue(4)
	}
	return loadResult(l, checkMode(source, mode, name, env, hasEnv, l))
}

// readPieces calls the reader function at index 1 until it returns nil or "". An error, in the
// reader or about what it returned, leaves the error value on the stack and returns false, as
// Lua's load reports it rather than raising it.
func readPieces(l *glua.State) (string, bool) {
	var b strings.Builder
	t, max := threadOf(l), Current(l).engine.maxBytes()
	for {
		l.PushValue(1)
		if err := t.protectedCall(l, 0, 1, handler{kind: handlePlain}); err != nil {
			if kind, uerr := classify(l, err); kind != errCatchable {
				panic(uerr)
			}
			return "", false
		}
		if l.IsNil(-1) {
			l.Pop(1)
			return b.String(), true
		}
		piece, ok := l.ToString(-1)
		l.Pop(1)
		switch {
		case !ok:
			l.PushString("reader function must return a string")
			return "", false
		case piece == "":
			return b.String(), true
		case max > 0 && b.Len()+len(piece) > max:
			l.PushString("chunk too large")
			return "", false
		}
		b.WriteString(piece)
	}
}

// checkMode loads source if mode allows its kind; goresty never loads binary chunks from Lua.
func checkMode(source, mode, name string, env any, hasEnv bool, l *glua.State) string {
	if strings.HasPrefix(source, glua.Signature) {
		if !strings.Contains(mode, "b") {
			return fmt.Sprintf("attempt to load a binary chunk (mode is '%s')", mode)
		}
		return errBinaryChunk.Error()
	}
	if !strings.Contains(mode, "t") {
		return fmt.Sprintf("attempt to load a text chunk (mode is '%s')", mode)
	}
	return loadChunk(l, source, name, env, hasEnv)
}

// loadResult returns the loaded function, or nil and the message.
func loadResult(l *glua.State, msg string) int {
	if msg == "" {
		return 1
	}
	l.PushNil()
	l.PushString(msg)
	return 2
}

// loadstring is Lua 5.1's loadstring(s [, chunkname]).
func loadstring(l *glua.State) int {
	source := glua.CheckString(l, 1)
	name := glua.OptString(l, 2, source)
	return loadResult(l, checkMode(source, "t", name, nil, false, l))
}

// readSourceFile reads a Lua file, dropping a first line that starts with '#'.
func readSourceFile(filename string) (string, error) {
	b, err := os.ReadFile(filename)
	if err != nil {
		return "", err
	}
	return stripShebang(string(b)), nil
}

// loadfile is loadfile(filename [, mode [, env]]); reading standard input is not supported.
func loadfile(l *glua.State) int {
	filename := glua.CheckString(l, 1)
	mode := glua.OptString(l, 2, "bt")
	src, err := readSourceFile(filename)
	if err != nil {
		return loadResult(l, fmt.Sprintf("cannot open %s", filename))
	}
	var env any
	hasEnv := !l.IsNone(3)
	if hasEnv {
		env = l.ToValue(3)
	}
	return loadResult(l, checkMode(src, mode, "@"+filename, env, hasEnv, l))
}

// dofile is dofile(filename): it runs the file and returns its results; errors propagate.
func dofile(l *glua.State) int {
	filename := glua.CheckString(l, 1)
	src, err := readSourceFile(filename)
	if err != nil {
		raiseString(l, 1, fmt.Sprintf("cannot open %s", filename))
	}
	l.SetTop(0)
	if msg := checkMode(src, "t", "@"+filename, nil, false, l); msg != "" {
		l.PushString(msg)
		raise(l)
	}
	l.Call(0, glua.MultipleReturns)
	return l.Top()
}

// preloadField returns a package.preload loader that yields library.field, for LuaJIT's
// require "table.new" and require "table.clear".
func preloadField(library, field string) glua.Function {
	return func(l *glua.State) int {
		l.Field(glua.RegistryIndex, "_LOADED")
		l.Field(-1, library)
		if l.IsTable(-1) {
			l.Field(-1, field)
		} else {
			l.PushNil()
		}
		return 1
	}
}
