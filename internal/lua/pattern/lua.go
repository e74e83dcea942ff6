package pattern

import (
	"strings"

	glua "github.com/Shopify/go-lua"
)

// Options configure OpenWith. The zero value sets no limit.
type Options struct {
	// MaxBytes caps the length of a string that string.gsub builds; a longer
	// result raises the Lua error "resulting string too large". 0: no cap.
	MaxBytes int
}

// Open sets string.find, string.match, string.gmatch and string.gsub in l's
// string library (package.loaded.string, which the string metatable's
// __index also names, so ("x"):match(p) works), opening that library first
// if l lacks it. The functions behave as lua5.2's, errors included.
func Open(l *glua.State) { OpenWith(l, Options{}) }

// OpenWith is Open with options, such as a cap on the strings gsub builds.
func OpenWith(l *glua.State, o Options) {
	glua.SubTable(l, glua.RegistryIndex, "_LOADED")
	l.Field(-1, "string")
	if l.IsTable(-1) {
		l.Remove(-2)
	} else {
		l.Pop(2)
		glua.Require(l, "string", glua.StringOpen, true)
	}
	// One unused upvalue makes each function a Go closure, which go-lua's
	// argument errors can find by name ("bad argument #3 to 'string.gsub'");
	// plain Go functions are reported as '?'.
	l.PushBoolean(true)
	glua.SetFunctions(l, []glua.RegistryFunction{
		{Name: "find", Function: func(l *glua.State) int { return findAux(l, true) }},
		{Name: "match", Function: func(l *glua.State) int { return findAux(l, false) }},
		{Name: "gmatch", Function: gmatch},
		{Name: "gsub", Function: o.gsub},
	}, 1)
	l.Pop(1)
}

// specials are the bytes that make string.find match a pattern rather than
// search for plain text.
const specials = "^$*+?.([%-"

// raise turns a pattern error raised inside the matcher into a Lua error
// that names the calling line, as luaL_error does.
func raise(l *glua.State) {
	if r := recover(); r != nil {
		if e, ok := r.(*Error); ok {
			glua.Errorf(l, "%s", e.msg)
		}
		panic(r)
	}
}

// checkString is glua.CheckString without its allocation for arguments
// that already are strings (go-lua's ToString boxes the string anew).
func checkString(l *glua.State, i int) string {
	if s, ok := l.ToValue(i).(string); ok {
		return s
	}
	return glua.CheckString(l, i)
}

// relative converts a 1-based, possibly negative string position as
// lua5.2's posrelat does.
func relative(pos, n int) int {
	switch {
	case pos >= 0:
		return pos
	case -pos > n:
		return 0
	}
	return n + pos + 1
}

// findAux is lua5.2's str_find_aux: string.find when find is set, else
// string.match. An init past the end starts at #s+1, as LuaJIT does (find("abc", "", 10) is
// 4, 3 there), where 5.2 returns nil: OpenResty code sees LuaJIT's answer.
func findAux(l *glua.State, find bool) int {
	s := checkString(l, 1)
	p := checkString(l, 2)
	init := relative(glua.OptInteger(l, 3, 1), len(s))
	init = min(max(init, 1), len(s)+1)
	if find && (l.ToBoolean(4) || !strings.ContainsAny(p, specials)) {
		if i := strings.Index(s[init-1:], p); i >= 0 {
			l.PushInteger(init + i)
			l.PushInteger(init + i + len(p) - 1)
			return 2
		}
		l.PushNil()
		return 1
	}
	defer raise(l)
	var m Matcher
	m.Reset(s, p)
	start, end := m.find(init - 1)
	if start < 0 {
		l.PushNil()
		return 1
	}
	if find {
		l.PushInteger(start + 1)
		l.PushInteger(end)
		return m.pushCaptures(l, start, end, false) + 2
	}
	return m.pushCaptures(l, start, end, true)
}

// pushCaptures pushes the captures of the match subject[s:e], or the whole
// match when there are none and whole is set; it returns how many it pushed.
func (m *Matcher) pushCaptures(l *glua.State, s, e int, whole bool) int {
	n := m.level
	if n == 0 && whole {
		n = 1
	}
	glua.CheckStackWithMessage(l, n, "too many captures")
	for i := range n {
		m.pushCapture(l, m.capture(i, s, e))
	}
	return n
}

func (m *Matcher) pushCapture(l *glua.State, c Capture) {
	if c.Position {
		l.PushInteger(c.Start + 1)
	} else {
		l.PushString(m.src[c.Start:c.End])
	}
}

// gmatch is string.gmatch: a leading '^' is an ordinary character, as in
// lua5.2, and an empty match moves the next search one byte on.
func gmatch(l *glua.State) int {
	s := checkString(l, 1)
	p := checkString(l, 2)
	pos := 0
	l.PushGoFunction(func(l *glua.State) int {
		defer raise(l)
		var m Matcher
		m.Reset(s, p)
		sc := m.newScanner(0)
		for src := pos; src <= len(s); src++ {
			if src = m.next(&sc, src); src > len(s) {
				break
			}
			if e := m.matchAt(src, 0); e >= 0 {
				pos = e
				if e == src {
					pos++
				}
				return m.pushCaptures(l, src, e, true)
			}
		}
		return 0
	})
	return 1
}

// gsub is string.gsub.
func (o Options) gsub(l *glua.State) int {
	src := checkString(l, 1)
	p := checkString(l, 2)
	tr := l.TypeOf(3)
	maxN := glua.OptInteger(l, 4, len(src)+1)
	glua.ArgumentCheck(l, tr == glua.TypeNumber || tr == glua.TypeString ||
		tr == glua.TypeFunction || tr == glua.TypeTable, 3, "string/function/table expected")
	if maxN < 0 {
		maxN = -1 // lua5.2 reads the count as unsigned: no limit
	}
	defer raise(l)
	m := &Matcher{}
	m.Reset(src, p)
	w := newBuffer(o.MaxBytes)
	var add func(s, e int)
	switch tr {
	case glua.TypeTable:
		add = func(s, e int) {
			m.pushCapture(l, m.capture(0, s, e))
			l.Table(3)
			addValue(l, w, src[s:e])
		}
	case glua.TypeFunction:
		add = func(s, e int) {
			l.PushValue(3)
			l.Call(m.pushCaptures(l, s, e, true), 1)
			addValue(l, w, src[s:e])
		}
	default:
		repl := checkString(l, 3)
		if strings.IndexByte(repl, '%') < 0 {
			add = func(int, int) { w.add(repl) }
		} else {
			add = func(s, e int) { m.addString(w, repl, s, e) }
		}
	}
	n := m.gsub(w, maxN, add)
	if n == 0 {
		w.release()
		l.PushString(src)
	} else {
		l.PushString(w.String())
	}
	l.PushInteger(n)
	return 2
}

// addValue adds the replacement a table or function gave for match, which
// false or nil keep.
func addValue(l *glua.State, w *buffer, match string) {
	if !l.ToBoolean(-1) {
		l.Pop(1)
		w.add(match)
		return
	}
	if !l.IsString(-1) {
		glua.Errorf(l, "invalid replacement value (a %s)", glua.TypeNameOf(l, -1))
	}
	w.add(checkString(l, -1))
	l.Pop(1)
}
