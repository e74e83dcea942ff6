package lua

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// An Engine compiles each Lua file once, for require and for CompileFile alike, and every VM
// loads that bytecode. With Config.NoCodeCache (OpenResty's lua_code_cache off) a file whose
// modification time or size changed since it was compiled is compiled again when it is next
// asked for, and a VM that loaded modules from files drops them from package.loaded at the
// next Acquire of one of its States once any of those files changed (State.refreshFiles), so
// that the next require runs the new code.

// fileStamp identifies the version of a file that a chunk was compiled from.
type fileStamp struct {
	path    string
	modTime time.Time
	size    int64
}

// changed reports whether the file is no longer the version f describes (or is gone).
func (f *fileStamp) changed() bool {
	st, err := os.Stat(f.path)
	return err != nil || !st.ModTime().Equal(f.modTime) || st.Size() != f.size
}

// codeCache holds the chunks compiled from files, by path.
type codeCache struct {
	reload bool // Config.NoCodeCache
	mu     sync.Mutex
	files  map[string]*cachedFile
	// compiles counts compilations (tests check that a file is compiled once).
	compiles atomic.Int64
}

// cachedFile is one path's entry; mu is held while the file is compiled, so that states asking
// for it at once wait for one compilation.
type cachedFile struct {
	mu    sync.Mutex
	chunk *Chunk
}

func newCodeCache(reload bool) *codeCache {
	return &codeCache{reload: reload, files: map[string]*cachedFile{}}
}

// chunk returns the compiled chunk of the file at path, compiling it on first use (and, with
// reload, again when the file changed). Errors are not cached: a file fixed after a syntax error
// is compiled by the next call.
func (cc *codeCache) chunk(path string) (*Chunk, error) {
	cc.mu.Lock()
	f := cc.files[path]
	if f == nil {
		f = &cachedFile{}
		cc.files[path] = f
	}
	cc.mu.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.chunk != nil && (!cc.reload || !f.chunk.file.changed()) {
		return f.chunk, nil
	}
	c, err := compileFile(path)
	if err != nil {
		return nil, err
	}
	cc.compiles.Add(1)
	f.chunk = c
	return c, nil
}

// compileFile reads and compiles a Lua file as chunk "@path", dropping a first line that starts
// with '#'.
func compileFile(path string) (*Chunk, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	b, err := io.ReadAll(fh)
	if err != nil {
		return nil, err
	}
	c, err := Compile("@"+path, stripShebang(string(b)))
	if err != nil {
		return nil, err
	}
	c.file = &fileStamp{path: path, modTime: st.ModTime(), size: st.Size()}
	return c, nil
}

// stripShebang comments out a first line that starts with '#', keeping line numbers.
func stripShebang(src string) string {
	if !strings.HasPrefix(src, "#") {
		return src
	}
	if i := strings.IndexByte(src, '\n'); i >= 0 {
		return "--" + src[i:]
	}
	return ""
}

// CompileFile returns the compiled chunk of the Lua file at path, named "@path" (so errors read
// "path:line: message"), as *_by_lua_file hooks use it. The file is compiled once per Engine and
// shared with require; with Config.NoCodeCache it is compiled again when it changed since, so a
// caller that asks for the chunk on every request runs the current version. The error of a
// missing file is the *os.PathError; a syntax error is an *Error.
func (e *Engine) CompileFile(path string) (*Chunk, error) {
	return e.files.chunk(path)
}
