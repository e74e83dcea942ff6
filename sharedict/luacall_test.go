package sharedict

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// luaCall calls a dict method as Lua code would and returns what OpenResty (lua-resty-core 0.1.25
// with lua-nginx-module 0.10.23) returns, or the error it raises. It is the Lua binding in
// miniature, so the transcripts also check that the Go API carries everything the binding needs.
func luaCall(d *Dict, now time.Time, method string, args []any) ([]any, error) {
	if f := luaMethods[method]; f != nil {
		return f(d, now, args)
	}
	if f := keyMethods[method]; f != nil {
		key, ok := luaKey(arg(args, 0))
		if !ok {
			return luaErr(ErrNilKey), nil
		}
		return f(d, now, key, args[1:])
	}
	return nil, fmt.Errorf("unknown method %s", method)
}

type keyMethod func(d *Dict, now time.Time, key string, args []any) ([]any, error)

var keyMethods map[string]keyMethod

func init() {
	keyMethods = map[string]keyMethod{
		"get":       luaGet,
		"get_stale": luaGetStale,
		"set":       luaStore(opSet),
		"safe_set":  luaStore(opSet | opSafe),
		"add":       luaStore(opAdd),
		"safe_add":  luaStore(opAdd | opSafe),
		"replace":   luaStore(opReplace),
		"delete": func(d *Dict, now time.Time, key string, _ []any) ([]any, error) {
			return luaStore(opSet)(d, now, key, nil)
		},
		"incr":  luaIncr,
		"lpush": luaPush(true),
		"rpush": luaPush(false),
		"lpop":  luaPop(true),
		"rpop":  luaPop(false),
		"llen": func(d *Dict, now time.Time, key string, _ []any) ([]any, error) {
			n, err := d.LLenAt(now, key)
			if err != nil {
				return luaErr(err), nil
			}
			return []any{float64(n)}, nil
		},
		"ttl": func(d *Dict, now time.Time, key string, _ []any) ([]any, error) {
			ttl, err := d.TTLAt(now, key)
			if err != nil {
				return luaErr(err), nil
			}
			return []any{float64(ttl.Milliseconds()) / 1000}, nil
		},
		"rpush_n": luaRepeat("rpush"),
		"lpop_n":  luaRepeat("lpop"),
		"set_n":   luaSetN,
	}
}

var luaMethods = map[string]func(d *Dict, now time.Time, args []any) ([]any, error){
	"capacity": func(d *Dict, _ time.Time, _ []any) ([]any, error) {
		return []any{float64(d.Capacity())}, nil
	},
	"free_space": func(d *Dict, _ time.Time, _ []any) ([]any, error) {
		n, err := d.FreeSpace()
		return []any{float64(n)}, err
	},
	"flush_all": func(d *Dict, _ time.Time, _ []any) ([]any, error) { return nil, d.FlushAll() },
	"flush_expired": func(d *Dict, now time.Time, args []any) ([]any, error) {
		max, _ := arg(args, 0).(float64)
		n, err := d.FlushExpiredAt(now, int(max))
		return []any{float64(n)}, err
	},
	"get_keys": func(d *Dict, now time.Time, args []any) ([]any, error) {
		max := 1024.0
		if m, ok := arg(args, 0).(float64); ok {
			max = m
		}
		keys, err := d.GetKeysAt(now, int(max))
		return []any{keys}, err
	},
	"expire": func(d *Dict, now time.Time, args []any) ([]any, error) {
		if arg(args, 1) == nil {
			return nil, ErrBadExptime
		}
		key, ok := luaKey(arg(args, 0))
		if !ok {
			return luaErr(ErrNilKey), nil
		}
		f, _ := arg(args, 1).(float64)
		if err := d.ExpireAt(now, key, time.Duration(int64(f*1000))*time.Millisecond); err != nil {
			return luaErr(err), nil
		}
		return []any{true}, nil
	},
}

func luaGet(d *Dict, now time.Time, key string, _ []any) ([]any, error) {
	v, flags, err := d.GetAt(now, key)
	switch {
	case err != nil:
		return luaErr(err), nil
	case v.IsNil():
		return []any{nil}, nil
	case flags != 0:
		return []any{v, float64(int32(flags))}, nil
	}
	return []any{v}, nil
}

