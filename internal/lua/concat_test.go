package lua

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const issue50 = `local t = setmetatable({}, {__index = function(_, k) return "<" .. k .. ">" end})
local x = "x"
local function f(...) local s = "" for i = 1, select('#', ...) do s = s .. tostring((select(i, ...))) .. "|" end return s end
print(1, f("A" .. x, "B", "C", t.k))
print(5, string.format("%s %s", "A " .. t.a, "B " .. t.b))
local y = "A" .. x
print(6, f(y, "B", "C", t.k))
local v = {"a" .. x, "b", "c", t.z}; print(7, table.concat(v, ","))
`

func TestConcatIssue50(t *testing.T) {
	assert.Equal(t, reference(t, "lua5.2", issue50), run(t, issue50))
}

func TestConcatMetamethods(t *testing.T) {
	src := readTestdata(t, "concat_meta.lua")
	want := reference(t, "lua5.2", src)
	for _, maxBytes := range []int{0, -1} {
		e, p := newTestEngine(t, Config{MaxStates: 1, MaxBytes: maxBytes})
		got, err := runLua(t, e, p, "t.lua", src)
		require.NoError(t, err, "MaxBytes %d", maxBytes)
		assert.Equal(t, want, got, "MaxBytes %d", maxBytes)
	}
}
