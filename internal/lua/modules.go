package lua

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	glua "github.com/Shopify/go-lua"
)

// require looks for a module as OpenResty's does: package.preload, then the templates of
// package.path, with the built-in modules (Config.Modules) standing where lua_package_path's
// ";;" puts the default path, that is where OpenResty's bundled lualib is found. A user's own
// file of the same name wins when its template comes before ";;".

// packagePath is an engine's package.path and where in it the built-in modules are searched.
type packagePath struct {
	path string
	// at is the index of the template before which Modules are searched in path.
	at int
	// defaults are the templates ";;" stood for, by which a package.path changed at run time
	// is searched for the place of Modules.
	defaults []string
}

// newPackagePath expands user, in lua_package_path's syntax, with def as the default path.
// Every ";;" becomes the default path; Modules go to the first. Without ";;" the default path
// is left out (as OpenResty does) and Modules come after every template. An empty user means the
// default path alone.
func newPackagePath(user, def string) packagePath {
	defaults := templates(def)
	if user == "" {
		return packagePath{path: def, defaults: defaults}
	}
	before, _, found := strings.Cut(user, ";;")
	if !found {
		user = strings.Trim(user, ";")
		return packagePath{path: user, at: len(templates(user)), defaults: defaults}
	}
	path := strings.ReplaceAll(user, ";;", ";"+def+";")
	path = strings.Join(templates(path), ";")
	return packagePath{path: path, at: len(templates(before)), defaults: defaults}
}

// templates splits a path into its non-empty templates.
func templates(path string) []string {
	return slices.DeleteFunc(strings.Split(path, ";"), func(s string) bool { return s == "" })
}

// modulesAt returns where the Modules stand among the templates ts of package.path p: the
// configured place while p is unchanged, else before the last run of the default templates, or
// after every template when p has none.
func (pp *packagePath) modulesAt(p string, ts []string) int {
	if p == pp.path {
		return pp.at
	}
	n := len(pp.defaults)
	for i := len(ts) - n; n > 0 && i >= 0; i-- {
		if slices.Equal(ts[i:i+n], pp.defaults) {
			return i
		}
	}
	return len(ts)
}

// searchLua is the searcher of require that follows package.path (package.searchers[2]); its
// upvalue is the package table. It returns the loader of a built-in module, or of a Lua file
// compiled through the engine's code cache (which runs in the globals), or the list of files
// tried.
func searchLua(l *glua.State) int {
	name := glua.CheckString(l, 1)
	l.Field(glua.UpValueIndex(1), "path")
	path, ok := l.ToString(-1)
	if !ok || l.TypeOf(-1) != glua.TypeString {
		raiseString(l, 1, "'package.path' must be a string")
	}
	s := Current(l)
	e := s.engine
	ts := templates(path)
	at := len(ts) + 1
	if len(e.cfg.Modules) > 0 {
		at = e.path.modulesAt(path, ts)
	}
	filename := strings.ReplaceAll(name, ".", string(filepath.Separator))
	var tried strings.Builder
	for i := 0; i <= len(ts); i++ {
		if i == at {
			if loader, ok := e.cfg.Modules[name]; ok {
				l.PushGoFunction(protectGo(loader))
				return 1
			}
		}
		if i == len(ts) {
			break
		}
		file := strings.ReplaceAll(ts[i], "?", filename)
		if !isFile(file) {
			fmt.Fprintf(&tried, "\n\tno file '%s'", file)
			continue
		}
		c, err := e.files.chunk(file)
		if err != nil {
			raiseString(l, 1, fmt.Sprintf("error loading module '%s' from file '%s':\n\t%v", name, file, err))
		}
		s.pushInGlobals(l, c)
		s.noteFileModule(name, c)
		l.PushString(file)
		return 2
	}
	l.PushString(tried.String())
	return 1
}

// isFile reports whether path names a readable file that is not a directory.
func isFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	return err == nil && !st.IsDir()
}

// pushInGlobals pushes onto l a function that runs c with the globals as its _ENV, as modules
// run.
func (s *State) pushInGlobals(l *glua.State, c *Chunk) {
	fn, err := s.loadOn(l, c)
	if err != nil {
		l.PushString(err.Error())
		raise(l)
	}
	l.PushLightUserData(fn)
	l.PushLightUserData(s.vm.globals)
	bindEnv(l, c)
}

// noteFileModule records that module name was loaded from c, when files may be reloaded.
func (s *State) noteFileModule(name string, c *Chunk) {
	if !s.engine.files.reload {
		return
	}
	v := s.vm
	if v.fileModules == nil {
		v.fileModules = map[string]*Chunk{}
	}
	v.fileModules[name] = c
}

// refreshFiles runs at Acquire under Config.NoCodeCache, holding the VM. When a file that a
// module of s's VM came from has changed, every module the VM loaded from a file leaves
// package.loaded, so the next require runs the new code, and modules that kept a reference to
// the old one are run again too (as the fresh Lua VM that OpenResty makes per request without
// its code cache would). Loaded chunks of changed files are forgotten.
func (s *State) refreshFiles() {
	v := s.vm
	stale := map[*Chunk]bool{}
	for c := range v.chunks {
		if c.file != nil && c.file.changed() {
			stale[c] = true
			delete(v.chunks, c)
		}
	}
	drop := false
	for _, c := range v.fileModules {
		if stale[c] || (!v.hasChunk(c) && c.file.changed()) {
			drop = true
			break
		}
	}
	l := s.L
	if !drop {
		// A module whose loading failed keeps require's mark, so require would say "loop or
		// previous error" (LuaJIT's words in a VM that lives on); without the code cache,
		// OpenResty runs it again in a fresh VM, and so does the next require here.
		l.Field(glua.RegistryIndex, "_LOADED")
		for name := range v.fileModules {
			l.Field(-1, name)
			failed := l.ToValue(-1) == v.requireMark
			l.Pop(1)
			if failed {
				l.PushNil()
				l.SetField(-2, name)
			}
		}
		l.Pop(1)
		return
	}
	l.Field(glua.RegistryIndex, "_LOADED")
	for name := range v.fileModules {
		l.PushString(name)
		l.PushNil()
		l.RawSet(-3)
	}
	l.Pop(1)
	clear(v.fileModules)
}

// hasChunk reports whether c is loaded in v (and so was checked by refreshFiles already).
func (v *vm) hasChunk(c *Chunk) bool {
	_, ok := v.chunks[c]
	return ok
}

// SourceModule returns a loader for Config.Modules that runs c as require runs a module file:
// with the VM's globals as its _ENV and the module's name as its argument. What c returns is
// the module.
func SourceModule(c *Chunk) glua.Function {
	return func(l *glua.State) int {
		Current(l).pushInGlobals(l, c)
		l.PushValue(1)
		l.Call(1, 1)
		return 1
	}
}
