package sharedict

import (
	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

// The methods lua-resty-core implements in Lua over the FFI (lib/resty/core/shdict.lua): they
// take any number of arguments, convert a non-string key with tostring, and raise 'bad "zone"
// argument' when called without the dict (d.get(k) instead of d:get(k)).
var restyMethods = map[string]luaMethod{
	"get":        shdGet,
	"get_stale":  shdGetStale,
	"set":        shdStore(luaSet),
	"safe_set":   shdStore(luaSafeSet),
	"add":        shdStore(luaAdd),
	"safe_add":   shdStore(luaSafeAdd),
	"replace":    shdStore(luaReplace),
	"delete":     shdDelete,
	"incr":       shdIncr,
	"ttl":        shdTTL,
	"expire":     shdExpire,
	"flush_all":  shdFlushAll,
	"capacity":   shdCapacity,
	"free_space": shdFreeSpace,
}

// restyZone returns the dict a lua-resty-core method is called on, or raises its error.
func restyZone(l *glua.State) *luaZone {
	z := zoneOf(l)
	if z == nil {
		lua.RaiseAtCaller(l, `bad "zone" argument`)
	}
	return z
}

func shdGet(l *glua.State, c call) int {
	z := restyZone(l)
	key, ok := restyKey(l)
	if !ok {
		return 2
	}
	v, flags, err := z.get(l, c, key)
	switch {
	case err != nil:
		return pushErr(l, err)
	case v.IsNil():
		l.PushNil()
		return 1
	}
	pushValue(l, v)
	if flags != 0 {
		pushFlags(l, flags)
		return 2
	}
	return 1
}

func shdGetStale(l *glua.State, c call) int {
	z := restyZone(l)
	key, ok := restyKey(l)
	if !ok {
		return 2
	}
	v, flags, stale, err := z.getStale(l, c, key)
	switch {
	case err != nil:
		return pushErr(l, err)
	case v.IsNil():
		l.PushNil()
		return 1
	}
	pushValue(l, v)
	if flags != 0 {
		pushFlags(l, flags)
	} else {
		l.PushNil()
	}
	l.PushBoolean(stale)
	return 3
}

// shdStore is set, safe_set, add, safe_add and replace: (ok, err, forcible).
func shdStore(op luaStoreOp) luaMethod {
	return func(l *glua.State, c call) int {
		z := restyZone(l)
		exptime := exptimeArg(l, 4)
		key, ok := restyKey(l)
		if !ok {
			return 2
		}
		v, ok := valueArg(l, 3)
		if !ok {
			return pushErr(l, ErrBadValueType)
		}
		flags := flagsArg(l, 5)
		forcible, err := z.put(l, c, op, key, v, exptime, flags)
		return pushStored(l, forcible, err)
	}
}

// shdDelete is delete(key): set(key, nil).
func shdDelete(l *glua.State, c call) int {
	z := restyZone(l)
	key, ok := restyKey(l)
	if !ok {
		return 2
	}
	return pushStored(l, false, z.delete(l, c, key))
}

// pushStored pushes what the store methods return: true, nil, forcible; or false, err,
// forcible.
func pushStored(l *glua.State, forcible bool, err error) int {
	if err != nil {
		raiseIfRaised(l, err)
		l.PushBoolean(false)
		l.PushString(err.Error())
	} else {
		l.PushBoolean(true)
		l.PushNil()
	}
	l.PushBoolean(forcible)
	return 3
}

// shdIncr is incr(key, value, init, init_ttl).
func shdIncr(l *glua.State, c call) int {
	z := restyZone(l)
	key, ok := restyKey(l)
	if !ok {
		return 2
	}
	n, ok := toNumber(l, 3)
	if !ok {
		lua.RaisePlain(l, "cannot convert 'nil' to 'double'")
	}
	init, hasInit := 0.0, l.ToBoolean(4)
	if hasInit {
		if init, ok = toNumber(l, 4); !ok {
			lua.RaiseAtCaller(l, "bad init arg: number expected, got "+typeName(l, 4))
		}
	}
	ttl := 0.0
	if !l.IsNoneOrNil(5) {
		if ttl, ok = toNumber(l, 5); !ok {
			lua.RaiseAtCaller(l, "bad init_ttl arg: number expected, got "+typeName(l, 5))
		}
		switch {
		case ttl < 0:
			lua.RaiseAtCaller(l, ErrBadInitTTL.Error())
		case !hasInit:
			lua.RaiseAtCaller(l, ErrInitTTLWithoutInit.Error())
		}
	}
	if !hasInit {
		v, err := z.incr(l, c, key, n)
		if err != nil {
			return pushErr(l, err)
		}
		l.PushNumber(v)
		return 1
	}
	v, forcible, err := z.incrInit(l, c, key, n, init, msDuration(ttl))
	if err != nil {
		raiseIfRaised(l, err)
		return pushErr(l, err)
	}
	l.PushNumber(v)
	l.PushNil()
	l.PushBoolean(forcible)
	return 3
}

// shdTTL is ttl(key): seconds left (0: no expiry), or nil, "not found".
func shdTTL(l *glua.State, c call) int {
	z := restyZone(l)
	key, ok := restyKey(l)
	if !ok {
		return 2
	}
	ttl, err := z.ttl(l, c, key)
	if err != nil {
		return pushErr(l, err)
	}
	l.PushNumber(float64(ttl.Milliseconds()) / 1000)
	return 1
}

// shdExpire is expire(key, exptime): true, or nil, "not found".
func shdExpire(l *glua.State, c call) int {
	z := restyZone(l)
	if !l.ToBoolean(3) {
		lua.RaiseAtCaller(l, ErrBadExptime.Error())
	}
	key, ok := restyKey(l)
	if !ok {
		return 2
	}
	// exptime * 1000 in Lua: numeric strings convert, other values fail the arithmetic.
	sec, ok := toNumber(l, 3)
	if !ok {
		lua.RaisePlain(l, "attempt to perform arithmetic on local 'exptime' (a "+typeName(l, 3)+" value)")
	}
	if err := z.expire(l, c, key, msDuration(sec)); err != nil {
		return pushErr(l, err)
	}
	l.PushBoolean(true)
	return 1
}

func shdFlushAll(l *glua.State, _ call) int {
	if err := restyZone(l).store.FlushAll(); err != nil {
		return pushErr(l, err)
	}
	return 0
}

func shdCapacity(l *glua.State, _ call) int {
	l.PushNumber(float64(restyZone(l).store.Capacity()))
	return 1
}

func shdFreeSpace(l *glua.State, _ call) int {
	n, err := restyZone(l).store.FreeSpace()
	if err != nil {
		return pushErr(l, err)
	}
	l.PushNumber(float64(n))
	return 1
}
