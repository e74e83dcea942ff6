package ngxlua

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

// ngx.location.capture(uri, options) and capture_multi({{uri, options}, ...}) issue
// subrequests (ngx.Request.Subrequest) to the locations of the same Handler and return their
// responses as tables {status = ..., header = {...}, body = ..., truncated = false}. The
// options are lua-nginx-module's: method (ngx.HTTP_GET ...), body, args (a string or a table,
// appended to the URI's own), ctx (the subrequest's ngx.ctx), vars (variables to set in it),
// copy_all_vars, share_all_vars and always_forward_body. A subrequest starts with the parent's
// request headers; without a body option it gets the parent's body, if read, for PUT and POST
// (or any method with always_forward_body). capture_multi runs its subrequests at once, as
// nginx does.

func openLocation(l *glua.State) {
	l.CreateTable(0, 2)
	glua.SetFunctions(l, []glua.RegistryFunction{
		{Name: "capture", Function: capture},
		{Name: "capture_multi", Function: captureMulti},
	}, 0)
}

// subSpec is one subrequest to make.
type subSpec struct {
	req   *http.Request
	setup func(*ngx.Request)
}

func capture(l *glua.State) int {
	if n := l.Top(); n != 1 && n != 2 {
		lua.RaiseAtCaller(l, "expecting one or two arguments")
	}
	r := checkPhase(l, inOutput)
	spec := subrequestSpec(l, r, 1, 2, 0)
	res := runSubrequests(l, r, []subSpec{spec})
	pushCaptured(l, res[0])
	return 1
}

func captureMulti(l *glua.State) int {
	if l.Top() != 1 {
		lua.RaiseAtCaller(l, "only one argument is expected, but got "+strconv.Itoa(l.Top()))
	}
	r := checkPhase(l, inOutput)
	if l.TypeOf(1) != glua.TypeTable {
		typeError(l, 1, "table")
	}
	n := glua.LengthEx(l, 1)
	if n == 0 {
		lua.RaiseAtCaller(l, "at least one subrequest should be specified")
	}
	specs := make([]subSpec, n)
	for i := range n {
		l.RawGetInt(1, i+1)
		if l.TypeOf(-1) != glua.TypeTable {
			lua.RaiseAtCaller(l, "the query argument "+strconv.Itoa(i)+" is not a table, but a "+typeName(l, -1))
		}
		item := l.Top()
		l.RawGetInt(item, 1)
		l.RawGetInt(item, 2)
		specs[i] = subrequestSpec(l, r, item+1, item+2, i)
		l.SetTop(item - 1)
	}
	res := runSubrequests(l, r, specs)
	for _, c := range res {
		pushCaptured(l, c)
	}
	return n
}

// subrequestSpec reads the URI at index ui and the options at index oi (none or nil for none)
// of subrequest number i.
func subrequestSpec(l *glua.State, r *ngx.Request, ui, oi, i int) subSpec {
	uri := checkString(l, ui)
	path, args, _ := strings.Cut(uri, "?")
	if path == "" || unsafeURI(path) {
		lua.RaiseAtCaller(l, "unsafe uri in argument #1: "+uri)
	}
	o := subOptions{method: http.MethodGet}
	switch l.TypeOf(oi) {
	case glua.TypeNone, glua.TypeNil:
	case glua.TypeTable:
		o.read(l, r, oi)
		args = joinArgs(args, o.args)
	default:
		lua.RaiseAtCaller(l, "expecting table as the 2nd argument for subrequest "+strconv.Itoa(i)+", but got "+typeName(l, oi))
	}
	if !o.hasBody && r.BodyRead() && (o.forwardAll || o.method == http.MethodPost || o.method == http.MethodPut) {
		o.body, o.hasBody = r.Body(), true
	}
	parent := r.HTTPRequest()
	req := parent.Clone(r.Context())
	req.Method = o.method
	req.URL = &url.URL{Path: unescapePath(path), RawQuery: args}
	req.RequestURI = parent.RequestURI
	req.Header.Del("Transfer-Encoding")
	if o.hasBody {
		req.Body = io.NopCloser(bytes.NewReader(o.body))
		req.ContentLength = int64(len(o.body))
		req.Header.Set("Content-Length", strconv.Itoa(len(o.body)))
	} else {
		req.Body, req.ContentLength = http.NoBody, 0
		req.Header.Del("Content-Length")
	}
	return subSpec{req: req, setup: func(sub *ngx.Request) { o.apply(r, sub) }}
}

