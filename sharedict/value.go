package sharedict

import (
	"math"
	"strconv"
)

// Kind is the type of a Value, as Lua sees it.
type Kind uint8

// The kinds of values a dict stores. KindNil is the zero Value: setting it deletes the key.
const (
	KindNil Kind = iota
	KindBool
	KindNumber
	KindString
)

var kindNames = [...]string{"nil", "boolean", "number", "string"}

// String returns the Lua type name ("nil", "boolean", "number", "string").
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is a dict value: nil, a boolean, a number (float64, as Lua stores it) or a string. The
// zero Value is nil. Values are small and immutable; pass them by value.
type Value struct {
	s    string
	n    float64
	kind Kind
}

// Nil is the nil Value; storing it deletes a key.
var Nil = Value{}

// String returns a string Value.
func String(s string) Value { return Value{s: s, kind: KindString} }

// Number returns a number Value.
func Number(n float64) Value { return Value{n: n, kind: KindNumber} }

// Bool returns a boolean Value.
func Bool(b bool) Value {
	if b {
		return Value{n: 1, kind: KindBool}
	}
	return Value{kind: KindBool}
}

// Kind returns the value's type.
func (v Value) Kind() Kind { return v.kind }

// IsNil reports whether v is nil (a missing key).
func (v Value) IsNil() bool { return v.kind == KindNil }

// AsString returns the string and true if v is a string.
func (v Value) AsString() (string, bool) { return v.s, v.kind == KindString }

// AsNumber returns the number and true if v is a number.
func (v Value) AsNumber() (float64, bool) { return v.n, v.kind == KindNumber }

// AsBool returns the boolean and true if v is a boolean.
func (v Value) AsBool() (bool, bool) { return v.n != 0, v.kind == KindBool }

// String formats v as Lua's tostring does: numbers with %.14g, integers without a fraction,
// nan, inf and -inf as LuaJIT prints them.
func (v Value) String() string {
	switch v.kind {
	case KindString:
		return v.s
	case KindNumber:
		return formatNumber(v.n)
	case KindBool:
		if v.n != 0 {
			return "true"
		}
		return "false"
	}
	return "nil"
}

func formatNumber(n float64) string {
	switch {
	case math.IsNaN(n):
		return "nan"
	case math.IsInf(n, 1):
		return "inf"
	case math.IsInf(n, -1):
		return "-inf"
	}
	return strconv.FormatFloat(n, 'g', 14, 64)
}

// size is the number of value bytes OpenResty stores: 8 for a number, 1 for a boolean, the length
// of a string.
func (v Value) size() int {
	switch v.kind {
	case KindNumber:
		return 8
	case KindBool:
		return 1
	}
	return len(v.s)
}
