package pattern

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
)

// text10KB is 10 KB of prose with markup, digits and punctuation.
var text10KB = func() string {
	line := "The <quick> brown fox & \"jumps\" over 12 lazy dogs;\tthen it rests.\n"
	return strings.Repeat(line, 10240/len(line)+1)[:10240]
}()

// gsubBenches are typical gsub calls; pattern and repl are Lua expressions.
var gsubBenches = []struct{ name, pattern, repl string }{
	{"string", `"(%w+)"`, `"<%1>"`},
	{"table", `"[<>&\"]"`, `{["<"] = "&lt;", [">"] = "&gt;", ["&"] = "&amp;", ['"'] = "&quot;"}`},
	{"function", `"%a+"`, `string.upper`},
	{"spaces", `"%s+"`, `" "`},
}

// gsubChunk returns Lua source that yields a function running the gsub.
func gsubChunk(pattern, repl string) string {
	return "local S = " + luaQuote(text10KB) + "\nlocal P, R = " + pattern + ", " + repl +
		"\nreturn function() return S:gsub(P, R) end\n"
}

// BenchmarkGsub10KB runs each typical gsub over 10 KB under go-lua and
// reports, next to ns/op, the CPU time per call (cpu-ns/op), lua5.2's CPU
// time for the same call (timed with os.clock in a lua5.2 process during this
// run) and the ratio of the two CPU times. CPU time keeps the ratio fair on
// a machine where other processes compete for the cores.
func BenchmarkGsub10KB(b *testing.B) {
	for _, bc := range gsubBenches {
		b.Run(bc.name, func(b *testing.B) {
			l, _ := newState(b, Options{})
			if err := glua.DoString(l, gsubChunk(bc.pattern, bc.repl)); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu0, _ := processCPU()
			for b.Loop() {
				l.PushValue(-1)
				l.Call(0, 0)
			}
			cpu1, ok := processCPU()
			goNs := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if ok {
				goNs = float64((cpu1 - cpu0).Nanoseconds()) / float64(b.N)
				b.ReportMetric(goNs, "cpu-ns/op")
			}
			if luaNs := lua52Nanos(b, bc.pattern, bc.repl); luaNs > 0 {
				b.ReportMetric(luaNs, "lua5.2-cpu-ns/op")
				b.ReportMetric(goNs/luaNs, "x-lua5.2")
			}
		})
	}
}

var lua52Times sync.Map // Lua chunk -> ns/op measured once per run

// lua52Nanos times the gsub under lua5.2 for about half a second; 0 when
// lua5.2 is missing.
func lua52Nanos(b *testing.B, pattern, repl string) float64 {
	chunk := gsubChunk(pattern, repl)
	if v, ok := lua52Times.Load(chunk); ok {
		return v.(float64)
	}
	bin, err := exec.LookPath("lua5.2")
	if err != nil {
		b.Log("lua5.2 not found (apt-get install lua5.2): no comparison")
		return 0
	}
	script := "local f = (function() " + chunk + " end)()\nf()\n" +
		"local n, t0 = 0, os.clock()\n" +
		"repeat for _ = 1, 10 do f() end n = n + 10 until os.clock() - t0 > 0.5\n" +
		"print(string.format('%.1f', (os.clock() - t0) / n * 1e9))\n"
	ctx, cancel := context.WithTimeout(b.Context(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-e", script).Output()
	if err != nil {
		b.Fatalf("lua5.2: %v", err)
	}
	ns, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		b.Fatalf("lua5.2 printed %q", out)
	}
	lua52Times.Store(chunk, ns)
	return ns
}

// BenchmarkGoGsub10KB is the string case without the VM.
func BenchmarkGoGsub10KB(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(text10KB)))
	for b.Loop() {
		if _, _, err := Gsub(text10KB, "(%w+)", "<%1>", -1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFind is a search that fails at every position of 10 KB.
func BenchmarkFind(b *testing.B) {
	var m Matcher
	b.ReportAllocs()
	b.SetBytes(int64(len(text10KB)))
	for b.Loop() {
		m.Reset(text10KB, "(%d+)%.(%d+)")
		if _, _, err := m.Find(0); err != nil {
			b.Fatal(err)
		}
	}
}
