package ngxlua

import (
	"net/http"
	"strings"

	glua "github.com/Shopify/go-lua"

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

// headerName maps a Lua key of ngx.header to the canonical header name.
func headerName(l *glua.State, idx int) string {
	name := glua.CheckString(l, idx)
	return http.CanonicalHeaderKey(strings.ReplaceAll(name, "_", "-"))
}

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

func headerNewIndex(l *glua.State) int {
	r := checkPhase(l, inSet|inRewrite|inAccess|inContent|inHeaderFilter|inBodyFilter|inLog)
	name := headerName(l, 2)
	values := headerValues(l, 3, "ngx.header")
	if err := r.SetResponseHeader(name, values...); err != nil {
		r.Log(ngx.LevelErr, err.Error())
	}
	return 0
}

var respFuncs = []glua.RegistryFunction{
	{Name: "get_headers", Function: respGetHeaders},
	{Name: "add_header", Function: respAddHeader},
}

func openResp(l *glua.State) { glua.NewLibrary(l, respFuncs) }

func respGetHeaders(l *glua.State) int {
	r := checkPhase(l, inRequest)
	return pushHeaders(l, r.ResponseHeader(), "", optMax(l, 1), l.ToBoolean(2))
}

func respAddHeader(l *glua.State) int {
	r := checkPhase(l, inSet|inRewrite|inAccess|inContent|inHeaderFilter)
	name := headerName(l, 1)
	values := headerValues(l, 2, "add_header")
	if r.HeadersSent() {
		glua.Errorf(l, "attempt to set ngx.header.HEADER after sending out response headers")
	}
	h := r.ResponseHeader()
	h[name] = append(h[name], values...)
	return 0
}

// openArg pushes ngx.arg: the body chunk and eof flag in body_filter.
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
	r := checkPhase(l, inRequest)
	i, _ := l.ToInteger(2)
	switch r.Phase() {
	case ngx.PhaseBodyFilter:
		data, eof := r.BodyChunk()
		switch i {
		case 1:
			l.PushString(string(data))
			return 1
		case 2:
			l.PushBoolean(eof)
			return 1
		}
	case ngx.PhaseSet:
		if args := r.SetArgsList(); i >= 1 && i <= len(args) {
			l.PushString(args[i-1])
			return 1
		}
	}
	l.PushNil()
	return 1
}

func argNewIndex(l *glua.State) int {
	r := checkPhase(l, inRequest)
	if r.Phase() != ngx.PhaseBodyFilter {
		glua.Errorf(l, "API disabled in the context of %s", r.Phase())
	}
	data, eof := r.BodyChunk()
	switch i, _ := l.ToInteger(2); i {
	case 1:
		switch l.TypeOf(3) {
		case glua.TypeNil:
			data = nil
		case glua.TypeString, glua.TypeNumber:
			data = []byte(toString(l, 3))
		case glua.TypeTable:
			data = appendTable(l, nil, 3, 3, "ngx.arg")
		default:
			glua.Errorf(l, "bad argument #3 to '?' (string, number, nil, or table expected, got %s)", glua.TypeNameOf(l, 3))
		}
	case 2:
		eof = l.ToBoolean(3)
	default:
		glua.Errorf(l, "bad index: %d", i)
	}
	r.SetBodyChunk(data, eof)
	return 0
}
