package stdlib

import (
	"slices"
	"unsafe"

	glua "github.com/Shopify/go-lua"
)

// go-lua's next walks a snapshot of the hash keys (kept in the table until a new key is added),
// but finds where the previous key stands by scanning that snapshot from the start, so a
// traversal costs O(n²); and it rejects a key that the loop body has just set to nil, which the
// Lua manual allows. This next walks the same snapshot (so it agrees with go-lua's Next, which Go
// code may use on the same table) and remembers, for the last few traversals, the snapshot and
// the position of the key it returned, so the next step is O(1) whatever the body did to
// existing fields. A key that no cursor knows (another traversal evicted it, or the caller passes
// an arbitrary key) is found by scanning the snapshot once, as go-lua does.

// maxCursors is how many traversals a state follows at once: enough for loops nested a few
// levels deep over different tables. An evicted traversal still works, with one O(n) step.
const maxCursors = 8

// cursor is where one traversal of a table's hash part stands.
type cursor struct {
	table    any   // the table, as ToValue returns it; nil for a free slot
	keys     []any // the snapshot of hash keys the traversal walks
	pos      int   // index in keys of the key returned last
	arrayLen int   // length of the array part when the traversal left it
	used     uint64
}

// traversals holds the cursors of one state (and of the coroutines that call its next, which
// run one at a time). A cursor keeps its table reachable until the traversal ends or the cursor
// is reused.
type traversals struct {
	cursors [maxCursors]cursor
	clock   uint64
}

func openIteration(l *glua.State, lb *lib) {
	l.PushGlobalTable()
	pushFunction(l, lb.next)
	l.PushValue(-1)
	l.SetField(-3, "next")
	l.PushGoClosure(protect(pairs), 1) // pairs returns the global next itself, as 5.2 does
	l.SetField(-2, "pairs")
	pushFunction(l, ipairsAux)
	l.PushGoClosure(protect(ipairs), 1) // ipairs returns one iterator, as LuaJIT does
	l.SetField(-2, "ipairs")
	l.Pop(1)
}

// next is Lua 5.2's next(table [, key]).
func (lb *lib) next(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	l.SetTop(2)
	tv := l.ToValue(1)
	t, ok := tableOf(tv)
	if !ok || t.iterKeys == nil {
		if l.Next(1) {
			return 2
		}
		l.PushNil()
		return 1
	}
	k, v, ok := lb.trav.next(tv, t, l.ToValue(2))
	if !ok {
		l.PushString("invalid key to 'next'") // a runtime error in 5.2: no position
		l.Error()
	}
	if k == nil {
		l.PushNil()
		return 1
	}
	l.PushLightUserData(k) // pushes the key itself, whatever its type
	l.PushLightUserData(v)
	return 2
}

// pairs is LuaJIT's pairs(t): next, t, nil. Like LuaJIT (built without 5.2 compatibility, as
// OpenResty's is), it ignores a __pairs metamethod, which Lua 5.2 would call.
func pairs(l *glua.State) int {
	checkTable(l)
	l.PushValue(glua.UpValueIndex(1))
	l.PushValue(1)
	l.PushNil()
	return 3
}

// ipairs is LuaJIT's ipairs(t): its iterator, t, 0. It ignores __ipairs, and the iterator
// reads the list raw (no __index), as LuaJIT's does.
func ipairs(l *glua.State) int {
	checkTable(l)
	l.PushValue(glua.UpValueIndex(1))
	l.PushValue(1)
	l.PushInteger(0)
	return 3
}

// checkTable checks argument 1 as LuaJIT's pairs and ipairs do: any value first, then a table.
func checkTable(l *glua.State) {
	if l.IsNone(1) {
		glua.ArgumentError(l, 1, "value expected")
	}
	glua.CheckType(l, 1, glua.TypeTable)
}

// ipairsAux is the iterator ipairs returns: i+1 and t[i+1] (raw), or nothing past the end.
func ipairsAux(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	i := glua.CheckInteger(l, 2) + 1
	l.PushInteger(i)
	l.RawGetInt(1, i)
	if l.IsNil(-1) {
		return 0
	}
	return 2
}

