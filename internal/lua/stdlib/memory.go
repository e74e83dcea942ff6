package stdlib

import (
	"reflect"

	glua "github.com/Shopify/go-lua"
)

// Rough sizes, in bytes, of go-lua's objects on a 64-bit Go runtime; collectgarbage("count")
// only has to be plausible and grow with what a script keeps.
const (
	stateBaseBytes  = 16 << 10 // a fresh go-lua state with its stack
	stringBytes     = 16       // header of a string (its bytes are added)
	tableBytes      = 96       // table struct and an empty map
	arraySlotBytes  = 16       // one interface value
	hashEntryBytes  = 40       // key, value and map overhead
	functionBytes   = 64       // closure (a Lua function's prototype is not visible)
	upvalueBytes    = 24       // one upvalue cell
	otherBytes      = 64       // userdata, threads
	maxMemoryVisits = 1 << 18  // objects examined: bounds the cost of one call (about 0.1 s)
)

// memWalker estimates the memory reachable from a state's registry (globals, loaded modules,
// their upvalues), without running Go's garbage collector.
type memWalker struct {
	l       *glua.State
	seen    map[any]struct{}
	pending []any
	bytes   int
	visits  int
}

// estimateBytes returns a plausible number of bytes used by the state l.
func estimateBytes(l *glua.State) int {
	w := memWalker{l: l, seen: make(map[any]struct{})}
	l.PushValue(glua.RegistryIndex)
	w.pending = append(w.pending, l.ToValue(-1))
	l.Pop(1)
	for len(w.pending) > 0 && w.visits < maxMemoryVisits {
		v := w.pending[len(w.pending)-1]
		w.pending = w.pending[:len(w.pending)-1]
		w.visit(v)
	}
	return stateBaseBytes + w.bytes
}

// add counts v if it is a string and queues it if it is an object not seen before.
func (w *memWalker) add(v any) {
	switch x := v.(type) {
	case nil, bool, float64:
		return
	case string:
		w.bytes += stringBytes + len(x)
		return
	}
	if k := reflect.TypeOf(v).Kind(); k != reflect.Pointer {
		w.bytes += otherBytes // userdata holding a non-pointer Go value
		return
	}
	if _, ok := w.seen[v]; ok {
		return
	}
	w.seen[v] = struct{}{}
	w.pending = append(w.pending, v)
}

// visit counts one object and queues what it references.
func (w *memWalker) visit(v any) {
	w.visits++
	l := w.l
	l.PushLightUserData(v) // pushes v itself: go-lua keeps tables and closures as Go pointers
	defer l.Pop(1)
	switch l.TypeOf(-1) {
	case glua.TypeTable:
		w.table(v)
		if l.MetaTable(-1) {
			w.add(l.ToValue(-1))
			l.Pop(1)
		}
	case glua.TypeFunction:
		w.bytes += functionBytes
		for i := 1; ; i++ {
			if _, ok := glua.UpValue(l, -1, i); !ok {
				break
			}
			w.bytes += upvalueBytes
			w.add(l.ToValue(-1))
			l.Pop(1)
		}
	default:
		w.bytes += otherBytes
	}
}

// table counts the table at the top of the stack (which is v) and queues its keys and values.
func (w *memWalker) table(v any) {
	w.bytes += tableBytes
	if t, ok := tableOf(v); ok {
		w.bytes += arraySlotBytes*cap(*t.array) + hashEntryBytes*len(*t.hash)
		for _, e := range *t.array {
			w.add(e)
		}
		for k, e := range *t.hash {
			w.add(k)
			w.add(e)
		}
		return
	}
	l := w.l
	for l.PushNil(); l.Next(-2); l.Pop(1) {
		if w.visits >= maxMemoryVisits {
			l.Pop(2)
			return
		}
		w.visits++
		w.bytes += hashEntryBytes
		w.add(l.ToValue(-2))
		w.add(l.ToValue(-1))
	}
}