// subOptions are the options of one subrequest.
type subOptions struct {
	args, method        string
	body                []byte
	hasBody, forwardAll bool
	share, copyAll      bool
	vars                [][2]string // name, value
	ctx                 any         // a Lua table, or nil
}

// read reads the options table at index oi, raising lua-nginx-module's errors for bad values.
func (o *subOptions) read(l *glua.State, r *ngx.Request, oi int) {
	l.Field(oi, "args")
	switch l.TypeOf(-1) {
	case glua.TypeNil:
	case glua.TypeString, glua.TypeNumber:
		o.args = toString(l, -1)
	case glua.TypeTable:
		o.args = encodeArgsTable(l, -1)
	default:
		lua.RaiseAtCaller(l, "Bad args option value")
	}
	l.Pop(1)
	l.Field(oi, "method")
	if !l.IsNil(-1) {
		code, ok := l.ToNumber(-1)
		if !ok || l.TypeOf(-1) != glua.TypeNumber {
			lua.RaiseAtCaller(l, "Bad http request method")
		}
		if o.method = methodName(int(code)); o.method == "" {
			r.Log(ngx.LevelErr, "unsupported HTTP method: "+strconv.Itoa(int(code)))
			lua.RaiseAtCaller(l, "failed to adjust the subrequest: -1")
		}
	}
	l.Pop(1)
	l.Field(oi, "body")
	switch l.TypeOf(-1) {
	case glua.TypeNil:
	case glua.TypeString, glua.TypeNumber:
		o.body, o.hasBody = []byte(toString(l, -1)), true
	default:
		lua.RaiseAtCaller(l, "Bad http request body")
	}
	l.Pop(1)
	for name, flag := range map[string]*bool{"always_forward_body": &o.forwardAll,
		"share_all_vars": &o.share, "copy_all_vars": &o.copyAll} {
		l.Field(oi, name)
		*flag = l.ToBoolean(-1)
		l.Pop(1)
	}
	l.Field(oi, "vars")
	switch l.TypeOf(-1) {
	case glua.TypeNil:
	case glua.TypeTable:
		for l.PushNil(); l.Next(-2); l.Pop(1) {
			if l.TypeOf(-2) != glua.TypeString {
				lua.RaiseAtCaller(l, "attempt to use a non-string key in the \"vars\" option table")
			}
			k, _ := l.ToString(-2)
			if t := l.TypeOf(-1); t != glua.TypeString && t != glua.TypeNumber {
				lua.RaiseAtCaller(l, "attempt to use bad variable value type "+typeName(l, -1))
			}
			if !r.VarDefined(k) {
				r.Log(ngx.LevelErr, "variable \""+k+"\" cannot be assigned a value (maybe you forgot to define it first?) ")
				lua.RaiseAtCaller(l, "failed to adjust the subrequest: -1")
			}
			o.vars = append(o.vars, [2]string{k, toString(l, -1)})
		}
	default:
		lua.RaiseAtCaller(l, "Bad vars option value")
	}
	l.Pop(1)
	l.Field(oi, "ctx")
	switch l.TypeOf(-1) {
	case glua.TypeNil:
	case glua.TypeTable:
		o.ctx = l.ToValue(-1)
	default:
		lua.RaiseAtCaller(l, "Bad ctx option value type "+typeName(l, -1)+", expected a Lua table")
	}
	l.Pop(1)
}

// apply prepares subrequest sub of r as the options say, before its phases run.
func (o *subOptions) apply(r, sub *ngx.Request) {
	if o.share || o.copyAll {
		sub.CopyVars(r, o.share)
	}
	for _, kv := range o.vars {
		if err := sub.SetVar(kv[0], kv[1]); err != nil {
			r.Log(ngx.LevelErr, err.Error())
		}
	}
	if o.ctx != nil {
		sub.Ctx()[luaCtxKey] = o.ctx
	}
}

