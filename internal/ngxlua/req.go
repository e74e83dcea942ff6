package ngxlua

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

var reqFuncs = []glua.RegistryFunction{
	{Name: "get_method", Function: reqGetMethod},
	{Name: "set_method", Function: reqSetMethod},
	{Name: "get_uri_args", Function: reqGetURIArgs},
	{Name: "set_uri_args", Function: reqSetURIArgs},
	{Name: "get_post_args", Function: reqGetPostArgs},
	{Name: "get_headers", Function: reqGetHeaders},
	{Name: "set_header", Function: reqSetHeader},
	{Name: "clear_header", Function: reqClearHeader},
	{Name: "read_body", Function: reqReadBody},
	{Name: "get_body_data", Function: reqGetBodyData},
	{Name: "get_body_file", Function: reqGetBodyFile},
	{Name: "set_body_data", Function: reqSetBodyData},
	{Name: "set_body_file", Function: reqSetBodyFile},
	{Name: "init_body", Function: reqInitBody},
	{Name: "append_body", Function: reqAppendBody},
	{Name: "finish_body", Function: reqFinishBody},
	{Name: "discard_body", Function: reqDiscardBody},
	{Name: "http_version", Function: reqHTTPVersion},
	{Name: "start_time", Function: reqStartTime},
	{Name: "is_internal", Function: reqIsInternal},
	{Name: "raw_header", Function: reqRawHeader},
	{Name: "set_uri", Function: reqSetURI},
}

func openReq(l *glua.State) { glua.NewLibrary(l, reqFuncs) }

// maxArgs is OpenResty's default limit of get_uri_args, get_post_args and get_headers.
const maxArgs = 100

func reqGetMethod(l *glua.State) int {
	l.PushString(checkPhase(l, inRequest).Method())
	return 1
}

func reqSetMethod(l *glua.State) int {
	r := checkPhase(l, inRequest)
	if l.TypeOf(1) != glua.TypeNumber {
		glua.Errorf(l, "%s", "bad method number")
	}
	code := checkInt(l, 1)
	for _, m := range methods {
		if m.code == code {
			r.SetMethod(m.name)
			return 0
		}
	}
	glua.Errorf(l, "%s", "unsupported HTTP method: "+strconv.Itoa(code))
	return 0
}

// pushArgs builds the table get_uri_args and get_post_args return: single values as strings,
// repeated keys as arrays, keys without "=" as true.
func pushArgs(l *glua.State, s string, max int) int {
	l.NewTable()
	t := l.Top()
	truncated := ngx.ParseArgs(s, max, func(key, value string, hasValue bool) {
		if hasValue {
			addArg(l, t, key, func() { l.PushString(value) })
		} else {
			addArg(l, t, key, func() { l.PushBoolean(true) })
		}
	})
	if truncated {
		l.PushString("truncated")
		return 2
	}
	return 1
}

// addArg adds the value push pushes under key in the args table at t: the first value plainly,
// repeated keys as an array.
func addArg(l *glua.State, t int, key string, push func()) {
	l.Field(t, key)
	prev := l.Top()
	push()
	switch l.TypeOf(prev) {
	case glua.TypeNil:
		l.SetField(t, key)
	case glua.TypeTable:
		l.RawSetInt(prev, glua.LengthEx(l, prev)+1)
	default:
		l.CreateTable(2, 0)
		l.PushValue(prev)
		l.RawSetInt(-2, 1)
		l.Insert(-2)
		l.RawSetInt(-2, 2)
		l.SetField(t, key)
	}
	l.SetTop(t)
}

// optMax reads the max argument of get_uri_args, get_post_args and get_headers: default 100,
// 0 for no limit, and (as OpenResty) the default for a negative value.
func optMax(l *glua.State, idx int) int {
	if l.IsNoneOrNil(idx) {
		return maxArgs
	}
	n, ok := l.ToNumber(idx) // numeric strings too, as luaL_optint takes them
	if !ok {
		typeError(l, idx, "number")
	}
	return maxOrDefault(int(n))
}

// ffiMax reads the max argument of get_headers and get_uri_args, which lua-resty-core hands to
// the FFI function ffiFunc: a number (truncated), true as 1, nil or false for the default;
// anything else, numeric strings included, fails as LuaJIT's FFI conversion fails.
func ffiMax(l *glua.State, idx int, ffiFunc string) int {
	switch l.TypeOf(idx) {
	case glua.TypeNil, glua.TypeNone:
		return maxArgs
	case glua.TypeBoolean:
		if l.ToBoolean(idx) {
			return 1
		}
		return maxArgs
	case glua.TypeNumber:
		n, _ := l.ToNumber(idx)
		return maxOrDefault(int(n))
	}
	lua.RaisePlain(l, "bad argument #2 to '"+ffiFunc+"' (cannot convert '"+typeName(l, idx)+"' to 'int')")
	return 0
}

