package stdlib

import (
	glua "github.com/Shopify/go-lua"
)

// tableSort is table.sort(list [, comp]) with the C Lua algorithm (Lua 5.2's auxsort, which
// LuaJIT's matches): elements that compare equal end in the same order as there, and an
// inconsistent comparator fails, or not, as there (Lua 5.1 bounds the partition loops a step
// later). go-lua's own sort.Sort puts ties in
// other places, so a list sorted on a key with repeated values came out in another order than
// OpenResty's. The length is the raw one, as LuaJIT takes it.
func tableSort(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	n := l.RawLength(1)
	if !l.IsNoneOrNil(2) {
		glua.CheckType(l, 2, glua.TypeFunction)
	}
	l.SetTop(2)
	s := sorter{l: l, comp: !l.IsNil(2)}
	s.auxsort(1, n)
	return 0
}

type sorter struct {
	l    *glua.State
	comp bool // a comparison function is at index 2
}

// less reports whether the value at index a sorts before the one at index b (both negative,
// relative to the top), by the comparison function or by <.
func (s sorter) less(a, b int) bool {
	l := s.l
	if !s.comp {
		return l.Compare(a, b, glua.OpLT)
	}
	l.PushValue(2)
	l.PushValue(a - 1)
	l.PushValue(b - 2)
	l.Call(2, 1)
	res := l.ToBoolean(-1)
	l.Pop(1)
	return res
}

// set2 stores the top of the stack in list[i] and the value under it in list[j].
func (s sorter) set2(i, j int) {
	s.l.RawSetInt(1, i)
	s.l.RawSetInt(1, j)
}

func (s sorter) invalid() {
	glua.Errorf(s.l, "invalid order function for sorting")
}

// auxsort sorts list[lo..up] as Lua 5.2's auxsort does, step for step.
func (s sorter) auxsort(lo, up int) {
	l := s.l
	for lo < up {
		// Sort list[lo], list[(lo+up)/2] and list[up].
		l.RawGetInt(1, lo)
		l.RawGetInt(1, up)
		if s.less(-1, -2) { // list[up] < list[lo]?
			s.set2(lo, up)
		} else {
			l.Pop(2)
		}
		if up-lo == 1 {
			break // two elements
		}
		i := (lo + up) / 2
		l.RawGetInt(1, i)
		l.RawGetInt(1, lo)
		if s.less(-2, -1) { // list[i] < list[lo]?
			s.set2(i, lo)
		} else {
			l.Pop(1)
			l.RawGetInt(1, up)
			if s.less(-1, -2) { // list[up] < list[i]?
				s.set2(i, up)
			} else {
				l.Pop(2)
			}
		}
		if up-lo == 2 {
			break // three elements
		}
		l.RawGetInt(1, i) // the pivot
		l.PushValue(-1)
		l.RawGetInt(1, up-1)
		s.set2(i, up-1)
		// list[lo] <= P == list[up-1] <= list[up]: partition lo+1 .. up-2.
		i, j := lo, up-1
		for {
			for i++; ; i++ { // until list[i] >= P
				l.RawGetInt(1, i)
				if !s.less(-1, -2) {
					break
				}
				if i >= up {
					s.invalid()
				}
				l.Pop(1)
			}
			for j--; ; j-- { // until list[j] <= P
				l.RawGetInt(1, j)
				if !s.less(-3, -1) {
					break
				}
				if j <= lo {
					s.invalid()
				}
				l.Pop(1)
			}
			if j < i {
				l.Pop(3) // the pivot, list[i] and list[j]
				break
			}
			s.set2(i, j)
		}
		l.RawGetInt(1, up-1)
		l.RawGetInt(1, i)
		s.set2(up-1, i) // the pivot to its place
		// Recurse into the smaller half and loop on the larger one.
		if i-lo < up-i {
			j, i, lo = lo, i-1, i+1
		} else {
			j, i, up = i+1, up, i-1
		}
		s.auxsort(j, i)
	}
}
