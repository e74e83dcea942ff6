package stdlib

import (
	"math"
	"strings"

	glua "github.com/Shopify/go-lua"
)

// maxPrealloc bounds the slots table.new reserves: the sizes are only a hint, and a script must not
// be able to make the process allocate gigabytes with one call.
const maxPrealloc = 1 << 16

func openTable(l *glua.State, lb *lib) {
	pushLib(l, "table")
	setFuncs(l, []fn{
		{"concat", lb.tableConcat},
		{"insert", tableInsert},
		{"remove", tableRemove},
		{"unpack", tableUnpack},
		{"getn", tableGetn},
		{"new", tableNew},
		{"clear", tableClear},
		{"nkeys", tableNkeys},
		{"isempty", tableIsempty},
		{"isarray", tableIsarray},
		{"clone", tableClone},
		{"sort", tableSort},
		{"foreach", tableForeach},
		{"foreachi", tableForeachi},
	})
	l.Field(-1, "maxn")
	if l.IsNil(-1) {
		pushFunction(l, tableMaxn)
		l.SetField(-3, "maxn")
	}
	l.Pop(1)
	for _, name := range []string{"new", "clear", "nkeys", "isempty", "isarray", "clone"} {
		l.Field(-1, name)
		setLoaded(l, "table."+name, -1)
		l.Pop(1)
	}
	l.Field(-1, "unpack")
	l.SetGlobal("unpack")
	l.Pop(1)
}

// lenInt is Lua 5.2's luaL_len: the length of the value at idx, honouring __len.
func lenInt(l *glua.State, idx int) int {
	l.Length(idx)
	n, ok := l.ToNumber(-1)
	l.Pop(1)
	if !ok {
		glua.Errorf(l, "object length is not a number")
	}
	return cInt(n)
}

// tableConcat is table.concat(list [, sep [, i [, j]]]) in linear time.
func (lb *lib) tableConcat(l *glua.State) int {
	sep := optString(l, 2, "")
	glua.CheckType(l, 1, glua.TypeTable)
	i := optInt(l, 3, 1)
	last := 0
	if l.IsNoneOrNil(4) {
		last = lenInt(l, 1)
	} else {
		last = checkInt(l, 4)
	}
	var b strings.Builder
	var num []byte
	for ; i <= last; i++ {
		l.RawGetInt(1, i)
		var s string
		switch v := l.ToValue(-1).(type) {
		case string:
			s = v
		case float64:
			num = appendNumber(num[:0], v)
			s = string(num)
		default:
			errorf(l, "invalid value (%s) at index %d in table for 'concat'", glua.TypeNameOf(l, -1), i)
		}
		l.Pop(1)
		n := b.Len() + len(s)
		if i < last {
			n += len(sep)
		}
		lb.checkCap(l, n)
		b.WriteString(s)
		if i < last {
			b.WriteString(sep)
		}
	}
	l.PushString(b.String())
	return 1
}

// tableInsert is Lua 5.2's table.insert(list, [pos,] value).
func tableInsert(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	e := lenInt(l, 1) + 1
	switch l.Top() {
	case 2:
		l.RawSetInt(1, e)
	case 3:
		// LuaJIT checks no bounds: elements from #t down to pos move up one, then t[pos] is
		// set, whatever pos is (5.2 raises "position out of bounds").
		pos := checkInt(l, 2)
		for i := e; i > pos; i-- {
			l.RawGetInt(1, i-1)
			l.RawSetInt(1, i)
		}
		l.RawSetInt(1, pos)
	default:
		glua.Errorf(l, "wrong number of arguments to 'insert'")
	}
	return 0
}

// tableRemove is LuaJIT's table.remove(list [, pos]): a position outside 1..#list (or an empty
// list) removes nothing and returns nothing, where Lua 5.2 raises "position out of bounds".
func tableRemove(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	size := lenInt(l, 1)
	pos := size
	if !l.IsNoneOrNil(2) {
		pos = checkInt(l, 2)
	}
	if pos < 1 || pos > size {
		return 0
	}
	l.RawGetInt(1, pos)
	for ; pos < size; pos++ {
		l.RawGetInt(1, pos+1)
		l.RawSetInt(1, pos)
	}
	l.PushNil()
	l.RawSetInt(1, pos)
	return 1
}

// tableUnpack is table.unpack(list [, i [, j]]), also the global unpack.
func tableUnpack(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	i := optInt(l, 2, 1)
	e := 0
	if l.IsNoneOrNil(3) {
		e = lenInt(l, 1)
	} else {
		e = checkInt(l, 3)
	}
	if i > e {
		return 0
	}
	n := e - i + 1
	if n >= 1<<31 || !l.CheckStack(n) {
		glua.Errorf(l, "too many results to unpack")
	}
	for ; i <= e; i++ {
		l.RawGetInt(1, i)
	}
	return n
}