// maxOrDefault is a max argument as the getters use it: a negative one means the default.
func maxOrDefault(max int) int {
	if max >= 0 {
		return max
	}
	return maxArgs
}

func reqGetURIArgs(l *glua.State) int {
	r := checkPhase(l, inRequest)
	return pushArgs(l, r.Args(), ffiMax(l, 1, "ngx_http_lua_ffi_req_get_uri_args_count"))
}

func reqSetURIArgs(l *glua.State) int {
	r := checkPhase(l, inRequest)
	switch l.TypeOf(1) {
	case glua.TypeString, glua.TypeNumber:
		// As OpenResty: control bytes and spaces become %XX, so the request line stays whole.
		r.SetArgs(escapeWith(toString(l, 1), argsStringEscape))
	case glua.TypeTable:
		r.SetArgs(encodeArgsTable(l, 1))
	default:
		argError(l, 1, "string, number, or table expected, but got "+typeName(l, 1))
	}
	return 0
}

// errNoBody is OpenResty's error for a body that was not read, or was discarded.
const errNoBody = "no request body found; maybe you should turn on lua_need_request_body?"

func reqGetPostArgs(l *glua.State) int {
	r := checkPhase(l, inRequest)
	if !r.BodyRead() || bodyDiscarded(r) {
		glua.Errorf(l, "%s", errNoBody)
	}
	if r.Body() == nil {
		l.NewTable()
		return 1
	}
	return pushArgs(l, string(r.Body()), optMax(l, 1))
}

// reqGetHeaders returns the request headers keyed by lower-case name (as received with raw),
// repeated headers as arrays; the table finds "Foo_Bar" under "foo-bar" unless raw.
func reqGetHeaders(l *glua.State) int {
	r := checkPhase(l, inRequest)
	max := ffiMax(l, 1, "ngx_http_lua_ffi_req_get_headers_count")
	raw := l.ToBoolean(2)
	return pushHeaders(l, r.Headers(), r.Header("Host"), max, raw)
}

func pushHeaders(l *glua.State, h http.Header, host string, max int, raw bool) int {
	names := make([]string, 0, len(h)+1)
	if host != "" {
		names = append(names, "Host")
	}
	for k := range h {
		if k != "Host" || host == "" {
			names = append(names, k)
		}
	}
	if host != "" {
		sort.Strings(names[1:])
	} else {
		sort.Strings(names)
	}
	l.CreateTable(0, len(names))
	t := l.Top()
	n := 0
	for _, k := range names {
		vs := h[k]
		if k == "Host" && host != "" && len(vs) == 0 {
			vs = []string{host}
		}
		key := k
		if !raw {
			key = lowerHeaderName(k)
		}
		for i, v := range vs {
			if max > 0 && n == max {
				finishHeaderTable(l, t, raw)
				l.PushString("truncated")
				return 2
			}
			n++
			if i == 0 && len(vs) == 1 {
				l.PushString(v)
				l.SetField(t, key)
				continue
			}
			if i == 0 {
				l.CreateTable(len(vs), 0)
				l.SetField(t, key)
			}
			l.Field(t, key)
			l.PushString(v)
			l.RawSetInt(-2, i+1)
			l.Pop(1)
		}
	}
	finishHeaderTable(l, t, raw)
	return 1
}

// finishHeaderTable gives a header table the metatable that makes lookups by any case, and
// with "_" for "-", find the header, as OpenResty's get_headers does.
func finishHeaderTable(l *glua.State, t int, raw bool) {
	if raw {
		return
	}
	l.Field(glua.RegistryIndex, headerMetaKey)
	if !l.IsTable(-1) { // the first call on this VM; resty.core shares its one metatable too
		l.Pop(1)
		l.CreateTable(0, 1)
		l.PushGoFunction(headerTableIndex)
		l.SetField(-2, "__index")
		l.PushValue(-1)
		l.SetField(glua.RegistryIndex, headerMetaKey)
	}
	l.SetMetaTable(t)
}

// headerMetaKey is the registry key of the metatable of get_headers' tables.
const headerMetaKey = "ngxlua.headermeta"

// lowerHeaderName is strings.ToLower of a header name, without allocating for the common ones.
func lowerHeaderName(k string) string {
	if lower, ok := commonHeaderNames[k]; ok {
		return lower
	}
	return strings.ToLower(k)
}

// commonHeaderNames maps the canonical names of common request headers to their lower case.
var commonHeaderNames = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language",
		"Cache-Control", "Connection", "Content-Length", "Content-Type", "Cookie", "Authorization",
		"Origin", "Referer", "Pragma", "If-None-Match", "If-Modified-Since", "Upgrade",
		"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-Ip", "X-Request-Id",
		"Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest", "Upgrade-Insecure-Requests"} {
		m[k] = strings.ToLower(k)
	}
	return m
}()