func luaGetStale(d *Dict, now time.Time, key string, _ []any) ([]any, error) {
	v, flags, stale, err := d.GetStaleAt(now, key)
	switch {
	case err != nil:
		return luaErr(err), nil
	case v.IsNil():
		return []any{nil}, nil
	case flags != 0:
		return []any{v, float64(int32(flags)), stale}, nil
	}
	return []any{v, nil, stale}, nil
}

func luaStore(op storeOp) keyMethod {
	return func(d *Dict, now time.Time, key string, args []any) ([]any, error) {
		if exp := arg(args, 1); exp != nil && exp.(float64) < 0 {
			return nil, ErrBadExptime
		}
		switch arg(args, 0).(type) {
		case nil, string, float64, bool:
		default:
			return luaErr(ErrBadValueType), nil
		}
		forcible, err := d.store(clockAt(now), op, key, luaValue(arg(args, 0)), seconds(arg(args, 1)), luaFlags(arg(args, 2)))
		var e *Error
		switch {
		case errors.Is(err, ErrEmptyKey) || errors.Is(err, ErrKeyTooLong):
			return luaErr(err), nil
		case errors.As(err, &e):
			return []any{false, err.Error(), forcible}, nil
		}
		return []any{true, nil, forcible}, nil
	}
}

func luaIncr(d *Dict, now time.Time, key string, args []any) ([]any, error) {
	n, ok := luaNumber(arg(args, 0))
	if !ok {
		return nil, fmt.Errorf("cannot convert 'nil' to 'double'")
	}
	init, hasInit := luaNumber(arg(args, 1))
	if ttl := arg(args, 2); ttl != nil {
		switch {
		case ttl.(float64) < 0:
			return nil, ErrBadInitTTL
		case !hasInit:
			return nil, ErrInitTTLWithoutInit
		}
	}
	if !hasInit {
		v, err := d.IncrAt(now, key, n)
		if err != nil {
			return luaErr(err), nil
		}
		return []any{v}, nil
	}
	v, forcible, err := d.IncrInitAt(now, key, n, init, seconds(arg(args, 2)))
	if err != nil {
		return luaErr(err), raised(err)
	}
	return []any{v, nil, forcible}, nil
}

// luaNumber converts as tonumber does for the strings the scripts use.
func luaNumber(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	return 0, false
}

func luaPush(left bool) keyMethod {
	return func(d *Dict, now time.Time, key string, args []any) ([]any, error) {
		push := d.RPushAt
		if left {
			push = d.LPushAt
		}
		v := arg(args, 0)
		if _, ok := v.(bool); ok || v == nil {
			return luaErr(ErrBadValueType), nil
		}
		n, err := push(now, key, luaValue(v))
		switch {
		case err == ErrNoMemoryNewList:
			return []any{false, err.Error()}, nil
		case err != nil:
			return luaErr(err), nil
		}
		return []any{float64(n)}, nil
	}
}

func luaPop(left bool) keyMethod {
	return func(d *Dict, now time.Time, key string, _ []any) ([]any, error) {
		pop := d.RPopAt
		if left {
			pop = d.LPopAt
		}
		v, err := pop(now, key)
		switch {
		case err != nil:
			return luaErr(err), nil
		case v.IsNil():
			return []any{nil}, nil
		}
		return []any{v}, nil
	}
}

// luaRepeat calls a list method n times (the rpush_n and lpop_n helpers of the scripts), pushing
// 1..n, and returns the last results.
func luaRepeat(method string) keyMethod {
	return func(d *Dict, now time.Time, key string, args []any) ([]any, error) {
		var res []any
		for i := 1; i <= int(arg(args, 0).(float64)); i++ {
			var err error
			if res, err = keyMethods[method](d, now, key, []any{float64(i)}); err != nil {
				return nil, err
			}
		}
		for len(res) < 2 {
			res = append(res, nil) // the Lua helper returns two values
		}
		return res, nil
	}
}

// luaSetN sets prefix..i = v for i in 1..n and returns how many succeeded and how many were forcible.
func luaSetN(d *Dict, now time.Time, prefix string, args []any) ([]any, error) {
	ok, forcible := 0.0, 0.0
	for i := 1; i <= int(arg(args, 0).(float64)); i++ {
		f, err := d.SetAt(now, prefix+strconv.Itoa(i), luaValue(arg(args, 1)), 0, 0)
		if err == nil {
			ok++
		}
		if f {
			forcible++
		}
	}
	return []any{ok, forcible}, nil
}
