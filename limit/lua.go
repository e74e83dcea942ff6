package limit

import (
	"errors"
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/sharedict"
)

// LuaModules returns the loaders of the Lua modules resty.limit.req, resty.limit.conn,
// resty.limit.count and resty.limit.traffic, by module name, for a Handler to offer to require
// (after the user's lua_package_path, so that a user's own copy wins). Each loader pushes a new
// module table and returns 1. dicts resolves new's dict_name as ngx.shared does; a dict that is a
// *RedisStore makes the limiter decide with Redis scripts and Redis' time.
//
// The modules have the original's functions, results and error strings: new(dict_name, ...)
// returns the object or nil, "shared dict not found" and raises "assertion failed!" on bad
// numbers; obj:incoming(key, commit) returns delay, state or nil, "rejected" (or the dict's
// error); uncommit, set_rate, set_burst, set_conn, is_committed and leaving as documented by
// lua-resty-limit-traffic; traffic.combine(limiters, keys, states) calls the objects' incoming
// and uncommit methods, so it combines any objects that have them. Times are the request's
// ngx.now (the clock of the *ngx.Request in the engine state's Data), or the time of day outside
// requests. The object is a table; its limiter lives in a field the modules own.
func LuaModules(dicts func(name string) (sharedict.Store, bool)) map[string]glua.Function {
	return map[string]glua.Function{
		"resty.limit.req":   func(l *glua.State) int { return pushModule(l, reqFuncs(dicts)) },
		"resty.limit.conn":  func(l *glua.State) int { return pushModule(l, connFuncs(dicts)) },
		"resty.limit.count": func(l *glua.State) int { return pushModule(l, countFuncs(dicts)) },
		"resty.limit.traffic": func(l *glua.State) int {
			return pushModule(l, []glua.RegistryFunction{{Name: "combine", Function: combine}})
		},
	}
}

func pushModule(l *glua.State, funcs []glua.RegistryFunction) int {
	l.CreateTable(0, len(funcs))
	glua.SetFunctions(l, funcs, 0)
	return 1
}

// objField is the field of an object table that holds its Go limiter.
const objField = "__goresty_limiter"

// pushObject pushes a new object table for lim whose methods are methods; the metatable is made
// once per state and kept in the registry under regKey.
func pushObject(l *glua.State, lim any, regKey string, methods []glua.RegistryFunction) int {
	l.CreateTable(0, 1)
	l.PushUserData(lim)
	l.SetField(-2, objField)
	l.Field(glua.RegistryIndex, regKey)
	if l.IsNil(-1) {
		l.Pop(1)
		l.CreateTable(0, 1)
		l.CreateTable(0, len(methods))
		glua.SetFunctions(l, methods, 0)
		l.SetField(-2, "__index")
		l.PushValue(-1)
		l.SetField(glua.RegistryIndex, regKey)
	}
	l.SetMetaTable(-2)
	return 1
}

// self returns the limiter of the object at index 1, raising the error Lua code raises when a
// method is called with a dot instead of a colon.
func self[T any](l *glua.State) T {
	if l.TypeOf(1) == glua.TypeTable {
		l.Field(1, objField)
		v, ok := l.ToUserData(-1).(T)
		l.Pop(1)
		if ok {
			return v
		}
	}
	glua.Errorf(l, "attempt to index local 'self' (a %s value)", lua.TypeName(l, 1))
	panic("unreachable")
}

// luaKey converts a key as ngx.shared.DICT's methods do: nil is a "nil key" (reported by the
// caller), anything else goes through tostring.
func luaKey(l *glua.State, index int) (key string, isNil bool) {
	switch l.TypeOf(index) {
	case glua.TypeNil, glua.TypeNone:
		return "", true
	case glua.TypeString:
		s, _ := l.ToString(index)
		return s, false
	case glua.TypeNumber:
		n, _ := l.ToNumber(index)
		return sharedict.Number(n).String(), false
	}
	s, _ := glua.ToStringMeta(l, index)
	l.Pop(1)
	return s, false
}

// assertKey is the original's assert(key).
func assertKey(l *glua.State, index int) string {
	key, isNil := luaKey(l, index)
	if isNil || (l.TypeOf(index) == glua.TypeBoolean && !l.ToBoolean(index)) {
		glua.Errorf(l, "assertion failed!")
	}
	return key
}

