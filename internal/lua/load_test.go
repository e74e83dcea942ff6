package lua

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadMatchesLua52(t *testing.T) {
	src := readTestdata(t, "load.lua")
	assert.Equal(t, reference(t, "lua5.2", src), run(t, src))
}

func TestLoadDefaultsToTheRunsEnvironment(t *testing.T) {
	e, p := newTestEngine(t, Config{MaxStates: 1})
	out, err := runLua(t, e, p, "t.lua", `
loadstring("x = 1")()
load("y = 2")()
print(x, y, rawget(_G, "x"), rawget(_ENV, "x"), loadstring("return print")() == print)`)
	require.NoError(t, err)
	assert.Equal(t, "1\t2\tnil\t1\ttrue\n", out)
	out, err = runLua(t, e, p, "t.lua", `print(x, y)`)
	require.NoError(t, err)
	assert.Equal(t, "nil\tnil\n", out, "globals set by loaded chunks stay in their run")
}

func TestLoadRefusesBinaryChunks(t *testing.T) {
	out := run(t, `
print(load("\27Lua binary"))
print(load("\27Lua binary", "b", "t"))
print(loadstring("\27Lua"))`)
	assert.Equal(t, "nil\tattempt to load a binary chunk\n"+
		"nil\tattempt to load a binary chunk (mode is 't')\n"+
		"nil\tattempt to load a binary chunk (mode is 't')\n", out)
}

func TestLoadstringIssue50(t *testing.T) {
	src := "return loadstring([==[" + issue50 + "]==])()"
	assert.Equal(t, reference(t, "lua5.2", issue50), run(t, src))
}

func TestRequireAndFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"mod/a.lua": `local M = {} local t = setmetatable({}, {__index = function(_, k) return "<" .. k .. ">" end})
function M.f(x) local y = "A" .. x return y, t.k end
GLOBAL_FROM_MODULE = "set"
return M`,
		"script.lua": "#!/usr/bin/env lua\nreturn 1, 2, ...",
		"bad.lua":    "return = 1",
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
	}
	src := `package.path = "` + dir + `/?.lua;` + dir + `/?/init.lua"
local a = require("mod.a")
print(a.f("x"))
print(require("mod.a") == a, rawget(_G, "GLOBAL_FROM_MODULE"))
print(pcall(require, "missing.mod"))
print(select(2, pcall(require, "bad")):match("^error loading module 'bad' from file '.-bad.lua':\n\t.-bad.lua:1: unexpected symbol near '='$") ~= nil)
print(dofile("` + dir + `/script.lua"))
print(loadfile("` + dir + `/script.lua")(3))
print(loadfile("` + dir + `/nothere.lua"))
print(require("table.new") == table.new, require("table.clear") == table.clear, package.loaders == package.searchers)`
	want := "Ax\t<k>\n" +
		"true\tset\n" +
		"false\tmodule 'missing.mod' not found:\n\tno field package.preload['missing.mod']\n\tno file '" + dir + "/missing/mod.lua'\n\tno file '" + dir + "/missing/mod/init.lua'\n" +
		"true\n" +
		"1\t2\n" +
		"1\t2\t3\n" +
		"nil\tcannot open " + dir + "/nothere.lua\n" +
		"true\ttrue\ttrue\n"
	assert.Equal(t, want, run(t, src))
}

func TestCompileSyntaxError(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"handler.lua", "x = = 1", "handler.lua:1: unexpected symbol near '='"},
		{"@conf/site.lua", "\n\nx = = 1", "conf/site.lua:3: unexpected symbol near '='"},
		{"=literal", "x = 'abc", "literal:1: unfinished string near <eof>"},
		{"eof.lua", "if x then", "eof.lua:1: 'end' expected near <eof>"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.name, tt.src)
		var le *Error
		require.ErrorAs(t, err, &le, tt.src)
		assert.Equal(t, tt.want, le.Message, tt.src)
	}
}
