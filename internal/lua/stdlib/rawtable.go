package stdlib

import (
	"reflect"
	"unsafe"

	glua "github.com/Shopify/go-lua"
)

// go-lua keeps a table as an array part ([]value) and a hash part (map[value]value), where value is
// interface{}; its public API only walks the hash part with next, which costs O(position) per call
// (so clearing or counting a table is quadratic). rawTables reads the two parts directly, and the
// snapshot of hash keys go-lua's next walks (iterationKeys, which go-lua drops whenever a new key
// enters the hash part). The layout is checked once with reflect; when it does not match (another
// go-lua version), available is false and callers use the public API instead (iterKeysOff is 0
// when only the snapshot is missing). Since value and any are both empty interfaces, []value and
// map[value]value have the representation of []any and map[any]any, which is how rawTable reads
// and writes them.
type rawTableLayout struct {
	available   bool
	typ         reflect.Type // *lua.table
	arrayOff    uintptr
	hashOff     uintptr
	iterKeysOff uintptr
}

var rawTables = probeRawTable()

// probeRawTable finds the offsets of go-lua's table.array and table.hash fields.
func probeRawTable() rawTableLayout {
	l := glua.NewState()
	l.NewTable()
	t := reflect.TypeOf(l.ToValue(-1))
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return rawTableLayout{}
	}
	arr, okA := t.Elem().FieldByName("array")
	hash, okH := t.Elem().FieldByName("hash")
	if !okA || !okH || arr.Type.Kind() != reflect.Slice || !isEmptyInterface(arr.Type.Elem()) ||
		hash.Type.Kind() != reflect.Map || !isEmptyInterface(hash.Type.Key()) ||
		!isEmptyInterface(hash.Type.Elem()) {
		return rawTableLayout{}
	}
	layout := rawTableLayout{available: true, typ: t, arrayOff: arr.Offset, hashOff: hash.Offset}
	if keys, ok := t.Elem().FieldByName("iterationKeys"); ok && keys.Offset != 0 &&
		keys.Type.Kind() == reflect.Slice && isEmptyInterface(keys.Type.Elem()) {
		layout.iterKeysOff = keys.Offset
	}
	return layout
}

// isEmptyInterface reports whether t is an empty interface type (such as go-lua's value).
func isEmptyInterface(t reflect.Type) bool {
	return t.Kind() == reflect.Interface && t.NumMethod() == 0
}

// rawTable is a view of one go-lua table's storage.
type rawTable struct {
	array    *[]any
	hash     *map[any]any
	iterKeys *[]any // nil when the layout has no snapshot of hash keys
}

// tableAt returns the storage of the table at idx; ok is false if the value is not a table or the
// layout is unknown.
func tableAt(l *glua.State, idx int) (rawTable, bool) {
	return tableOf(l.ToValue(idx))
}

// tableOf returns the storage of v, a value obtained from ToValue.
func tableOf(v any) (rawTable, bool) {
	if !rawTables.available || v == nil || reflect.TypeOf(v) != rawTables.typ {
		return rawTable{}, false
	}
	p := (*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1] // an interface is (type, data pointer)
	t := rawTable{
		array: (*[]any)(unsafe.Add(p, rawTables.arrayOff)),
		hash:  (*map[any]any)(unsafe.Add(p, rawTables.hashOff)),
	}
	if rawTables.iterKeysOff != 0 {
		t.iterKeys = (*[]any)(unsafe.Add(p, rawTables.iterKeysOff))
	}
	return t, true
}
