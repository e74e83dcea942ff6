package ngxlua

import (
	"strconv"
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/internal/luacjson"
	"github.com/goresty/goresty/ngx"
)

var miscFuncs = []glua.RegistryFunction{
	{Name: "escape_uri", Function: escapeURI},
	{Name: "unescape_uri", Function: stringFunc(ngx.UnescapeURI)},
	{Name: "encode_args", Function: encodeArgs},
	{Name: "decode_args", Function: decodeArgs},
	{Name: "quote_sql_str", Function: quoteSQLStr},
	{Name: "md5", Function: stringFunc(ngx.MD5Hex)},
	{Name: "md5_bin", Function: stringFunc(ngx.MD5)},
	{Name: "sha1_bin", Function: stringFunc(ngx.SHA1)},
	{Name: "hmac_sha1", Function: hmacSHA1},
	{Name: "crc32_short", Function: crc32Func(ngx.CRC32Short)},
	{Name: "crc32_long", Function: crc32Func(ngx.CRC32Long)},
	{Name: "encode_base64", Function: encodeBase64},
	{Name: "decode_base64", Function: decodeBase64},
}

// stringArg reads argument idx as lua-resty-core's string functions do: nil (or nothing) as "",
// anything else through tostring.
func stringArg(l *glua.State, idx int) string {
	if l.IsNoneOrNil(idx) {
		return ""
	}
	return toStringAny(l, idx)
}

// strictString reads argument idx that must be a string or number; anything else raises
// "bad argument #idx to '?' (string expected, got <type>)".
func strictString(l *glua.State, idx int) string {
	switch l.TypeOf(idx) {
	case glua.TypeString, glua.TypeNumber:
		return toString(l, idx)
	}
	typeError(l, idx, "string")
	return ""
}

// toStringAny is Lua's tostring, with numbers as LuaJIT prints them.
func toStringAny(l *glua.State, idx int) string {
	switch l.TypeOf(idx) {
	case glua.TypeString:
		s, _ := l.ToValue(idx).(string) // ToString would box the string anew
		return s
	case glua.TypeNumber:
		return toString(l, idx)
	case glua.TypeBoolean, glua.TypeNil, glua.TypeNone:
		return string(appendScalar(l, nil, idx))
	}
	s, _ := glua.ToStringMeta(l, idx)
	l.Pop(1)
	return s
}

func stringFunc(f func(string) string) glua.Function {
	return func(l *glua.State) int {
		l.PushString(f(stringArg(l, 1)))
		return 1
	}
}

func crc32Func(f func(string) uint32) glua.Function {
	return func(l *glua.State) int {
		l.PushNumber(float64(f(stringArg(l, 1))))
		return 1
	}
}

// escapeURI implements ngx.escape_uri(s, type?): type 2 (the default) escapes a URI component,
// 0 a whole URI, 1, 3..6 the other escapings of nginx's ngx_escape_uri.
func escapeURI(l *glua.State) int {
	s := stringArg(l, 1)
	typ := 2
	if !l.IsNoneOrNil(2) {
		if l.TypeOf(2) != glua.TypeNumber {
			errorAt(l, `"type" is not a number`)
		}
		typ = checkInt(l, 2)
		if typ < 0 || typ > maxEscapeType {
			errorAt(l, `"type" `+strconv.Itoa(typ)+" out of range")
		}
	}
	switch typ {
	case 0:
		l.PushString(ngx.EscapeURI(s, false))
	case 2:
		l.PushString(ngx.EscapeURI(s, true))
	default:
		l.PushString(escapeWith(s, escapeTables[typ]))
	}
	return 1
}

func hmacSHA1(l *glua.State) int {
	if n := l.Top(); n != 2 {
		glua.Errorf(l, "expecting 2 arguments, but got %d", n)
	}
	key := strictString(l, 1)
	l.PushString(ngx.HMACSHA1(key, strictString(l, 2)))
	return 1
}

func encodeBase64(l *glua.State) int {
	s := stringArg(l, 1)
	noPadding := false
	if !l.IsNoneOrNil(2) {
		if l.TypeOf(2) != glua.TypeBoolean {
			lua.RaisePlain(l, "bad no_padding: boolean expected, got "+typeName(l, 2))
		}
		noPadding = l.ToBoolean(2)
	}
	l.PushString(ngx.EncodeBase64(s, noPadding))
	return 1
}

func decodeBase64(l *glua.State) int {
	if l.TypeOf(1) != glua.TypeString {
		lua.RaisePlain(l, "string argument only")
	}
	if s, ok := ngx.DecodeBase64(toString(l, 1)); ok {
		l.PushString(s)
	} else {
		l.PushNil()
	}
	return 1
}

func quoteSQLStr(l *glua.State) int {
	if l.Top() != 1 {
		glua.Errorf(l, "expecting one argument")
	}
	l.PushString(ngx.QuoteSQLStr(strictString(l, 1)))
	return 1
}

// encodeArgsTable encodes the table at idx as ngx.encode_args does.
func encodeArgsTable(l *glua.State, idx int) string {
	idx = l.AbsIndex(idx)
	var args []ngx.Arg
	l.PushNil()
	for l.Next(idx) {
		if l.TypeOf(-2) != glua.TypeString {
			glua.Errorf(l, "%s", `attempt to use a non-string key in the "args" option table`)
		}
		key, _ := l.ToString(-2)
		if l.TypeOf(-1) == glua.TypeTable {
			for i, n := 1, glua.LengthEx(l, -1); i <= n; i++ {
				l.RawGetInt(-1, i)
				args = appendArg(l, args, key)
				l.Pop(1)
			}
		} else {
			args = appendArg(l, args, key)
		}
		l.Pop(1)
	}
	return ngx.EncodeArgs(args)
}

