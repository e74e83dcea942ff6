package sharedict

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValueAccessors(t *testing.T) {
	s, ok := String("x").AsString()
	assert.True(t, ok)
	assert.Equal(t, "x", s)
	_, ok = Number(1).AsString()
	assert.False(t, ok)

	n, ok := Number(2.5).AsNumber()
	assert.True(t, ok)
	assert.Equal(t, 2.5, n)
	_, ok = Bool(true).AsNumber()
	assert.False(t, ok)

	b, ok := Bool(true).AsBool()
	assert.True(t, ok)
	assert.True(t, b)
	b, ok = Bool(false).AsBool()
	assert.True(t, ok)
	assert.False(t, b)

	assert.True(t, Nil.IsNil())
	assert.True(t, Value{}.IsNil())
	assert.False(t, String("").IsNil())
}

func TestValueKind(t *testing.T) {
	tests := []struct {
		v    Value
		kind Kind
		name string
	}{
		{Nil, KindNil, "nil"},
		{Bool(false), KindBool, "boolean"},
		{Number(0), KindNumber, "number"},
		{String(""), KindString, "string"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.kind, tt.v.Kind())
		assert.Equal(t, tt.name, tt.v.Kind().String())
	}
	assert.Equal(t, "kind(9)", Kind(9).String())
}

// TestValueString checks Lua's tostring formatting (LuaJIT's %.14g).
func TestValueString(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{Nil, "nil"},
		{Bool(true), "true"},
		{Bool(false), "false"},
		{String("abc"), "abc"},
		{Number(1), "1"},
		{Number(-0.5), "-0.5"},
		{Number(0.1 + 0.2), "0.3"},
		{Number(1e15), "1e+15"},
		{Number(123456789012345), "1.2345678901234e+14"},
		{Number(1e-5), "1e-05"},
		{Number(math.NaN()), "nan"},
		{Number(math.Inf(1)), "inf"},
		{Number(math.Inf(-1)), "-inf"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.v.String())
	}
}

func TestValueSize(t *testing.T) {
	assert.Equal(t, 8, Number(1).size())
	assert.Equal(t, 1, Bool(true).size())
	assert.Equal(t, 3, String("abc").size())
	assert.Equal(t, 0, String("").size())
}
