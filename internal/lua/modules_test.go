package lua

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewPackagePath(t *testing.T) {
	const def = "./?.lua;/usr/share/lua/?.lua"
	tests := []struct {
		user, path string
		at         int
	}{
		{"", def, 0},
		{";;", def, 0},
		{"/a/?.lua;;", "/a/?.lua;" + def, 1},
		{";;/a/?.lua", def + ";/a/?.lua", 0},
		{"/a/?.lua;/b/?.lua;;/c/?.lua", "/a/?.lua;/b/?.lua;" + def + ";/c/?.lua", 2},
		{"/a/?.lua;/b/?.lua", "/a/?.lua;/b/?.lua", 2},
		{"/a/?.lua;", "/a/?.lua", 1},
		{"/a/?.lua;;/b/?.lua;;", "/a/?.lua;" + def + ";/b/?.lua;" + def, 1},
	}
	for _, tt := range tests {
		pp := newPackagePath(tt.user, def)
		assert.Equal(t, tt.path, pp.path, "%q", tt.user)
		assert.Equal(t, tt.at, pp.at, "%q", tt.user)
	}
}

func TestModulesAtAfterPathChanges(t *testing.T) {
	pp := newPackagePath("/a/?.lua;;", "./?.lua;/d/?.lua")
	tests := map[string]int{
		pp.path:                        1,
		"/x/?.lua;" + pp.path:          2,
		pp.path + ";/y/?.lua":          1,
		"/x/?.lua;/y/?.lua":            2,
		"./?.lua;/d/?.lua;/a/?.lua":    0,
		"/a/?.lua;./?.lua;/z/?.lua;;x": 4,
	}
	for path, want := range tests {
		assert.Equal(t, want, pp.modulesAt(path, templates(path)), path)
	}
}

// writeFiles writes name → content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		path := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
	}
}

// builtin returns a module loader that pushes a table {from = from}.
func builtin(from string) glua.Function {
	return func(l *glua.State) int {
		l.NewTable()
		l.PushString(from)
		l.SetField(-2, "from")
		return 1
	}
}

func TestUserModuleShadowsBuiltinOnlyBeforeDoubleSemicolon(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"json.lua": `return {from = "file"}`})
	modules := map[string]glua.Function{"json": builtin("builtin"), "only.builtin": builtin("builtin")}
	tests := []struct {
		path, want string
	}{
		{dir + "/?.lua;;", "file"},
		{";;" + dir + "/?.lua", "builtin"},
		{dir + "/?.lua", "file"},
		{"/nowhere/?.lua", "builtin"},
		{"", "builtin"},
	}
	for _, tt := range tests {
		e, p := newTestEngine(t, Config{MaxStates: 1, PackagePath: tt.path, Modules: modules})
		out, err := runLua(t, e, p, "t.lua", `print(require("json").from, require("only.builtin").from)`)
		require.NoError(t, err, tt.path)
		assert.Equal(t, tt.want+"\tbuiltin\n", out, "PackagePath %q", tt.path)
	}
}

func TestBuiltinModulesFollowPathChanges(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"json.lua": `return {from = "file"}`})
	e, p := newTestEngine(t, Config{MaxStates: 1, Modules: map[string]glua.Function{"json": builtin("builtin")}})
	out, err := runLua(t, e, p, "t.lua", `
package.path = package.path .. ";`+dir+`/?.lua"
print(require("json").from)
package.loaded.json = nil
package.path = "`+dir+`/?.lua;" .. package.path
print(require("json").from)
package.loaded.json = nil
package.path = "/nowhere/?.lua"
print(require("json").from)
print(select(2, pcall(require, "missing")))`)
	require.NoError(t, err)
	assert.Equal(t, "builtin\nfile\nbuiltin\n"+
		"module 'missing' not found:\n\tno field package.preload['missing']\n\tno file '/nowhere/missing.lua'\n", out)
}