// appendArg appends the value on top of the stack under key.
func appendArg(l *glua.State, args []ngx.Arg, key string) []ngx.Arg {
	switch l.TypeOf(-1) {
	case glua.TypeString, glua.TypeNumber:
		return append(args, ngx.Arg{Key: key, Value: toString(l, -1)})
	case glua.TypeBoolean:
		if l.ToBoolean(-1) {
			return append(args, ngx.Arg{Key: key, KeyOnly: true})
		}
		return args
	}
	glua.Errorf(l, "%s", "attempt to use "+typeName(l, -1)+" as query arg value")
	return args
}

func encodeArgs(l *glua.State) int {
	if l.TypeOf(1) != glua.TypeTable {
		typeError(l, 1, "table")
	}
	l.PushString(encodeArgsTable(l, 1))
	return 1
}

// decodeArgs implements ngx.decode_args, which (unlike get_uri_args) counts dropped pairs
// against max and takes a negative max as no limit. Like the C function it takes one or two
// arguments, a number as the string and a numeric string as max, and returns "truncated" as a
// second value when max cut the arguments short.
func decodeArgs(l *glua.State) int {
	n := l.Top()
	if n != 1 && n != 2 {
		glua.Errorf(l, "expecting 1 or 2 arguments but seen %d", n)
	}
	s := strictString(l, 1)
	max := maxArgs
	if n == 2 {
		max = checkInt(l, 2)
	}
	args, truncated := ngx.DecodeArgs(s, max)
	l.NewTable()
	t := l.Top()
	for _, a := range args {
		if a.KeyOnly {
			addArg(l, t, a.Key, func() { l.PushBoolean(true) })
		} else {
			addArg(l, t, a.Key, func() { l.PushString(a.Value) })
		}
	}
	if truncated {
		l.PushString("truncated")
		return 2
	}
	return 1
}

var timeFuncs = []glua.RegistryFunction{
	{Name: "time", Function: func(l *glua.State) int { l.PushInteger(int(clock(l).Time())); return 1 }},
	{Name: "now", Function: func(l *glua.State) int { l.PushNumber(clock(l).Now()); return 1 }},
	{Name: "update_time", Function: func(l *glua.State) int { clock(l).Update(); return 0 }},
	{Name: "today", Function: func(l *glua.State) int { l.PushString(ngx.Today(clock(l).Cached())); return 1 }},
	{Name: "localtime", Function: func(l *glua.State) int { l.PushString(ngx.LocalTime(clock(l).Cached())); return 1 }},
	{Name: "utctime", Function: func(l *glua.State) int { l.PushString(ngx.UTCTime(clock(l).Cached())); return 1 }},
	{Name: "http_time", Function: timeFormat(ngx.HTTPTime)},
	{Name: "cookie_time", Function: timeFormat(ngx.CookieTime)},
	{Name: "parse_http_time", Function: parseHTTPTime},
}

// stateClock serves ngx.now and friends outside requests (init, init_worker, timers).
var stateClock ngx.Clock

// clock is the clock of ngx.now: the running request's, or stateClock outside requests.
func clock(l *glua.State) *ngx.Clock {
	if s := lua.Current(l); s != nil {
		if r, ok := s.Data.(*ngx.Request); ok && r != nil {
			return r.Clock()
		}
	}
	stateClock.Update()
	return &stateClock
}

// Now is ngx.now() as the Lua code running on l sees it, for Go modules that keep time as
// their OpenResty originals do with ngx.now.
func Now(l *glua.State) float64 { return clock(l).Now() }

func timeFormat(f func(time.Time) string) glua.Function {
	return func(l *glua.State) int {
		if l.TypeOf(1) != glua.TypeNumber {
			lua.RaisePlain(l, "number argument only")
		}
		sec, _ := l.ToNumber(1)
		l.PushString(f(time.Unix(int64(sec), 0)))
		return 1
	}
}

func parseHTTPTime(l *glua.State) int {
	if l.TypeOf(1) != glua.TypeString {
		lua.RaisePlain(l, "string argument only")
	}
	s, _ := l.ToString(1)
	if t, ok := ngx.ParseHTTPTime(s); ok {
		l.PushInteger(int(t.Unix()))
	} else {
		l.PushNil()
	}
	return 1
}

// isNull reports whether the value at idx is ngx.null (cjson.null).
func isNull(l *glua.State, idx int) bool { return luacjson.IsNull(l, idx) }

// appendG14 formats f as C's "%.14g", as LuaJIT prints numbers.
func appendG14(buf []byte, f float64) []byte {
	s := strconv.FormatFloat(f, 'g', 14, 64)
	// Go writes exponents with at least two digits, as C does; it keeps trailing zeros of the
	// mantissa, which %g drops.
	mant, exp := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' {
			mant, exp = s[:i], s[i:]
			break
		}
	}
	if containsDot(mant) {
		for mant[len(mant)-1] == '0' {
			mant = mant[:len(mant)-1]
		}
		if mant[len(mant)-1] == '.' {
			mant = mant[:len(mant)-1]
		}
	}
	buf = append(buf, mant...)
	return append(buf, exp...)
}

func containsDot(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return true
		}
	}
	return false
}

// abortWith unwinds the script with err; pcall cannot catch it.
func abortWith(l *glua.State, err error) { lua.Abort(l, err) }
