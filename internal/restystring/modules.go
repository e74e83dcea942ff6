package restystring

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"math"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

// version is the _VERSION of every module: the release whose behaviour they follow.
const version = "0.16"

// Modules returns the module loaders by name; each pushes a new module table and returns 1.
func Modules() map[string]glua.Function {
	m := map[string]glua.Function{
		"resty.string": func(l *glua.State) int {
			return pushModule(l, []glua.RegistryFunction{{Name: "to_hex", Function: toHex}, {Name: "atoi", Function: atoi}})
		},
		"resty.aes": openAES,
		"resty.random": func(l *glua.State) int {
			return pushModule(l, []glua.RegistryFunction{{Name: "bytes", Function: randomBytes}})
		},
	}
	for name, d := range digests {
		m["resty."+name] = func(l *glua.State) int { return pushDigestModule(l, name, d) }
	}
	return m
}

func pushModule(l *glua.State, funcs []glua.RegistryFunction) int {
	l.CreateTable(0, len(funcs)+1)
	l.PushString(version)
	l.SetField(-2, "_VERSION")
	glua.SetFunctions(l, funcs, 0)
	return 1
}

// ffiString is the string argument s at index that the original measures (#s) and passes to a C
// function through the FFI: anything but a string or a table raises Lua's error for #; a
// table raises the FFI's conversion error for argument arg of cFunc ("" when unnamed).
func ffiString(l *glua.State, index int, arg, cFunc string) string {
	switch l.TypeOf(index) {
	case glua.TypeString:
		s, _ := l.ToValue(index).(string)
		return s
	case glua.TypeTable:
		if cFunc != "" {
			cFunc = " to '" + cFunc + "'"
		}
		lua.RaisePlain(l, "bad argument #"+arg+cFunc+" (cannot convert 'table' to 'const unsigned char *')")
	}
	lua.RaisePlain(l, "attempt to get length of local 's' ("+article(l, index)+" value)")
	return ""
}

// toHex is string.to_hex(s): s in lowercase hexadecimal, as nginx's ngx_hex_dump writes it.
func toHex(l *glua.State) int {
	s := ffiString(l, 1, "2", "ngx_hex_dump")
	l.PushString(hex.EncodeToString([]byte(s)))
	return 1
}

// atoi is string.atoi(s): nginx's ngx_atoi, the decimal digits of s as a number, or -1 when s
// is empty, has another byte (a sign or a space too) or overflows a 64-bit integer.
func atoi(l *glua.State) int {
	s := ffiString(l, 1, "1", "ngx_atoi")
	l.PushNumber(float64(ngxAtoi(s)))
	return 1
}

func ngxAtoi(s string) int64 {
	if s == "" {
		return -1
	}
	const cutoff, cutlim = math.MaxInt64 / 10, math.MaxInt64 % 10
	var v int64
	for i := range len(s) {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		d := int64(c - '0')
		if v >= cutoff && (v > cutoff || d > cutlim) {
			return -1
		}
		v = v*10 + d
	}
	return v
}

// randomBytes is random.bytes(len, strong): len random bytes (len truncated to an integer).
func randomBytes(l *glua.State) int {
	if l.TypeOf(1) != glua.TypeNumber {
		t := "nil"
		if l.TypeOf(1) != glua.TypeNone {
			t = glua.TypeNameOf(l, 1)
		}
		lua.RaisePlain(l, "bad argument #2 to 'ffi_new' (cannot convert '"+t+"' to 'int')")
	}
	f, _ := l.ToNumber(1)
	if f < 0 || f >= 1<<31 || math.IsNaN(f) {
		lua.RaisePlain(l, "bad argument #1 to 'ffi_new' (size of C type is unknown or too large)")
	}
	n := int(f)
	if max := lua.MaxBytes(l); max > 0 && n > max {
		lua.RaisePlain(l, "string length overflow")
	}
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	l.PushString(string(b))
	return 1
}

// digests are the digest modules by name (resty.<name>).
var digests = map[string]func() hash.Hash{
	"md5":    md5.New,
	"sha1":   sha1.New,
	"sha224": sha256.New224,
	"sha256": sha256.New,
	"sha384": sha512.New384,
	"sha512": sha512.New,
}

// ctxField is the field of a digest object that holds its *digest, as the original's _ctx
// holds OpenSSL's context.
const ctxField = "_ctx"

// digest is a digest object's state.
type digest struct{ hash.Hash }

// CopyForVM gives each VM its own copy of a digest object made by init_by_lua (lua.Copier).
func (d *digest) CopyForVM() any {
	c, err := d.Hash.(hash.Cloner).Clone()
	if err != nil {
		panic(err) // the standard library's digests all clone
	}
	return &digest{c}
}

// pushDigestModule pushes a digest module (a lua.PushClass module): new() returns an object;
// update(s) returns true, final() the raw digest, reset() true.
func pushDigestModule(l *glua.State, name string, newHash func() hash.Hash) int {
	self := func(l *glua.State) hash.Hash {
		if l.TypeOf(1) == glua.TypeTable {
			l.Field(1, ctxField)
			h, ok := l.ToUserData(-1).(*digest)
			l.Pop(1)
			if ok {
				return h
			}
			lua.RaisePlain(l, "bad argument #1 (a resty."+name+" object expected, got a table without _ctx)")
		}
		lua.RaisePlain(l, "attempt to index local 'self' ("+article(l, 1)+" value)")
		return nil
	}
	lua.PushClass(l, []glua.RegistryFunction{
		{Name: "new", Function: func(l *glua.State) int {
			lua.NewObject(l, ctxField, &digest{newHash()})
			return 1
		}},
		{Name: "update", Function: func(l *glua.State) int {
			h := self(l)
			_, _ = h.Write([]byte(ffiString(l, 2, "2", "")))
			l.PushBoolean(true)
			return 1
		}},
		{Name: "final", Function: func(l *glua.State) int {
			l.PushString(string(self(l).Sum(nil)))
			return 1
		}},
		{Name: "reset", Function: func(l *glua.State) int {
			self(l).Reset()
			l.PushBoolean(true)
			return 1
		}},
	})
	l.PushString(version)
	l.SetField(-2, "_VERSION")
	return 1
}

// article is "a nil", "a number", ... for the type of the value at index, as Lua's errors say it.
func article(l *glua.State, index int) string {
	if l.TypeOf(index) == glua.TypeNone {
		return "a nil"
	}
	return "a " + glua.TypeNameOf(l, index)
}