// number returns the number at index for new's assert; another type raises the comparison
// error Lua raises.
func luaNumber(l *glua.State, index int) float64 {
	if l.TypeOf(index) != glua.TypeNumber {
		glua.Errorf(l, "attempt to compare number with %s", lua.TypeName(l, index))
	}
	n, _ := l.ToNumber(index)
	return n
}

// luaAssert raises "assertion failed!" unless err is nil.
func luaAssert(l *glua.State, err error) {
	if err != nil {
		glua.Errorf(l, "assertion failed!")
	}
}

// luaNow is ngx.now() of the running request, and the same instant for the dict's expiry.
func luaNow(l *glua.State) instant {
	if s := lua.Current(l); s != nil {
		if r, ok := s.Data.(*ngx.Request); ok && r != nil {
			c := r.Clock()
			return instant{t: c.Cached(), ms: c.Now() * 1000, ok: true}
		}
	}
	return at(time.Now().Truncate(time.Millisecond))
}

// pushFail pushes nil and err's message; a nil key's "empty key" is the dict's "nil key".
func pushFail(l *glua.State, err error, nilKey bool) int {
	l.PushNil()
	if nilKey && errors.Is(err, sharedict.ErrEmptyKey) {
		l.PushString(sharedict.ErrNilKey.Error())
	} else {
		l.PushString(err.Error())
	}
	return 2
}

func push2(l *glua.State, a, b float64) int {
	l.PushNumber(a)
	l.PushNumber(b)
	return 2
}

// lookup resolves dict_name; ngx.shared[name] is nil for anything but a declared name.
func lookup(l *glua.State, dicts func(string) (sharedict.Store, bool)) (sharedict.Store, bool) {
	if l.TypeOf(1) != glua.TypeString || dicts == nil {
		return nil, false
	}
	name, _ := l.ToString(1)
	return dicts(name)
}

func notFound(l *glua.State) int {
	l.PushNil()
	l.PushString("shared dict not found")
	return 2
}

// combine is traffic.combine(limiters, keys, states), through the objects' Lua methods.
func combine(l *glua.State) int {
	n := glua.LengthEx(l, 1)
	hasStates := l.ToBoolean(3)
	maxDelay := 0.0
	for i := 1; i <= n; i++ {
		if !callIncoming(l, i, i == n) {
			return fail(l)
		}
		if i == n {
			maxDelay, _ = l.ToNumber(-2)
			setState(l, hasStates, i)
		}
		l.Pop(2)
	}
	for i := 1; i < n; i++ {
		if !callIncoming(l, i, true) {
			for j := 1; j < i; j++ {
				callUncommit(l, j)
			}
			callUncommit(l, n)
			return fail(l)
		}
		setState(l, hasStates, i)
		maxDelay = luaMax(l, maxDelay, -2)
		l.Pop(2)
	}
	l.PushNumber(maxDelay)
	return 1
}

// fail returns nil and the error at the top of the stack.
func fail(l *glua.State) int {
	l.PushNil()
	l.PushValue(-2)
	return 2
}

// callIncoming calls limiters[i]:incoming(keys[i], commit), leaving its two results on the stack;
// it reports whether the first is true (a delay).
func callIncoming(l *glua.State, i int, commit bool) bool {
	l.PushInteger(i)
	l.Table(1)
	l.Field(-1, "incoming")
	l.Insert(-2)
	l.PushInteger(i)
	l.Table(2)
	l.PushBoolean(commit)
	l.Call(3, 2)
	return l.ToBoolean(-2)
}

func callUncommit(l *glua.State, i int) {
	l.PushInteger(i)
	l.Table(1)
	l.Field(-1, "uncommit")
	l.Insert(-2)
	l.PushInteger(i)
	l.Table(2)
	l.Call(2, 0)
}

// setState is `if states then states[i] = err end` with err at -1.
func setState(l *glua.State, hasStates bool, i int) {
	if !hasStates {
		return
	}
	l.PushInteger(i)
	l.PushValue(-2)
	l.SetTable(3)
}

// luaMax is math.max(m, value at index).
func luaMax(l *glua.State, m float64, index int) float64 {
	d, ok := l.ToNumber(index)
	if !ok {
		glua.Errorf(l, "bad argument #2 to 'max' (number expected, got %s)", lua.TypeName(l, index))
	}
	return max(m, d)
}