// tableMaxn is Lua 5.2's table.maxn: the largest positive numeric key, or 0.
func tableMaxn(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	maxKey := 0.0
	if t, ok := tableAt(l, 1); ok {
		for i, v := range *t.array {
			if v != nil && float64(i+1) > maxKey {
				maxKey = float64(i + 1)
			}
		}
		for k := range *t.hash {
			if f, isNum := k.(float64); isNum && f > maxKey {
				maxKey = f
			}
		}
	} else {
		for l.PushNil(); l.Next(1); l.Pop(1) {
			if f, isNum := l.ToValue(-2).(float64); isNum && f > maxKey {
				maxKey = f
			}
		}
	}
	l.PushNumber(maxKey)
	return 1
}

// tableGetn is Lua 5.1's table.getn: the raw length (LuaJIT ignores __len here).
func tableGetn(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	l.PushInteger(l.RawLength(1))
	return 1
}

// tableNew is LuaJIT's table.new(narray, nhash).
func tableNew(l *glua.State) int {
	narr, nrec := checkInt(l, 1), checkInt(l, 2)
	if narr > 1<<27 || nrec < 0 || nrec > 1<<26 { // LuaJIT's array and hash size limits
		glua.Errorf(l, "table overflow")
	}
	l.CreateTable(min(max(narr, 0), maxPrealloc), min(nrec, maxPrealloc))
	return 1
}

// tableClear is LuaJIT's table.clear(t): removes every key, keeps the metatable.
func tableClear(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	if t, ok := tableAt(l, 1); ok {
		clear(*t.array)
		clear(*t.hash)
		return 0
	}
	for l.PushNil(); l.Next(1); {
		l.Pop(1)
		l.PushValue(-1)
		l.PushNil()
		l.RawSet(1)
		l.Pop(1)
		l.PushNil()
	}
	return 0
}

// tableIsempty is OpenResty's LuaJIT table.isempty(t): whether t has no non-nil entry, ignoring
// metatables.
func tableIsempty(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	l.PushNil()
	empty := !l.Next(1)
	if !empty {
		l.Pop(2)
	}
	l.PushBoolean(empty)
	return 1
}

// tableIsarray is OpenResty's LuaJIT table.isarray(t): whether every key of t is an integer
// (holes, 0 and negative keys included), as LuaJIT answers it; an empty table is an array.
func tableIsarray(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	for l.PushNil(); l.Next(1); l.Pop(1) {
		k, ok := l.ToValue(-2).(float64)
		if !ok || k != math.Trunc(k) || math.IsInf(k, 0) {
			l.Pop(2)
			l.PushBoolean(false)
			return 1
		}
	}
	l.PushBoolean(true)
	return 1
}

// tableClone is OpenResty's LuaJIT table.clone(t): a shallow copy of t's entries, without its
// metatable.
func tableClone(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	l.CreateTable(int(glua.LengthEx(l, 1)), 0)
	for l.PushNil(); l.Next(1); {
		l.PushValue(-2)
		l.Insert(-2)
		l.RawSet(2)
	}
	return 1
}

// tableNkeys is LuaJIT's table.nkeys(t): the number of non-nil entries, ignoring metatables.
func tableNkeys(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	n := 0
	if t, ok := tableAt(l, 1); ok {
		for _, v := range *t.array {
			if v != nil {
				n++
			}
		}
		for _, v := range *t.hash {
			if v != nil {
				n++
			}
		}
	} else {
		for l.PushNil(); l.Next(1); l.Pop(1) {
			n++
		}
	}
	l.PushInteger(n)
	return 1
}

// tableForeach is Lua 5.0's table.foreach(t, f), which LuaJIT keeps: it calls f(k, v) for each
// pair of t in next's order and returns the first result that is not nil.
func tableForeach(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	glua.CheckType(l, 2, glua.TypeFunction)
	for l.PushNil(); l.Next(1); {
		l.PushValue(2)
		l.PushValue(-3)
		l.PushValue(-3)
		l.Call(2, 1)
		if !l.IsNil(-1) {
			return 1
		}
		l.Pop(2)
	}
	return 0
}

// tableForeachi is Lua 5.0's table.foreachi(t, f), which LuaJIT keeps: it calls f(i, t[i]) for i
// from 1 to #t and returns the first result that is not nil.
func tableForeachi(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	glua.CheckType(l, 2, glua.TypeFunction)
	n := l.RawLength(1)
	for i := 1; i <= n; i++ {
		l.PushValue(2)
		l.PushInteger(i)
		l.PushInteger(i)
		l.Table(1)
		l.Call(2, 1)
		if !l.IsNil(-1) {
			return 1
		}
		l.Pop(1)
	}
	return 0
}
