package sharedict

import (
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

// The Lua binding: ngx.shared.DICT as lua-nginx-module 0.10.23 with lua-resty-core 0.1.25 makes
// it. A dict object is what OpenResty makes it, a table {zone} whose metatable holds the methods
// (and is its own __index), so type(dict) is "table" as there. get, get_stale, set, safe_set,
// add, safe_add, replace, delete, incr, ttl, expire, flush_all, capacity and free_space check
// their arguments as lua-resty-core's Lua code does (lua_methods.go); lpush, rpush, lpop, rpop,
// llen, flush_expired and get_keys as lua-nginx-module's C functions do (lua_list.go).

// Registry keys of the binding's per-state data.
const (
	luaMetaKey    = "goresty.sharedict.meta"    // the metatable of dict objects
	luaBindingKey = "goresty.sharedict.binding" // the *luaBinding its methods share
)

// LuaClock returns the time a dict method called from Lua runs at: the cached time of the
// request running on l, as nginx's shared dicts read the worker's cached time (ngx.now), or
// ok = false to let the dict read its own clock.
type LuaClock func(l *glua.State) (now time.Time, ok bool)

// luaBinding is what the methods of one Lua state share.
type luaBinding struct {
	clock LuaClock
}

// luaZone is the userdata in a dict object: the store, and the same store as a *Dict, whose
// At twins take the caller's cached time (nil for other stores).
type luaZone struct {
	store Store
	dict  *Dict
}

// PushLua pushes the Lua object of d, as ngx.shared.NAME gives it: a table holding d whose
// metatable has the methods of ngx.shared.DICT (get, set, incr, lpush, get_keys...). They take
// and return what OpenResty's do: keys other than strings go through tostring, errors are
// returned as OpenResty returns them (nil, "not found"; false, "exists", false) and bad
// arguments raise the Lua errors OpenResty raises. The metatable is made once per state and
// kept in its registry.
//
// The methods of a *Dict run at the time SetLuaClock's clock gives, when it gives one; other
// stores, and a state without a clock, use the store's own time. d must not be nil.
func PushLua(l *glua.State, d Store) {
	z := &luaZone{store: d}
	z.dict, _ = d.(*Dict)
	l.CreateTable(1, 0)
	l.PushUserData(z)
	l.RawSetInt(-2, 1)
	pushMeta(l)
	l.SetMetaTable(-2)
}

// SetLuaClock makes the dict objects of l (made before or after) run at the time clock gives,
// when it gives one. The Handler installs the request's cached clock (ngx.now): as in nginx,
// an entry's expiry is then measured by the time that ngx.now() shows, which stands still
// while a request runs Lua code and moves on ngx.update_time() and ngx.sleep(). Without a
// clock, or where clock gives none (init, timers), a *Dict reads its own clock. Set it before
// Lua code runs on l or its coroutines: the clock is not guarded against concurrent calls.
func SetLuaClock(l *glua.State, clock LuaClock) {
	binding(l).clock = clock
}

// binding returns the state's binding, making it and the metatable on first use.
func binding(l *glua.State) *luaBinding {
	l.Field(glua.RegistryIndex, luaBindingKey)
	b, ok := l.ToUserData(-1).(*luaBinding)
	l.Pop(1)
	if ok {
		return b
	}
	b = &luaBinding{}
	l.PushUserData(b)
	l.SetField(glua.RegistryIndex, luaBindingKey)
	l.CreateTable(0, len(restyMethods)+len(cMethods)+1)
	for name, f := range restyMethods {
		l.PushGoFunction(b.method(f))
		l.SetField(-2, name)
	}
	for name, f := range cMethods {
		l.PushGoFunction(b.method(f))
		l.SetField(-2, name)
	}
	l.PushValue(-1)
	l.SetField(-2, "__index")
	l.SetField(glua.RegistryIndex, luaMetaKey)
	return b
}

// pushMeta pushes the metatable of dict objects.
func pushMeta(l *glua.State) {
	l.Field(glua.RegistryIndex, luaMetaKey)
	if l.IsTable(-1) {
		return
	}
	l.Pop(1)
	binding(l)
	l.Field(glua.RegistryIndex, luaMetaKey)
}

// luaMethod is a dict method; c carries the state's binding.
type luaMethod func(l *glua.State, c call) int

// call is one call of a method.
type call struct{ b *luaBinding }

func (b *luaBinding) method(f luaMethod) glua.Function {
	c := call{b}
	return func(l *glua.State) int { return f(l, c) }
}

// now returns the time the call runs at, if the binding has a clock that gives one.
func (c call) now(l *glua.State) (time.Time, bool) {
	if c.b.clock == nil {
		return time.Time{}, false
	}
	return c.b.clock(l)
}

// zoneOf returns the zone of the dict object at index 1, or nil.
func zoneOf(l *glua.State) *luaZone {
	if !l.IsTable(1) {
		return nil
	}
	l.RawGetInt(1, 1)
	z, _ := l.ToUserData(-1).(*luaZone)
	l.Pop(1)
	return z
}

// argError raises luaL_argerror's error for argument narg (counting self) of a C method, with
// go-lua's ArgumentError: the engine (package internal/lua) then names the function as LuaJIT
// does ("bad argument #1 to 'lpush'" for d:lpush(true, 1), self not counted), and through pcall
// it stays "bad argument #2 to '?'", as in LuaJIT.
func argError(l *glua.State, narg int, msg string) {
	glua.ArgumentError(l, narg, msg)
}

// typeName is luaL_typename: "no value" for a missing argument.
func typeName(l *glua.State, idx int) string {
	if l.TypeOf(idx) == glua.TypeNone {
		return "no value"
	}
	return glua.TypeNameOf(l, idx)
}

// pushErr pushes nil and err's message, the way every method returns most errors.
func pushErr(l *glua.State, err error) int {
	l.PushNil()
	l.PushString(err.Error())
	return 2
}

// raiseIfRaised raises err as a Lua error when OpenResty raises it rather than returning it.
func raiseIfRaised(l *glua.State, err error) {
	if e, ok := err.(*Error); ok && e.Raised() {
		lua.RaiseAtCaller(l, e.Error())
	}
}

// pushValue pushes a dict value as the Lua value it is.
func pushValue(l *glua.State, v Value) {
	switch v.Kind() {
	case KindString:
		s, _ := v.AsString()
		l.PushString(s)
	case KindNumber:
		n, _ := v.AsNumber()
		l.PushNumber(n)
	case KindBool:
		b, _ := v.AsBool()
		l.PushBoolean(b)
	default:
		l.PushNil()
	}
}

// luaKeyError returns the error OpenResty returns for a key it refuses, or nil.
func luaKeyError(key string) error {
	switch {
	case key == "":
		return ErrEmptyKey
	case len(key) > 65535:
		return ErrKeyTooLong
	}
	return nil
}

// numberKey is a number key as Lua converts it to a string (%.14g, nan, inf).
func numberKey(n float64) string { return Number(n).String() }

// pushFlags pushes user flags as LuaJIT reads them through the FFI: a C int.
func pushFlags(l *glua.State, flags uint32) { l.PushNumber(float64(int32(flags))) }
