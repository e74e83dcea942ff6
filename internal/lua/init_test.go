package lua

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mustCompile compiles source as chunk name or fails the test.
func mustCompile(t testing.TB, name, source string) *Chunk {
	t.Helper()
	c, err := Compile(name, source)
	require.NoError(t, err)
	return c
}

// acquireAll takes n states from e at once (so they are distinct) and releases them at the end
// of the test.
func acquireAll(t *testing.T, e *Engine, n int) []*State {
	t.Helper()
	states := make([]*State, n)
	for i := range states {
		s, err := e.Acquire(context.Background())
		require.NoError(t, err)
		states[i] = s
		t.Cleanup(func() { e.Release(s) })
	}
	return states
}

// execIn runs source in s and returns what it printed.
func execIn(t *testing.T, s *State, p *printer, source string) string {
	t.Helper()
	require.NoError(t, s.Exec(context.Background(), mustCompile(t, "req.lua", source), 0))
	return p.take()
}

func TestInitRunsOnceAndEveryStateStartsFromItsCopy(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"counter.lua": `
local M = {hits = 0}
function M.hit() M.hits = M.hits + 1 return M.hits end
return M`})
	var inits atomic.Int32
	setup := func(s *State) error {
		s.L.Register("note_init", func(l *glua.State) int { inits.Add(1); return 0 })
		return nil
	}
	init := mustCompile(t, "init.lua", `
note_init()
config = {name = "site", list = {1, 2, 3}}
local n = 10
function next_id() n = n + 1 return n end
counter = require("counter")
local boom_line = 7 function boom() error("boom") end`)
	e, p := newTestEngine(t, Config{Workers: 3, MaxStates: 3, Setup: setup, Init: []*Chunk{init}, PackagePath: dir + "/?.lua"})
	states := acquireAll(t, e, 3)
	for i, s := range states {
		out := execIn(t, s, p, `
print(config.name, #config.list, next_id(), counter.hit(), package.loaded.counter == counter)
for i = 1, `+string(rune('1'+i))+` do config.list[#config.list + 1] = i; next_id() end
print(#config.list, next_id(), counter.hit())
print(pcall(boom))`)
		want := "site\t3\t11\t1\ttrue\n" + []string{"4\t13\t2\n", "5\t14\t2\n", "6\t15\t2\n"}[i] +
			"false\tinit.lua:7: boom\n"
		assert.Equal(t, want, out, "VM %d sees init's values and only its own changes", i)
	}
	assert.Equal(t, int32(1), inits.Load(), "init ran once")
	assert.Equal(t, "6\t16\t3\n", execIn(t, states[2], p, `print(#config.list, next_id(), counter.hit())`),
		"a VM keeps its own changes")
}

func TestInitCopyKeepsSharingAndIdentity(t *testing.T) {
	setup := func(s *State) error {
		s.L.NewTable()
		s.L.SetGlobal("api")
		s.L.Register("goapi", func(l *glua.State) int { return 0 })
		return nil
	}
	init := mustCompile(t, "init.lua", `
a = {} a.self = a
local shared = {v = 1}
b = {shared, shared, [shared] = "key"}
local fmt, myapi, go = string.format, api, goapi
function libs() return fmt == string.format, myapi == api, go == goapi end
local n = 0
function inc() n = n + 1 return n end
function get() return n end
local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end
fibber = fib
function string.shout(s) return s:upper() .. "!" end
loadfile = nil
setmetatable(_G, {__index = function(_, k) return "default " .. k end})
weak = setmetatable({}, {__mode = "k"})`)
	e, p := newTestEngine(t, Config{Workers: 2, MaxStates: 2, Setup: setup, Init: []*Chunk{init}})
	states := acquireAll(t, e, 2)
	out := execIn(t, states[0], p, `
print(a.self == a, b[1] == b[2], b[b[1]], libs())
print(inc(), inc(), get(), fibber(10), ("hi"):shout(), loadfile, undefined_name)
print(getmetatable(weak).__mode)
a.x, b[1].v, api.y = 1, 2, 3`)
	assert.Equal(t, "true\ttrue\tkey\ttrue\ttrue\ttrue\n1\t2\t2\t55\tHI!\tdefault loadfile\tdefault undefined_name\nk\n", out)
	out = execIn(t, states[1], p, `print(a.x, b[2].v, api.y, get())`)
	assert.Equal(t, "nil\t1\tnil\t0\n", out, "no table or upvalue is shared between VMs")
}

