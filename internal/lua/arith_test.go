package lua

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestArithMatchesLua52(t *testing.T) {
	src := readTestdata(t, "arith.lua")
	want := reference(t, "lua5.2", src)
	for _, maxBytes := range []int{0, -1} {
		e, p := newTestEngine(t, Config{MaxStates: 1, MaxBytes: maxBytes})
		got, err := runLua(t, e, p, "t.lua", src)
		require.NoError(t, err, "MaxBytes %d", maxBytes)
		assert.Equal(t, want, got, "MaxBytes %d", maxBytes)
	}
}

func TestModIsLua52s(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	tests := []struct{ a, b, want float64 }{
		{7, 3, 1}, {-7, 3, 2}, {7, -3, -2}, {-7, -3, -1},
		{5.5, 2, 1.5}, {-5.5, 2, 0.5}, {5, -3, -1},
		{5, 0, nan}, {5, inf, nan}, {-3, inf, nan}, {inf, 2, nan},
		{1, 0.3, 0.10000000000000009},
	}
	for _, tc := range tests {
		got := mod(tc.a, tc.b)
		if math.IsNaN(tc.want) {
			assert.True(t, math.IsNaN(got), "%v %% %v = %v", tc.a, tc.b, got)
			continue
		}
		assert.Equal(t, tc.want, got, "%v %% %v", tc.a, tc.b)
	}
	assert.Equal(t, "2\t0.5\t-1\n", run(t, `local a, b, c = -7, -5.5, 5 print(a % 3, b % 2, c % -3)`))
}

// Every MOD and POW becomes a call of its helper with the fallback to the VM's own instruction;
// functions without them get no helper upvalue.
func TestPatchReplacesModAndPow(t *testing.T) {
	dump, err := compileSource("=t.lua", `local a, b = ... local c = a % b
local function f(x) return x ^ 2, function() return x % a end end
local function g() return a + b end`)
	require.NoError(t, err)
	_, before, err := decodeChunk(dump)
	require.NoError(t, err)
	code, helpers, err := patchChunk(dump, fixTop, false, 0)
	require.NoError(t, err)
	assert.Equal(t, helperSet(1<<helperMod|1<<helperPow|1<<helperNoCache), helpers)
	_, p, err := decodeChunk(code)
	require.NoError(t, err)
	f, inner, g := p.protos[0], p.protos[0].protos[0], p.protos[1]
	for name, q := range map[string]*proto{"main": p, "f": f, "inner": inner} {
		for pc, i := range q.code {
			if op := opOf(i); op == opMod || op == opPow {
				assert.Equal(t, []int{opTest, opJmp}, []int{opOf(q.code[pc-2]), opOf(q.code[pc-1])}, "%s pc %d", name, pc)
				assert.Equal(t, opMove, opOf(q.code[pc+1]), "%s pc %d", name, pc)
				assert.Equal(t, opGetUpval, opOf(q.code[pc-6]), "%s pc %d", name, pc)
			}
		}
	}
	// Every nested function also gets the closure cache's NaN (helperNoCache).
	assert.Equal(t, len(before.upvals)+3, len(p.upvals), "main: one upvalue per helper")
	assert.Equal(t, len(before.protos[0].upvals)+3, len(f.upvals), "f: mod for its closure, pow for itself, NaN")
	assert.Equal(t, len(before.protos[0].protos[0].upvals)+2, len(inner.upvals), "inner: mod, NaN")
	assert.Equal(t, before.protos[1].code, g.code, "g's code is unchanged")
	assert.Equal(t, len(before.protos[1].upvals)+1, len(g.upvals), "g: NaN only")
	assert.Equal(t, before.maxStack+3, p.maxStack, "three registers above the frame")
}

// A nested function with 255 upvalues has no room for the helper's: such code is refused rather
// than run with the VM's wrong modulo.
func TestModWithoutRoomForUpvalue(t *testing.T) {
	var b strings.Builder
	var names []string
	for i := 0; i < 149; i++ {
		fmt.Fprintf(&b, "local a%d = %d\n", i, i)
		names = append(names, fmt.Sprintf("a%d", i))
	}
	b.WriteString("local function outer()\n")
	for i := 0; i < 106; i++ {
		fmt.Fprintf(&b, "local b%d = %d\n", i, i)
		names = append(names, fmt.Sprintf("b%d", i))
	}
	b.WriteString("return function() return (" + strings.Join(names, " + ") + ") % 7 end\nend\n")
	dump, err := compileSource("=t.lua", b.String())
	require.NoError(t, err)
	_, p, err := decodeChunk(dump)
	require.NoError(t, err)
	require.Len(t, p.protos[0].protos[0].upvals, maxUpvalues, "the inner function is full")
	_, err = Compile("t.lua", b.String())
	require.ErrorIs(t, err, errTooComplex)
	assert.ErrorContains(t, err, "t.lua: ")
}
