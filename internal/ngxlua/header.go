package ngxlua

import (
	"net/http"
	"strconv"
	"strings"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

// openHeader pushes ngx.header: the response headers, by any case, with "_" for "-".
func openHeader(l *glua.State) {
	l.NewTable()
	l.CreateTable(0, 2)
	l.PushGoFunction(headerIndex)
	l.SetField(-2, "__index")
	l.PushGoFunction(headerNewIndex)
	l.SetField(-2, "__newindex")
	l.SetMetaTable(-2)
}

// headerName maps a key of ngx.header (any value, through tostring) to the canonical name,
// escaped as OpenResty escapes header names.
func headerName(l *glua.State, idx int) string {
	name := toStringAny(l, idx)
	return http.CanonicalHeaderKey(escapeHeaderName(strings.ReplaceAll(name, "_", "-")))
}

// escapeHeaderName writes the bytes of a header name that are not token characters (RFC 9110:
// letters, digits and !#$%&'*+-.^_`|~) as %XX, as OpenResty does since 0.10.16, so that no
// name can carry a line break into the response.
func escapeHeaderName(name string) string { return escapeWith(name, &headerNameEscape) }

// escapeHeaderValue writes the bytes of a header value that could break the line (lineBreaking)
// as %XX, as OpenResty does.
func escapeHeaderValue(v string) string { return escapeWith(v, &lineBreaking) }

var (
	// headerNameEscape marks the bytes that are not token characters.
	headerNameEscape = func() (t [256]bool) {
		for c := range t {
			t[c] = true
		}
		for _, c := range "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~" {
			t[c] = false
		}
		return t
	}()
	// lineBreaking marks the control characters but tab, and DEL: OpenResty escapes them in
	// header values and refuses them in the URIs of ngx.redirect and ngx.req.set_uri.
	lineBreaking = func() (t [256]bool) {
		for c := range 0x20 {
			t[c] = c != '\t'
		}
		t[0x7f] = true
		return t
	}()
)

func headerIndex(l *glua.State) int {
	r := checkPhase(l, inRequest)
	vs := r.ResponseHeader()[headerName(l, 2)]
	switch len(vs) {
	case 0:
		l.PushNil()
	case 1:
		l.PushString(vs[0])
	default:
		l.CreateTable(len(vs), 0)
		for i, v := range vs {
			l.PushString(v)
			l.RawSetInt(-2, i+1)
		}
	}
	return 1
}

// headerNewIndex sets a response header. After the headers went out it logs OpenResty's error
// and changes nothing.
func headerNewIndex(l *glua.State) int {
	r := checkPhase(l, inRequest)
	name := headerName(l, 2)
	if r.HeadersSent() {
		r.Log(ngx.LevelErr, ngx.ErrHeadersSent.Error())
		return 0
	}
	values := headerValues(l, 3)
	if name == "Content-Length" {
		for _, v := range values {
			if v == "" || strings.Trim(v, "0123456789") != "" {
				glua.Errorf(l, "failed to set header") // nginx's ngx_atoof takes digits only
			}
		}
	}
	if err := r.SetResponseHeader(name, values...); err != nil {
		r.Log(ngx.LevelErr, err.Error())
	}
	return 0
}

// headerValues reads a header value as lua-resty-core does: nil (none), an array (each element
// through tostring), or any other value through tostring; each escaped (escapeHeaderValue).
func headerValues(l *glua.State, idx int) []string {
	switch l.TypeOf(idx) {
	case glua.TypeNil, glua.TypeNone:
		return nil
	case glua.TypeTable:
		n := glua.LengthEx(l, idx)
		vs := make([]string, 0, n)
		for i := 1; i <= n; i++ {
			l.RawGetInt(idx, i)
			vs = append(vs, escapeHeaderValue(toStringAny(l, -1)))
			l.Pop(1)
		}
		return vs
	}
	return []string{escapeHeaderValue(toStringAny(l, idx))}
}

var respFuncs = []glua.RegistryFunction{
	{Name: "get_headers", Function: respGetHeaders},
}

func openResp(l *glua.State) { glua.NewLibrary(l, respFuncs) }

func respGetHeaders(l *glua.State) int {
	r := checkPhase(l, inRequest)
	return pushHeaders(l, r.ResponseHeader(), "", optMax(l, 1), l.ToBoolean(2))
}

func respAddHeader(l *glua.State) int {
	r := checkPhase(l, inRequest)
	name := headerName(l, 1)
	if r.HeadersSent() {
		r.Log(ngx.LevelErr, ngx.ErrHeadersSent.Error())
		return 0
	}
	h := r.ResponseHeader()
	h[name] = append(h[name], headerValues(l, 2)...)
	return 0
}

// openArg pushes ngx.arg: the body chunk and eof flag in body_filter, the arguments in set.
func openArg(l *glua.State) {
	l.NewTable()
	l.CreateTable(0, 2)
	l.PushGoFunction(argIndex)
	l.SetField(-2, "__index")
	l.PushGoFunction(argNewIndex)
	l.SetField(-2, "__newindex")
	l.SetMetaTable(-2)
}

func argIndex(l *glua.State) int {
	r := request(l)
	i, isNum := l.ToInteger(2)
	if l.TypeOf(2) != glua.TypeNumber {
		isNum = false
	}
	switch r.Phase() {
	case ngx.PhaseBodyFilter:
		data, eof := r.BodyChunk()
		switch {
		case isNum && i == 1:
			l.PushString(string(data))
		case isNum && i == 2:
			l.PushBoolean(eof)
		default:
			l.PushNil()
		}
		return 1
	case ngx.PhaseSet:
		if args := r.SetArgsList(); isNum && i >= 1 && i <= len(args) {
			l.PushString(args[i-1])
		} else {
			l.PushNil()
		}
		return 1
	}
	lua.RaisePlain(l, "API disabled in the current context")
	return 0
}

// argNewIndex changes the chunk (ngx.arg[1]) or the eof flag (ngx.arg[2]) in body_filter.
func argNewIndex(l *glua.State) int {
	r := request(l)
	if r.Phase() != ngx.PhaseBodyFilter {
		disabled(l, r.Phase())
	}
	if l.TypeOf(2) != glua.TypeNumber {
		argErrorNamed(l, 2, "__newindex", "number expected, got "+typeName(l, 2))
	}
	i, _ := l.ToInteger(2)
	data, eof := r.BodyChunk()
	switch i {
	case 1:
		switch l.TypeOf(3) {
		case glua.TypeNil:
			data = nil
		case glua.TypeString, glua.TypeNumber:
			data = []byte(toString(l, 3))
		case glua.TypeTable:
			data = appendTable(l, nil, 3, 3, true, "__newindex")
		default:
			glua.Errorf(l, "%s", "bad chunk data type: "+typeName(l, 3))
		}
	case 2:
		eof = l.ToBoolean(3)
	default:
		glua.Errorf(l, "%s", "bad index: "+strconv.Itoa(i))
	}
	r.SetBodyChunk(data, eof)
	return 0
}
