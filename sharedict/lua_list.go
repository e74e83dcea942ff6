package sharedict

import (
	"strconv"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

// The methods lua-nginx-module implements in C (src/ngx_http_lua_shdict.c), which lua-resty-core
// leaves alone: they check the number of arguments first, take a number key as Lua converts it
// to a string and refuse other non-string keys with a bad-argument error.
var cMethods = map[string]luaMethod{
	"lpush":         shdPush(true),
	"rpush":         shdPush(false),
	"lpop":          shdPop(true),
	"rpop":          shdPop(false),
	"llen":          shdLLen,
	"flush_expired": shdFlushExpired,
	"get_keys":      shdGetKeys,
}

// cArgs raises the C functions' error when the call has not exactly n arguments.
func cArgs(l *glua.State, n int) {
	if got := l.Top(); got != n {
		lua.RaiseAtCaller(l, "expecting "+strconv.Itoa(n)+" arguments, but only seen "+strconv.Itoa(got))
	}
}

// cZone returns the dict of a list method, or raises 'bad "zone" argument'.
func cZone(l *glua.State) *luaZone {
	z := zoneOf(l)
	if z == nil {
		lua.RaiseAtCaller(l, `bad "zone" argument`)
	}
	return z
}

// cKey reads the key of a list method as luaL_checklstring does: a string, or a number as Lua
// formats it; nil and the other key errors are pushed as nil, err (ok = false).
func cKey(l *glua.State) (key string, ok bool) {
	switch l.TypeOf(2) {
	case glua.TypeString:
		key = stringAt(l, 2)
	case glua.TypeNumber:
		n, _ := l.ToNumber(2)
		key = numberKey(n)
	case glua.TypeNil:
		pushErr(l, ErrNilKey)
		return "", false
	default:
		argError(l, 2, "string expected, got "+typeName(l, 2))
	}
	if err := luaKeyError(key); err != nil {
		pushErr(l, err)
		return "", false
	}
	return key, true
}

func shdPush(left bool) luaMethod {
	return func(l *glua.State, c call) int {
		cArgs(l, 3)
		z := cZone(l)
		key, ok := cKey(l)
		if !ok {
			return 2
		}
		var v Value
		switch l.TypeOf(3) {
		case glua.TypeString:
			v = String(stringAt(l, 3))
		case glua.TypeNumber:
			n, _ := l.ToNumber(3)
			v = Number(n)
		default:
			return pushErr(l, ErrBadValueType)
		}
		n, err := z.push(l, c, left, key, v)
		switch {
		case err == ErrNoMemoryNewList:
			l.PushBoolean(false)
			l.PushString(err.Error())
			return 2
		case err != nil:
			return pushErr(l, err)
		}
		l.PushNumber(float64(n))
		return 1
	}
}

func shdPop(left bool) luaMethod {
	return func(l *glua.State, c call) int {
		cArgs(l, 2)
		z := cZone(l)
		key, ok := cKey(l)
		if !ok {
			return 2
		}
		v, err := z.pop(l, c, left, key)
		if err != nil {
			return pushErr(l, err)
		}
		pushValue(l, v)
		return 1
	}
}

func shdLLen(l *glua.State, c call) int {
	cArgs(l, 2)
	z := cZone(l)
	key, ok := cKey(l)
	if !ok {
		return 2
	}
	n, err := z.llen(l, c, key)
	if err != nil {
		return pushErr(l, err)
	}
	l.PushNumber(float64(n))
	return 1
}

// cMax checks the arguments of flush_expired and get_keys: the dict (luaL_checktype) and an
// optional count (luaL_checkint), def when absent.
func cMax(l *glua.State, def int) (*luaZone, int) {
	if n := l.Top(); n != 1 && n != 2 {
		lua.RaiseAtCaller(l, "expecting 1 or 2 argument(s), but saw "+strconv.Itoa(n))
	}
	if !l.IsTable(1) {
		argError(l, 1, "table expected, got "+typeName(l, 1))
	}
	z := zoneOf(l)
	if z == nil {
		lua.RaiseAtCaller(l, "bad user data for the ngx_shm_zone_t pointer")
	}
	if l.Top() == 1 {
		return z, def
	}
	f, ok := toNumber(l, 2)
	if !ok {
		argError(l, 2, "number expected, got "+typeName(l, 2))
	}
	return z, int(toInt32(f))
}

func shdFlushExpired(l *glua.State, c call) int {
	z, max := cMax(l, 0)
	n, err := z.flushExpired(l, c, max)
	if err != nil {
		return pushErr(l, err)
	}
	l.PushNumber(float64(n))
	return 1
}

func shdGetKeys(l *glua.State, c call) int {
	z, max := cMax(l, 1024)
	keys, err := z.getKeys(l, c, max)
	if err != nil {
		return pushErr(l, err)
	}
	l.CreateTable(len(keys), 0)
	for i, k := range keys {
		l.PushString(k)
		l.RawSetInt(-2, i+1)
	}
	return 1
}
