package luacjson

import (
	"errors"

	glua "github.com/Shopify/go-lua"
)

// Version is the _VERSION the module reports: the openresty/lua-cjson release it follows.
const Version = "2.1.0.11"

type sentinel struct{ name string }

// Null is the Go value inside the cjson.null userdata: l.ToUserData(i) == Null tells that the
// value at i is cjson.null (and so ngx.null).
var Null any = &sentinel{"null"}

// EmptyArray is the Go value inside the cjson.empty_array userdata.
var EmptyArray any = &sentinel{"empty_array"}

// Registry keys of the per-state shared values.
const (
	regNull         = "goresty.cjson.null"
	regEmptyArray   = "goresty.cjson.empty_array"
	regArrayMT      = "goresty.cjson.array_mt"
	regEmptyArrayMT = "goresty.cjson.empty_array_mt"
)

// PushNull pushes cjson.null, the JSON null sentinel of l's state, creating it on first use.
// Use it for ngx.null so that ngx.null == cjson.null, as in OpenResty.
func PushNull(l *glua.State) {
	l.Field(glua.RegistryIndex, regNull)
	if !l.IsNil(-1) {
		return
	}
	l.Pop(1)
	l.PushUserData(Null)
	l.NewTable()
	l.PushGoFunction(func(l *glua.State) int {
		l.PushString("userdata: NULL")
		return 1
	})
	l.SetField(-2, "__tostring")
	l.SetMetaTable(-2)
	l.PushValue(-1)
	l.SetField(glua.RegistryIndex, regNull)
}

// IsNull reports whether the value at index is cjson.null.
func IsNull(l *glua.State, index int) bool {
	return l.TypeOf(index) == glua.TypeUserData && l.ToUserData(index) == Null
}

// pushShared pushes the registry value under key, creating it with create on first use.
func pushShared(l *glua.State, key string, create func()) {
	l.Field(glua.RegistryIndex, key)
	if !l.IsNil(-1) {
		return
	}
	l.Pop(1)
	create()
	l.PushValue(-1)
	l.SetField(glua.RegistryIndex, key)
}

func pushEmptyArray(l *glua.State) {
	pushShared(l, regEmptyArray, func() { l.PushUserData(EmptyArray) })
}

func pushArrayMT(l *glua.State)      { pushShared(l, regArrayMT, l.NewTable) }
func pushEmptyArrayMT(l *glua.State) { pushShared(l, regEmptyArrayMT, l.NewTable) }

// Open is the loader of the "cjson" module: it pushes a new module table with default settings
// and returns 1. Its encode and decode raise Lua errors.
func Open(l *glua.State) int {
	pushModule(l, false)
	return 1
}

// OpenSafe is the loader of the "cjson.safe" module: as Open, but encode and decode return nil
// and the error message instead of raising.
func OpenSafe(l *glua.State) int {
	pushModule(l, true)
	return 1
}

func pushModule(l *glua.State, safe bool) {
	c := defaultConfig()
	funcs := []glua.RegistryFunction{
		{Name: "encode", Function: c.luaEncode(safe)},
		{Name: "decode", Function: c.luaDecode(safe)},
		{Name: "new", Function: func(l *glua.State) int { pushModule(l, safe); return 1 }},
	}
	funcs = append(funcs, c.configFunctions()...)
	l.CreateTable(0, len(funcs)+7)
	for _, f := range funcs {
		l.PushGoFunction(f.Function)
		l.SetField(-2, f.Name)
	}
	PushNull(l)
	l.SetField(-2, "null")
	pushEmptyArray(l)
	l.SetField(-2, "empty_array")
	pushArrayMT(l)
	l.SetField(-2, "array_mt")
	pushEmptyArrayMT(l)
	l.SetField(-2, "empty_array_mt")
	l.PushString("cjson")
	l.SetField(-2, "_NAME")
	l.PushString(Version)
	l.SetField(-2, "_VERSION")
}

func (c *config) luaEncode(safe bool) glua.Function {
	return func(l *glua.State) int {
		if l.Top() != 1 {
			glua.ArgumentError(l, 1, "expected 1 argument")
		}
		s, err := c.encode(l)
		return finish(l, s, err, safe)
	}
}

func (c *config) luaDecode(safe bool) glua.Function {
	return func(l *glua.State) int {
		if l.Top() != 1 {
			glua.ArgumentError(l, 1, "expected 1 argument")
		}
		if t := l.TypeOf(1); t != glua.TypeString && t != glua.TypeNumber {
			msg := "string expected, got " + typeName(l, 1)
			if !safe {
				glua.ArgumentError(l, 1, msg)
			}
			// cjson.safe runs decode through lua_pcall, where the function has no name.
			return finish(l, "", errors.New("bad argument #1 to '?' ("+msg+")"), true)
		}
		s, _ := l.ToString(1)
		if err := c.decode(l, s); err != nil {
			return finish(l, "", err, safe)
		}
		return 1
	}
}

// finish pushes the encoded string, or reports err by raising it or by returning nil, err.
func finish(l *glua.State, s string, err error, safe bool) int {
	if err == nil {
		l.PushString(s)
		return 1
	}
	if safe {
		l.PushNil()
		l.PushString(err.Error())
		return 2
	}
	// luaL_error: the message carries the position of the calling Lua code, if any.
	glua.Errorf(l, "%s", err.Error())
	return 0
}

// typeName is lua_typename: light and full userdata are both "userdata".
func typeName(l *glua.State, index int) string {
	switch t := l.TypeOf(index); t {
	case glua.TypeNone:
		return "no value"
	default:
		return t.String()
	}
}