// next returns the entry after key k of the table tv (whose storage is t): the array part in
// order, then the hash part in snapshot order. k == nil on return means the traversal is over;
// ok is false when k is not a key of the table.
func (tr *traversals) next(tv any, t rawTable, k any) (key, val any, ok bool) {
	arr := *t.array
	i := 0
	if k != nil {
		if c := tr.find(tv, *t.iterKeys, k); c != nil {
			return tr.walk(c, tv, t, c.keys, c.pos+1, c.arrayLen)
		}
		if i = arrayIndex(k); i <= 0 || i > len(arr) {
			keys := snapshot(t)
			pos := slices.Index(keys, k) // not a map lookup: k may be a deleted key
			if pos < 0 {
				return nil, nil, false
			}
			return tr.walk(nil, tv, t, keys, pos+1, len(arr))
		}
	}
	for ; i < len(arr); i++ {
		if arr[i] != nil {
			k = float64(i + 1)
			tr.drop(tv, k)
			return k, arr[i], true
		}
	}
	return tr.walk(nil, tv, t, snapshot(t), 0, len(arr))
}

// walk returns the first live entry of keys from index from on, and records it in c (or in a
// new cursor when c is nil); at the end it frees c.
func (tr *traversals) walk(c *cursor, tv any, t rawTable, keys []any, from, arrayLen int) (key, val any, ok bool) {
	hash := *t.hash
	for j := from; j < len(keys); j++ {
		k := keys[j]
		if k == nil {
			continue // go-lua's Next marks keys it found deleted
		}
		v := hash[k]
		if v == nil {
			v = movedToArray(*t.array, k, arrayLen)
		}
		if v == nil {
			continue
		}
		if c == nil {
			c = tr.take()
		}
		tr.clock++
		*c = cursor{table: tv, keys: keys, pos: j, arrayLen: arrayLen, used: tr.clock}
		return k, v, true
	}
	if c != nil {
		*c = cursor{}
	}
	return nil, nil, true
}

// movedToArray returns the value of integer key k if go-lua moved it from the hash part into the
// array part after the traversal left the array part (which had arrayLen slots then). go-lua
// grows the array part even on an assignment to an existing field, which Lua allows during a
// traversal.
func movedToArray(arr []any, k any, arrayLen int) any {
	if i := arrayIndex(k); arrayLen < i && i <= len(arr) {
		return arr[i-1]
	}
	return nil
}

// find returns the cursor of a traversal of tv whose last key was k, if it walks keys, the
// current snapshot. A traversal whose snapshot go-lua has dropped since (a key was added: the
// rest of that traversal is undefined in Lua) is not followed: it may be an abandoned one, and
// its position would be wrong for a new traversal that reaches k.
func (tr *traversals) find(tv any, keys []any, k any) *cursor {
	for i := range tr.cursors {
		c := &tr.cursors[i]
		if c.table == tv && len(c.keys) == len(keys) && unsafe.SliceData(c.keys) == unsafe.SliceData(keys) &&
			c.keys[c.pos] == k {
			return c
		}
	}
	return nil
}

// drop frees the cursors of tv whose last key was k, which the array part now holds and a
// traversal is returning from there: their traversals (abandoned, in all likelihood) left k
// when it was in the hash part, and a next(t, k) to come is that of the array's traversal.
func (tr *traversals) drop(tv, k any) {
	for i := range tr.cursors {
		if c := &tr.cursors[i]; c.table == tv && c.keys[c.pos] == k {
			*c = cursor{}
		}
	}
}

// take returns a free cursor, or the least recently used one.
func (tr *traversals) take() *cursor {
	oldest := &tr.cursors[0]
	for i := range tr.cursors {
		c := &tr.cursors[i]
		if c.table == nil {
			return c
		}
		if c.used < oldest.used {
			oldest = c
		}
	}
	return oldest
}

// snapshot returns go-lua's snapshot of the hash keys of t, taking it if go-lua dropped it.
func snapshot(t rawTable) []any {
	if keys := *t.iterKeys; keys != nil {
		return keys
	}
	keys := make([]any, 0, len(*t.hash))
	for k := range *t.hash {
		keys = append(keys, k)
	}
	*t.iterKeys = keys
	return keys
}

// arrayIndex returns k as an array index (1-based) if it is an integer number, else 0.
func arrayIndex(k any) int {
	if f, ok := k.(float64); ok {
		if i := int(f); float64(i) == f && i > 0 {
			return i
		}
	}
	return 0
}