func TestInitSeesInitDataAndInitWorkerRunsPerVM(t *testing.T) {
	var workers atomic.Int32
	setup := func(s *State) error {
		s.L.Register("phase", func(l *glua.State) int {
			l.PushString(Current(l).Data.(string))
			return 1
		})
		return nil
	}
	worker := func(s *State) error {
		workers.Add(1)
		s.L.Global("from_init")
		v, _ := s.L.ToString(-1)
		s.L.PushString(v + ", then worker")
		s.L.SetGlobal("from_worker")
		s.L.Pop(1)
		return nil
	}
	init := mustCompile(t, "init.lua", `from_init = phase()`)
	e, p := newTestEngine(t, Config{Workers: 2, MaxStates: 4, Setup: setup, Init: []*Chunk{init}, InitData: "init", InitWorker: worker})
	for _, s := range acquireAll(t, e, 4) {
		assert.Equal(t, "init, then worker\n", execIn(t, s, p, `print(from_worker)`))
	}
	assert.Equal(t, int32(2), workers.Load(), "once per VM, never on the template")
}

func TestInitErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"error", `error("no config")`, "init.lua:1: no config"},
		{"coroutine global", `co = coroutine.create(function() end)`, "init left a coroutine in _G.co"},
		{"coroutine deep", `cfg = {list = {coroutine.create(print)}}`, "init left a coroutine in _G.cfg.list[1]"},
		{"coroutine upvalue", `local co = coroutine.wrap(print) local t = {co = coroutine.running()} function f() return t end`, ""},
	}
	for _, tt := range tests {
		_, err := NewEngine(Config{Init: []*Chunk{mustCompile(t, "init.lua", tt.src)}, Print: func(string) {}})
		if tt.want == "" {
			require.NoError(t, err, tt.name)
			continue
		}
		require.Error(t, err, tt.name)
		assert.Contains(t, err.Error(), tt.want, tt.name)
	}
	_, err := NewEngine(Config{Init: []*Chunk{mustCompile(t, "init.lua",
		`local co = coroutine.create(print) function f() return co end`)}})
	require.ErrorContains(t, err, "init left a coroutine in upvalue 'co' of _G.f")
	_, err = NewEngine(Config{Init: []*Chunk{mustCompile(t, "init.lua",
		`local gen = coroutine.wrap(print) function f() return gen end`)}})
	require.ErrorContains(t, err, "init left a coroutine in upvalue '1' of upvalue 'gen' of _G.f")
}

func TestInitModulesReloadUnderNoCodeCache(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"m.lua": `return {v = 1}`})
	init := mustCompile(t, "init.lua", `m = require("m")`)
	e, p := newTestEngine(t, Config{MaxStates: 1, Init: []*Chunk{init}, PackagePath: dir + "/?.lua", NoCodeCache: true})
	req := mustCompile(t, "req.lua", `print(m.v, require("m").v)`)
	run := func() string {
		s, err := e.Acquire(context.Background())
		require.NoError(t, err)
		defer e.Release(s)
		require.NoError(t, s.Exec(context.Background(), req, 0))
		return p.take()
	}
	assert.Equal(t, "1\t1\n", run())
	rewrite(t, filepath.Join(dir, "m.lua"), `return {v = 22}`, 1e9)
	assert.Equal(t, "1\t22\n", run(), "the global keeps init's copy; require loads the new file")
}

func TestInitCopiesUserdata(t *testing.T) {
	type payload struct{ name string }
	null := &payload{"null"}
	setup := func(s *State) error {
		l := s.L
		l.PushUserData(null)
		l.SetGlobal("null")
		l.PushLightUserData(null)
		l.SetGlobal("light")
		l.Register("mk", func(l *glua.State) int {
			l.PushUserData(&payload{glua.CheckString(l, 1)})
			l.NewTable()
			l.PushString("made")
			l.SetField(-2, "__name")
			l.SetMetaTable(-2)
			return 1
		})
		l.Register("name", func(l *glua.State) int {
			p, _ := l.ToUserData(1).(*payload)
			if p == nil {
				return 0
			}
			l.PushString(p.name)
			return 1
		})
		return nil
	}
	init := mustCompile(t, "init.lua", `
refs = {null, light, null, light}
made = mk("x")
same = {made, made}`)
	e, p := newTestEngine(t, Config{Workers: 2, MaxStates: 2, Setup: setup, Init: []*Chunk{init}})
	for _, s := range acquireAll(t, e, 2) {
		out := execIn(t, s, p, `
print(refs[1] == null, refs[3] == null, refs[2] == light, refs[4] == refs[2])
print(type(made), name(made), getmetatable(made).__name, same[1] == made, same[2] == made)
getmetatable(made).__name = "changed here"`)
		assert.Equal(t, "true\ttrue\ttrue\ttrue\nuserdata\tx\tmade\ttrue\ttrue\n", out)
	}
}
