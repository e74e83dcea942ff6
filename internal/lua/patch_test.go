package lua

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBytecodeRoundTrip(t *testing.T) {
	for _, name := range []string{"concat_meta.lua", "coroutines.lua", "errors.lua", "control_flow.lua"} {
		dump, err := compileSource("=t.lua", readTestdata(t, name))
		require.NoError(t, err, name)
		f, p, err := decodeChunk(dump)
		require.NoError(t, err, name)
		assert.True(t, bytes.Equal(dump, encodeChunk(f, p)), "%s: decode and encode give back the dump", name)
	}
}

func TestDecodeRejectsCorruptChunks(t *testing.T) {
	dump, err := compileSource("=t.lua", `local x = "a" .. "b" return function() return x end`)
	require.NoError(t, err)
	for _, n := range []int{0, 4, 17, 30, len(dump) - 1} {
		_, _, err := decodeChunk(dump[:n])
		assert.Error(t, err, "truncated at %d", n)
	}
	_, _, err = decodeChunk(append(append([]byte(nil), dump...), 0))
	assert.Error(t, err, "trailing byte")
}

func TestPatchInsertsFixAfterEveryConcat(t *testing.T) {
	dump, err := compileSource("=t.lua", `local a, b = "a", "b" local c = a .. b local function f() return a .. b .. c end`)
	require.NoError(t, err)
	for _, kind := range []fixKind{fixTop, fixCheck} {
		code, helpers, err := patchChunk(dump, kind, false, 0)
		require.NoError(t, err)
		assert.Equal(t, helperSet(1<<helperScratch|1<<helperNoCache), helpers)
		_, p, err := decodeChunk(code)
		require.NoError(t, err)
		for _, q := range []*proto{p, p.protos[0]} {
			seqLen := map[fixKind]int{fixTop: 2, fixCheck: 3}[kind]
			for pc, i := range q.code {
				if opOf(i) != opConcat {
					continue
				}
				assert.Equal(t, opGetUpval, opOf(q.code[pc+1]), "kind %d pc %d", kind, pc)
				assert.Equal(t, len(q.upvals)-2, argB(q.code[pc+1]), "the scratch upvalue, before the closure-cache NaN")
				last := q.code[pc+seqLen]
				assert.Contains(t, []int{opSetList, opCall}, opOf(last))
				assert.Equal(t, len(q.code), len(q.lineInfo))
			}
		}
	}
}

func TestControlFlowAroundConcat(t *testing.T) {
	src := readTestdata(t, "control_flow.lua")
	want := reference(t, "lua5.2", src)
	for _, maxBytes := range []int{0, -1} {
		e, p := newTestEngine(t, Config{MaxStates: 1, MaxBytes: maxBytes})
		got, err := runLua(t, e, p, "t.lua", src)
		require.NoError(t, err)
		assert.Equal(t, want, got, "MaxBytes %d", maxBytes)
	}
}

// A function with 255 upvalues has no room for the scratch upvalue: the patcher falls back to
// calling an empty function after its CONCATs.
func TestConcatFixWithoutRoomForUpvalue(t *testing.T) {
	var b strings.Builder
	var names []string
	for i := 0; i < 149; i++ {
		fmt.Fprintf(&b, "local a%d = %d\n", i, i)
		names = append(names, fmt.Sprintf("a%d", i))
	}
	b.WriteString("local function outer()\n")
	for i := 0; i < 105; i++ {
		fmt.Fprintf(&b, "local b%d = %d\n", i, i)
		names = append(names, fmt.Sprintf("b%d", i))
	}
	b.WriteString("return function(t, x)\nlocal sum = " + strings.Join(names, " + ") + "\n")
	b.WriteString(`local function f(...) return table.concat({...}, "|") end
return f("A" .. x, "B", "C", t.k), sum
end
end
local t = setmetatable({}, {__index = function(_, k) return "<" .. k .. ">" end})
print(outer()(t, "x"))
`)
	src := b.String()
	dump, err := compileSource("=t.lua", src)
	require.NoError(t, err)
	_, p, err := decodeChunk(dump)
	require.NoError(t, err)
	require.Len(t, p.protos[0].protos[0].upvals, maxUpvalues, "the inner function is full")
	code, _, err := patchChunk(dump, fixTop, false, 0)
	require.NoError(t, err)
	_, p, err = decodeChunk(code)
	require.NoError(t, err)
	inner := p.protos[0].protos[0]
	pc := slices.IndexFunc(inner.code, func(i uint32) bool { return opOf(i) == opConcat })
	require.GreaterOrEqual(t, pc, 0)
	assert.Equal(t, []int{opClosure, opCall}, []int{opOf(inner.code[pc+1]), opOf(inner.code[pc+2])})
	assert.Equal(t, reference(t, "lua5.2", src), run(t, src))
}
