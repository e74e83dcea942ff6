package lua

import (
	"context"
	"runtime"
	"testing"

	glua "github.com/Shopify/go-lua"
)

// compileUnpatched compiles source without the CONCAT, MOD and POW fixes, to measure what they
// cost.
func compileUnpatched(tb testing.TB, name, source string) *Chunk {
	tb.Helper()
	dump, err := compileSource(chunkName(name), source)
	if err != nil {
		tb.Fatal(err)
	}
	return &Chunk{name: name, code: [2][]byte{dump, dump}}
}

func benchState(b *testing.B, c Config) (*Engine, *State) {
	b.Helper()
	if c.Print == nil {
		c.Print = func(string) {}
	}
	e, err := NewEngine(c)
	if err != nil {
		b.Fatal(err)
	}
	s, err := e.Acquire(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		e.Release(s)
		e.Close()
	})
	return e, s
}

func benchExec(b *testing.B, s *State, c *Chunk) {
	b.Helper()
	ctx := context.Background()
	if err := s.Exec(ctx, c, 0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Exec(ctx, c, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// initSource is an init_by_lua of a typical size: a module of 50 functions sharing upvalues and
// a 1000-entry lookup table.
const initSource = `local M, cache = {}, {}
for i = 1, 50 do
  M["f" .. i] = function(x) cache[x] = (cache[x] or 0) + i return cache[x] end
end
lookup = {}
for i = 1, 1000 do lookup["k" .. i] = {id = i, name = "n" .. i} end
mod = M`

// BenchmarkNewState measures creating the State a request runs on (a thread of a VM) and
// reports the heap each one retains.
func BenchmarkNewState(b *testing.B) {
	e, _ := benchState(b, Config{MaxStates: 1})
	v := e.vms[0]
	benchRetained(b, "state", func() func() {
		s := v.newRequestState()
		return s.close
	})
}

// BenchmarkNewVM measures creating a VM (what a State was before States became threads of a
// VM), without Init and with initSource copied in, and reports the heap each one retains.
func BenchmarkNewVM(b *testing.B) {
	init, err := Compile("init.lua", initSource)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		cfg  Config
	}{{"plain", Config{MaxStates: 1}}, {"init", Config{MaxStates: 1, Init: []*Chunk{init}}}} {
		b.Run(bc.name, func(b *testing.B) {
			e, _ := benchState(b, bc.cfg)
			benchRetained(b, "vm", func() func() {
				v, err := newVM(e, false, 0)
				if err != nil {
					b.Fatal(err)
				}
				return v.close
			})
		})
	}
}

// benchRetained measures build, which returns the function that frees what it made, and reports
// the heap retained by each thing made as retained-B/what.
func benchRetained(b *testing.B, what string, build func() (free func())) {
	const n = 64
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	frees := make([]func(), n)
	for i := range frees {
		frees[i] = build()
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	retained := float64(m1.HeapAlloc-m0.HeapAlloc) / n
	for _, free := range frees {
		free()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		build()()
	}
	b.ReportMetric(retained, "retained-B/"+what)
}

// BenchmarkExecGoCall is one Exec of a precompiled chunk, with a fresh _ENV, that calls one Go
// function.
func BenchmarkExecGoCall(b *testing.B) {
	setup := func(s *State) error {
		s.L.Register("gofn", func(l *glua.State) int { return 0 })
		return nil
	}
	for _, bc := range []struct {
		name string
		cfg  Config
	}{{"default", Config{MaxStates: 1, Setup: setup}}, {"timeout", Config{MaxStates: 1, Setup: setup, Timeout: 1e9}}} {
		b.Run(bc.name, func(b *testing.B) {
			_, s := benchState(b, bc.cfg)
			c, err := Compile("bench.lua", `gofn()`)
			if err != nil {
				b.Fatal(err)
			}
			benchExec(b, s, c)
		})
	}
}

const fibSource = `local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
return fib(25)`

const concatSource = `local parts = {}
for i = 1, 200 do
  local key = "k" .. i
  parts[#parts + 1] = key .. "=" .. "value" .. i .. ";"
  local s = ""
  for j = 1, 5 do s = s .. "x" end
  local t = {name = "n" .. i, s = s}
  parts[#parts] = parts[#parts] .. t.s
end
return #table.concat(parts)`

// arithSource is arithmetic-heavy code in which one operation in six is a modulo (a hash loop
// and a sieve).
const arithSource = `local h = 0
for i = 1, 2000 do h = (h * 31 + i * 7 + 3) % 1000003 end
local n, count, sieve = 2000, 0, {}
for i = 2, n do
  if not sieve[i] then
    count = count + 1
    for j = i * i, n, i do sieve[j] = true end
  end
end
local x = 0
for i = 1, 2000 do x = x + (i * 3 - 7) / 2 - i * i / (i + 1) end
return h + count + x`

// BenchmarkScripts runs fib(25), a concat-heavy and an arithmetic-heavy script unpatched, with
// the top-only fix (MaxBytes < 0) and with the fix that also checks MaxBytes; MOD is patched in
// both fixes.
func BenchmarkScripts(b *testing.B) {
	for _, script := range []struct{ name, src string }{
		{"fib25", fibSource}, {"concat", concatSource}, {"arith", arithSource},
	} {
		for _, variant := range []struct {
			name     string
			maxBytes int
			patched  bool
		}{{"unpatched", -1, false}, {"fix", -1, true}, {"fix+maxbytes", 0, true}} {
			b.Run(script.name+"/"+variant.name, func(b *testing.B) {
				_, s := benchState(b, Config{MaxStates: 1, MaxBytes: variant.maxBytes})
				var c *Chunk
				if variant.patched {
					var err error
					if c, err = Compile("bench.lua", script.src); err != nil {
						b.Fatal(err)
					}
				} else {
					c = compileUnpatched(b, "bench.lua", script.src)
				}
				benchExec(b, s, c)
			})
		}
	}
}

// BenchmarkModLoop is the worst case of the MOD fix: a loop that does little but one modulo per
// iteration (10000 per Exec), unpatched (go-lua's fmod, wrong for negative operands) and
// patched (a Go call per modulo).
func BenchmarkModLoop(b *testing.B) {
	const src = `local x = 0 for i = 1, 10000 do x = (x + i) % 1000 end return x`
	for _, patched := range []bool{false, true} {
		name := map[bool]string{false: "unpatched", true: "patched"}[patched]
		b.Run(name, func(b *testing.B) {
			_, s := benchState(b, Config{MaxStates: 1, MaxBytes: -1})
			c := compileUnpatched(b, "bench.lua", src)
			if patched {
				var err error
				if c, err = Compile("bench.lua", src); err != nil {
					b.Fatal(err)
				}
			}
			benchExec(b, s, c)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/iteration")
		})
	}
}

// BenchmarkCoroutine creates, resumes and finishes coroutines (1000 per Exec), and also yields
// once into each; the per-coroutine cost is reported as ns/coroutine.
func BenchmarkCoroutine(b *testing.B) {
	for _, bc := range []struct{ name, src string }{
		{"create-resume-finish", `for i = 1, 1000 do coroutine.resume(coroutine.create(function() end)) end`},
		{"wrap-yield-finish", `for i = 1, 1000 do local f = coroutine.wrap(function(a) return coroutine.yield(a) end) f(1) f(2) end`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			_, s := benchState(b, Config{MaxStates: 1})
			c, err := Compile("bench.lua", bc.src)
			if err != nil {
				b.Fatal(err)
			}
			benchExec(b, s, c)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/coroutine")
		})
	}
}

// BenchmarkConcatAfterLuaCall is the worst case of the MaxBytes check: go-lua reallocates a
// call frame record whenever Lua and Go calls alternate at the same depth.
func BenchmarkConcatAfterLuaCall(b *testing.B) {
	const src = `local function f(i) return "v" end
for i = 1, 1000 do local s = f(i) .. "x" end`
	for _, variant := range []struct {
		name     string
		maxBytes int
		patched  bool
	}{{"unpatched", -1, false}, {"fix", -1, true}, {"fix+maxbytes", 0, true}} {
		b.Run(variant.name, func(b *testing.B) {
			_, s := benchState(b, Config{MaxStates: 1, MaxBytes: variant.maxBytes})
			c := compileUnpatched(b, "bench.lua", src)
			if variant.patched {
				var err error
				if c, err = Compile("bench.lua", src); err != nil {
					b.Fatal(err)
				}
			}
			benchExec(b, s, c)
		})
	}
}

// BenchmarkPcallError measures raising and catching errors, 1000 per Exec: error with a
// position (which looks up LuaJIT's stack level), error from a tail call, and an argument
// error of a Go function.
func BenchmarkPcallError(b *testing.B) {
	for _, script := range []struct{ name, src string }{
		{"error", `local function f() error("x") end for i = 1, 1000 do pcall(f) end`},
		{"tail", `local function f() return error("x") end for i = 1, 1000 do pcall(f) end`},
		{"argerror", `local function f() local r = string.rep() return r end for i = 1, 1000 do pcall(f) end`},
	} {
		b.Run(script.name, func(b *testing.B) {
			_, s := benchState(b, Config{MaxStates: 1})
			c, err := Compile("bench.lua", script.src)
			if err != nil {
				b.Fatal(err)
			}
			benchExec(b, s, c)
		})
	}
}