// joinArgs appends extra to the URI's own arguments.
func joinArgs(args, extra string) string {
	switch {
	case extra == "":
		return args
	case args == "":
		return extra
	}
	return args + "&" + extra
}

// methodName returns the method of an ngx.HTTP_* code, or "".
func methodName(code int) string {
	for _, m := range methods {
		if m.code == code {
			return m.name
		}
	}
	return ""
}

// runSubrequests runs specs with the VM given up, as the parent waits for them in nginx;
// several run at once (capture_multi), each on its own goroutine, their Lua taking the VM in
// turn.
func runSubrequests(l *glua.State, r *ngx.Request, specs []subSpec) []*ngx.Captured {
	res := make([]*ngx.Captured, len(specs))
	errs := make([]error, len(specs))
	st := lua.Current(l)
	outside(l, func() error {
		var wg sync.WaitGroup
		for i, s := range specs {
			// A setup touches Lua values and variables that the other subrequests' Lua
			// code may be using: it runs with the VM.
			setup := func(sub *ngx.Request) { st.Locked(func() { s.setup(sub) }) }
			wg.Go(func() { res[i], errs[i] = r.Subrequest(s.req, setup) })
		}
		wg.Wait()
		return nil
	})
	for i, err := range errs {
		if errors.Is(err, ngx.ErrSubrequestCycle) {
			r.Log(ngx.LevelErr, "lua subrequests cycle while processing \""+specs[i].req.URL.Path+"\"")
			lua.RaiseAtCaller(l, "failed to issue subrequest: -1")
		}
		if err != nil {
			lua.RaiseAtCaller(l, err.Error())
		}
	}
	return res
}

// pushCaptured pushes a subrequest's response as capture returns it.
func pushCaptured(l *glua.State, c *ngx.Captured) {
	l.CreateTable(0, 4)
	l.PushInteger(c.Status)
	l.SetField(-2, "status")
	l.CreateTable(0, len(c.Header))
	for k, vs := range c.Header {
		if len(vs) == 0 {
			continue // a name net/http is told not to send (no default Content-Type)
		}
		if len(vs) == 1 {
			l.PushString(vs[0])
		} else {
			l.CreateTable(len(vs), 0)
			for i, v := range vs {
				l.PushString(v)
				l.RawSetInt(-2, i+1)
			}
		}
		l.SetField(-2, k)
	}
	if glua.NewMetaTable(l, captureHeaderMeta) {
		l.PushGoFunction(captureHeaderIndex)
		l.SetField(-2, "__index")
	}
	l.SetMetaTable(-2)
	l.SetField(-2, "header")
	l.PushString(string(c.Body))
	l.SetField(-2, "body")
	l.PushBoolean(false)
	l.SetField(-2, "truncated")
}

// captureHeaderMeta names the metatable of capture's header tables. Their keys are Go's
// spelling of the names ("Www-Authenticate", "Etag"), which may differ from the one the
// subrequest used, which nginx keeps; its __index finds a name in any case, so that
// res.header["WWW-Authenticate"] and res.header["ETag"] work as in OpenResty.
const captureHeaderMeta = "goresty.capture.header"

// captureHeaderIndex is __index(t, k) of capture's header tables.
func captureHeaderIndex(l *glua.State) int {
	if l.TypeOf(2) == glua.TypeString {
		k, _ := l.ToString(2)
		if c := textproto.CanonicalMIMEHeaderKey(k); c != k {
			l.PushString(c)
			l.RawGet(1)
			return 1
		}
	}
	l.PushNil()
	return 1
}

// unescapePath decodes the %XX of a subrequest's URI, as lua-nginx-module does with nginx's
// NGX_UNESCAPE_URI ("+" stays "+"); a "%" without two hex digits is kept.
func unescapePath(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, hexVal(s[i+1])<<4|hexVal(s[i+2]))
			i += 2
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func hexVal(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