func TestModuleLoaderErrorsAndArguments(t *testing.T) {
	modules := map[string]glua.Function{
		"args": func(l *glua.State) int { l.PushValue(1); return 1 },
		"boom": func(l *glua.State) int { panic("loader failed") },
	}
	e, p := newTestEngine(t, Config{MaxStates: 1, Modules: modules})
	out, err := runLua(t, e, p, "t.lua", `print(require("args"), package.loaded.args) print(pcall(require, "boom"))`)
	require.NoError(t, err)
	assert.Equal(t, "args\targs\nfalse\tloader failed\n", out)
}

func TestFilesAreCompiledOncePerEngine(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"counter.lua": `local M = {n = 0} function M.inc() M.n = M.n + 1 return M.n end return M`,
		"hook.lua":    `return require("counter").inc()`,
	})
	e, _ := newTestEngine(t, Config{MaxStates: 4, PackagePath: dir + "/?.lua;;"})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := e.CompileFile(filepath.Join(dir, "hook.lua"))
			if !assert.NoError(t, err) {
				return
			}
			s, err := e.Acquire(context.Background())
			if !assert.NoError(t, err) {
				return
			}
			defer e.Release(s)
			assert.NoError(t, s.Exec(context.Background(), c, 1))
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(2), e.files.compiles.Load(), "hook.lua and counter.lua, once each")
	c1, err := e.CompileFile(filepath.Join(dir, "hook.lua"))
	require.NoError(t, err)
	c2, err := e.CompileFile(filepath.Join(dir, "hook.lua"))
	require.NoError(t, err)
	assert.Same(t, c1, c2)
	assert.Equal(t, "@"+filepath.Join(dir, "hook.lua"), c1.Name())
}

func TestCompileFileErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"bad.lua": "#!/bin/lua\nreturn = 1"})
	e, _ := newTestEngine(t, Config{MaxStates: 1})
	_, err := e.CompileFile(filepath.Join(dir, "missing.lua"))
	require.ErrorIs(t, err, os.ErrNotExist)
	_, err = e.CompileFile(filepath.Join(dir, "bad.lua"))
	var le *Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, filepath.Join(dir, "bad.lua")+":2: unexpected symbol near '='", le.Message)
	writeFiles(t, dir, map[string]string{"bad.lua": "return 1"})
	_, err = e.CompileFile(filepath.Join(dir, "bad.lua"))
	require.NoError(t, err, "a failed compilation is not cached")
}

// rewrite replaces a file's content and moves its modification time, so that the change is seen
// even on file systems with coarse timestamps.
func rewrite(t *testing.T, path, body string, age time.Duration) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
	mt := time.Now().Add(age)
	require.NoError(t, os.Chtimes(path, mt, mt))
}

// execFile runs the Lua file at path through CompileFile on one Acquire and returns its output.
func execFile(t *testing.T, e *Engine, p *printer, path string) string {
	t.Helper()
	c, err := e.CompileFile(path)
	require.NoError(t, err)
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	defer e.Release(s)
	require.NoError(t, s.Exec(context.Background(), c, 0))
	return p.take()
}

func TestNoCodeCacheReloadsChangedFiles(t *testing.T) {
	for _, noCache := range []bool{false, true} {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{
			"dep.lua":  `return {v = "dep1"}`,
			"mod.lua":  `local dep = require("dep") return {get = function() return dep.v end}`,
			"hook.lua": `print("hook1", require("mod").get())`,
		})
		e, p := newTestEngine(t, Config{MaxStates: 1, PackagePath: dir + "/?.lua;;", NoCodeCache: noCache})
		hook := filepath.Join(dir, "hook.lua")
		assert.Equal(t, "hook1\tdep1\n", execFile(t, e, p, hook))
		rewrite(t, filepath.Join(dir, "dep.lua"), `return {v = "dep2, changed"}`, time.Second)
		rewrite(t, hook, `print("hook2", require("mod").get())`, time.Second)
		want := "hook1\tdep1\n"
		if noCache {
			want = "hook2\tdep2, changed\n"
		}
		assert.Equal(t, want, execFile(t, e, p, hook), "NoCodeCache %v", noCache)
		assert.Equal(t, want, execFile(t, e, p, hook), "NoCodeCache %v, unchanged since", noCache)
		compiles := map[bool]int64{false: 3, true: 5}[noCache]
		assert.Equal(t, compiles, e.files.compiles.Load(), "NoCodeCache %v", noCache)
	}
}