func headerTableIndex(l *glua.State) int {
	key, ok := l.ToString(2)
	if !ok {
		return 0
	}
	norm := strings.ToLower(strings.ReplaceAll(key, "_", "-"))
	if norm == key {
		return 0
	}
	l.PushString(norm)
	l.RawGet(1)
	return 1
}

// reqSetHeader implements ngx.req.set_header(name, value): values as ngx.header takes them.
func reqSetHeader(l *glua.State) int {
	r, name, values := reqHeaderArgs(l)
	r.SetHeader(name, values...)
	return 0
}

// reqHeaderArgs reads the (name, value) arguments of set_header and add_header.
func reqHeaderArgs(l *glua.State) (*ngx.Request, string, []string) {
	if l.IsNoneOrNil(1) {
		glua.Errorf(l, "%s", "bad 'name' argument: string expected, got nil")
	}
	r := checkPhase(l, inRequest)
	return r, escapeHeaderName(toStringAny(l, 1)), headerValues(l, 2)
}

func reqClearHeader(l *glua.State) int {
	r := checkPhase(l, inRequest)
	r.ClearHeader(toStringAny(l, 1))
	return 0
}

// toString converts a string or number as Lua's tostring does, numbers as LuaJIT prints them.
func toString(l *glua.State, idx int) string {
	if l.TypeOf(idx) == glua.TypeNumber {
		f, _ := l.ToNumber(idx)
		return string(appendTostring(nil, f))
	}
	s, _ := l.ToString(idx)
	return s
}

func reqHTTPVersion(l *glua.State) int {
	req := checkPhase(l, inRequest).HTTPRequest()
	switch {
	case req.ProtoMajor == 1 && req.ProtoMinor == 0:
		l.PushNumber(1.0)
	case req.ProtoMajor == 1:
		l.PushNumber(1.1)
	case req.ProtoMajor == 2:
		l.PushNumber(2.0)
	case req.ProtoMajor == 3:
		l.PushNumber(3.0)
	default:
		l.PushNil()
	}
	return 1
}

func reqStartTime(l *glua.State) int {
	if _, p := running(l); fakeRequest(p) {
		l.PushNumber(0) // the fake request of timers and init_worker started at 0
		return 1
	}
	t := checkPhase(l, inRequest).StartTime()
	l.PushNumber(float64(t.UnixMilli()) / 1000)
	return 1
}

func reqIsInternal(l *glua.State) int {
	if _, p := running(l); fakeRequest(p) {
		lua.RaisePlain(l, "API disabled in the current context") // raised inside resty.core
	}
	l.PushBoolean(checkPhase(l, inRequest).IsInternal())
	return 1
}

// reqRawHeader rebuilds the request header as received. Go does not keep the original bytes,
// so header order is Host first, then by name, with canonical name case.
func reqRawHeader(l *glua.State) int {
	r := checkPhase(l, inRequest)
	req := r.HTTPRequest()
	var b strings.Builder
	if !l.ToBoolean(1) {
		b.WriteString(req.Method + " " + r.RequestURI() + " " + req.Proto + "\r\n")
	}
	if req.Host != "" {
		b.WriteString("Host: " + req.Host + "\r\n")
	}
	names := make([]string, 0, len(req.Header))
	for k := range req.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range req.Header[k] {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	l.PushString(b.String())
	return 1
}

// reqSetURI implements ngx.req.set_uri(uri, jump?). With jump (rewrite only) the location is
// looked up again; OpenResty then treats the request as internal, with a fresh ngx.ctx, as an
// internal redirect that keeps the arguments.
func reqSetURI(l *glua.State) int {
	n := l.Top()
	if n < 1 || n > 3 {
		glua.Errorf(l, "%s", "expecting 1, 2 or 3 arguments but seen "+strconv.Itoa(n))
	}
	uri := checkString(l, 1)
	if uri == "" {
		glua.Errorf(l, "%s", "attempt to use zero-length uri")
	}
	jump := false
	if n >= 2 {
		if l.TypeOf(2) != glua.TypeBoolean {
			typeError(l, 2, "boolean")
		}
		jump = l.ToBoolean(2)
	}
	if n == 3 {
		if l.TypeOf(3) != glua.TypeBoolean {
			typeError(l, 3, "boolean")
		}
	}
	if !l.ToBoolean(3) { // binary: take any byte
		checkSafeURI(l, uri, "uri", " (maybe you want to set the 'binary' argument?)")
	}
	r := checkPhase(l, inRequest)
	if jump {
		if r.Phase() != ngx.PhaseRewrite {
			disabled(l, r.Phase())
		}
		_ = r.InternalJump(uri)
		abort(l)
	}
	r.SetURI(uri)
	return 0
}
