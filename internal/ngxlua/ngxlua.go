package ngxlua

import (
	"errors"
	"log/slog"
	"net/http"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/internal/luacjson"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/upstream"
)

// Options are what the ngx table needs from the Handler that installs it.
type Options struct {
	// Shared returns the ngx.shared table's value for a dict name; nil when unknown. It pushes
	// nothing itself: the binding calls it from ngx.shared's __index.
	Shared func(l *glua.State, name string) bool
	// Re pushes the ngx.re table; nil leaves ngx.re out.
	Re func(l *glua.State)
	// Logger receives ngx.log and print outside requests (init, init_worker, timers). Nil
	// sends print to the print function the state had before (the engine's) and ngx.log to
	// slog.Default().
	Logger *slog.Logger
	// Prefix is nginx's prefix, for ngx.config.prefix(); "" means the working directory.
	Prefix string
	// Timers runs ngx.timer's callbacks; nil leaves ngx.timer out.
	Timers *Timers
	// Sockets holds the keepalive pools of ngx.socket's cosockets; nil leaves ngx.socket out.
	Sockets *upstream.Pools
}

// request returns the request the running script serves, or raises the Lua error OpenResty
// raises outside a request.
func request(l *glua.State) *ngx.Request {
	r, p := running(l)
	if r == nil {
		if fakeRequest(p) {
			// Raised inside resty.core, whose file positions the error would name.
			lua.RaisePlain(l, "API disabled in the current context")
		}
		glua.Errorf(l, "no request found")
	}
	return r
}

// phaseOf returns the phase of the running script: the request's, or the one recorded in the
// state outside requests (init, init_worker, timer).
func phaseOf(l *glua.State) ngx.Phase {
	_, p := running(l)
	return p
}

// running returns the request the running script serves (nil outside requests) and its phase.
func running(l *glua.State) (*ngx.Request, ngx.Phase) {
	if s := lua.Current(l); s != nil {
		switch d := s.Data.(type) {
		case *ngx.Request:
			if d != nil {
				return d, d.Phase()
			}
		case ngx.Phase:
			return nil, d
		case *timerRun:
			return nil, ngx.PhaseTimer
		}
	}
	return nil, ngx.PhaseInit
}

// phase masks for checkPhase.
const (
	inRewrite      = 1 << ngx.PhaseRewrite
	inAccess       = 1 << ngx.PhaseAccess
	inContent      = 1 << ngx.PhaseContent
	inHeaderFilter = 1 << ngx.PhaseHeaderFilter
	inBodyFilter   = 1 << ngx.PhaseBodyFilter
	inLog          = 1 << ngx.PhaseLog
	inSet          = 1 << ngx.PhaseSet
	inTimer        = 1 << ngx.PhaseTimer
	inInitWorker   = 1 << ngx.PhaseInitWorker
	inInit         = 1 << ngx.PhaseInit

	inOutput  = inRewrite | inAccess | inContent
	inRequest = inSet | inRewrite | inAccess | inContent | inHeaderFilter | inBodyFilter | inLog
)

// checkPhase raises "API disabled in the context of <phase>_by_lua*" unless the running phase
// is in mask, and returns the request when the phase has one.
func checkPhase(l *glua.State, mask int) *ngx.Request {
	r, p := running(l)
	if mask&(1<<p) == 0 {
		if fakeRequest(p) && mask&inRequest == inRequest {
			// An API allowed in every request phase checks only for a real request, which
			// the fake one of timers and init_worker is not.
			glua.Errorf(l, "API disabled in the current context")
		}
		disabled(l, p)
	}
	if (1<<p)&inRequest == 0 {
		return nil
	}
	if r == nil {
		glua.Errorf(l, "no request found")
	}
	return r
}

// fakeRequest reports whether lua-nginx-module runs phase p with a fake request (a request
// object without a connection): timers and init_worker.
func fakeRequest(p ngx.Phase) bool { return p == ngx.PhaseTimer || p == ngx.PhaseInitWorker }

// abort unwinds the script for ngx.exit and friends; pcall cannot catch it.
func abort(l *glua.State) { lua.Abort(l, ngx.ErrExit) }

// raise turns a Go error from package ngx into the Lua error OpenResty raises for it.
func raise(l *glua.State, err error) {
	var pe *ngx.PhaseError
	if errors.As(err, &pe) {
		disabled(l, pe.Phase)
	}
	glua.Errorf(l, "%s", err.Error())
}

// Open installs the ngx table in l's globals, and registers it as the module "ngx".
func Open(l *glua.State, o Options) {
	l.CreateTable(0, 96)
	setConstants(l)
	glua.SetFunctions(l, outputFuncs, 0)
	glua.SetFunctions(l, miscFuncs, 0)
	glua.SetFunctions(l, timeFuncs, 0)
	glua.SetFunctions(l, logFuncs, 0)
	luacjson.PushNull(l)
	l.SetField(-2, "null")
	openReq(l)
	l.SetField(-2, "req")
	openResp(l)
	l.SetField(-2, "resp")
	openVar(l)
	l.SetField(-2, "var")
	openHeader(l)
	l.SetField(-2, "header")
	openArg(l)
	l.SetField(-2, "arg")
	if o.Re != nil {
		o.Re(l)
		l.SetField(-2, "re")
	}
	openShared(l, o.Shared)
	l.SetField(-2, "shared")
	openWorker(l)
	l.SetField(-2, "worker")
	openConfig(l, o.Prefix)
	l.SetField(-2, "config")
	openLocation(l)
	l.SetField(-2, "location")
	openThread(l)
	l.SetField(-2, "thread")
	if o.Timers != nil {
		l.PushUserData(o.Timers)
		l.SetField(glua.RegistryIndex, timersRegKey)
		openTimer(l)
		l.SetField(-2, "timer")
	}
	if o.Sockets != nil {
		openSocket(l, o.Sockets)
		l.SetField(-2, "socket")
		l.Field(-1, "req")
		pushReqSocket(l, o.Sockets)
		l.SetField(-2, "socket")
		l.Pop(1)
	}
	setNgxMeta(l)
	openCoroutine(l)

	l.Global("print")
	l.SetField(glua.RegistryIndex, basePrintKey)
	if o.Logger != nil {
		l.PushUserData(o.Logger)
		l.SetField(glua.RegistryIndex, loggerKey)
	}
	l.PushGoFunction(luaPrint)
	l.SetGlobal("print")
	l.PushValue(-1)
	l.SetGlobal("ngx")
	registerModule(l, "ngx")
	l.Pop(1)
}

// registerModule makes the value on the stack top what require(name) returns.
func registerModule(l *glua.State, name string) {
	glua.SubTable(l, glua.RegistryIndex, "_LOADED")
	l.PushValue(-2)
	l.SetField(-2, name)
	l.Pop(1)
}

// setNgxMeta makes ngx.status, ngx.ctx and ngx.headers_sent behave as the properties they are
// in OpenResty.
func setNgxMeta(l *glua.State) {
	l.CreateTable(0, 2)
	l.PushGoFunction(ngxIndex)
	l.SetField(-2, "__index")
	l.PushGoFunction(ngxNewIndex)
	l.SetField(-2, "__newindex")
	l.SetMetaTable(-2)
}

func ngxIndex(l *glua.State) int {
	switch key, _ := l.ToString(2); key {
	case "status":
		r := checkPhase(l, inRequest)
		l.PushInteger(r.Status())
		return 1
	case "ctx":
		r := checkPhase(l, inRequest|inTimer|inInitWorker)
		pushCtx(l, r)
		return 1
	case "headers_sent":
		r := checkPhase(l, inRequest)
		l.PushBoolean(r.HeadersSent())
		return 1
	case "is_subrequest":
		l.PushBoolean(checkPhase(l, inRequest).IsSubrequest())
		return 1
	}
	return 0
}

func ngxNewIndex(l *glua.State) int {
	switch key, _ := l.ToString(2); key {
	case "status":
		r := checkPhase(l, inRequest)
		code, ok := l.ToNumber(3) // numeric strings too, as LuaJIT's FFI converts them
		if !ok {
			lua.RaisePlain(l, "bad argument #2 to 'ngx_http_lua_ffi_set_resp_status' (cannot convert '"+
				typeName(l, 3)+"' to 'int')")
		}
		if err := r.OverrideStatus(int(code)); err != nil {
			r.Log(ngx.LevelErr, err.Error())
		}
		return 0
	case "ctx":
		r := checkPhase(l, inRequest|inTimer)
		if !l.IsTable(3) {
			lua.RaisePlain(l, "ctx should be a table while getting a "+typeName(l, 3))
		}
		if r == nil {
			timerOf(l).ctx = l.ToValue(3)
			return 0
		}
		r.Ctx()[luaCtxKey] = l.ToValue(3)
		return 0
	}
	l.RawSet(1)
	return 0
}

// luaCtxKey is where a request keeps its Lua ngx.ctx table, inside the Go per-request table, so
// an internal redirect (which empties that table) empties ngx.ctx too.
const luaCtxKey = "\x00lua.ctx"

func pushCtx(l *glua.State, r *ngx.Request) {
	if r == nil { // a timer's own ngx.ctx, or init_worker's (one per VM)
		tr := timerOf(l)
		if tr == nil {
			glua.SubTable(l, glua.RegistryIndex, initWorkerCtxKey)
			return
		}
		if tr.ctx == nil {
			l.NewTable()
			tr.ctx = l.ToValue(-1)
			return
		}
		l.PushLightUserData(tr.ctx)
		return
	}
	if v, ok := r.Ctx()[luaCtxKey]; ok {
		l.PushLightUserData(v)
		return
	}
	l.NewTable()
	r.Ctx()[luaCtxKey] = l.ToValue(-1)
}

// initWorkerCtxKey is the registry key of init_worker's ngx.ctx.
const initWorkerCtxKey = "ngxlua.initworker.ctx"

// HTTP constants of ngx.*.
var statusConstants = map[string]int{
	"HTTP_CONTINUE": 100, "HTTP_SWITCHING_PROTOCOLS": 101, "HTTP_OK": 200, "HTTP_CREATED": 201,
	"HTTP_ACCEPTED": 202, "HTTP_NO_CONTENT": 204, "HTTP_PARTIAL_CONTENT": 206,
	"HTTP_SPECIAL_RESPONSE": 300, "HTTP_MOVED_PERMANENTLY": 301, "HTTP_MOVED_TEMPORARILY": 302,
	"HTTP_SEE_OTHER": 303, "HTTP_NOT_MODIFIED": 304, "HTTP_TEMPORARY_REDIRECT": 307,
	"HTTP_PERMANENT_REDIRECT": 308, "HTTP_BAD_REQUEST": 400, "HTTP_UNAUTHORIZED": 401,
	"HTTP_PAYMENT_REQUIRED": 402, "HTTP_FORBIDDEN": 403, "HTTP_NOT_FOUND": 404,
	"HTTP_NOT_ALLOWED": 405, "HTTP_NOT_ACCEPTABLE": 406, "HTTP_REQUEST_TIMEOUT": 408,
	"HTTP_CONFLICT": 409, "HTTP_GONE": 410, "HTTP_UPGRADE_REQUIRED": 426,
	"HTTP_TOO_MANY_REQUESTS": 429, "HTTP_CLOSE": 444, "HTTP_ILLEGAL": 451,
	"HTTP_INTERNAL_SERVER_ERROR": 500, "HTTP_METHOD_NOT_IMPLEMENTED": 501, "HTTP_BAD_GATEWAY": 502,
	"HTTP_SERVICE_UNAVAILABLE": 503, "HTTP_GATEWAY_TIMEOUT": 504, "HTTP_VERSION_NOT_SUPPORTED": 505,
	"HTTP_INSUFFICIENT_STORAGE": 507,
	"OK":                        ngx.CodeOK, "ERROR": ngx.CodeError, "AGAIN": ngx.CodeAgain, "DONE": ngx.CodeDone,
	"DECLINED": ngx.CodeDeclined,
	"STDERR":   int(ngx.LevelStderr), "EMERG": int(ngx.LevelEmerg), "ALERT": int(ngx.LevelAlert),
	"CRIT": int(ngx.LevelCrit), "ERR": int(ngx.LevelErr), "WARN": int(ngx.LevelWarn),
	"NOTICE": int(ngx.LevelNotice), "INFO": int(ngx.LevelInfo), "DEBUG": int(ngx.LevelDebug),
}

// methods are ngx.HTTP_GET and friends: numbers, as nginx's NGX_HTTP_GET ..., which
// ngx.req.set_method takes.
var methods = []struct {
	name string
	code int
}{
	{http.MethodGet, 0x0002}, {http.MethodHead, 0x0004}, {http.MethodPost, 0x0008},
	{http.MethodPut, 0x0010}, {http.MethodDelete, 0x0020}, {"MKCOL", 0x0040}, {"COPY", 0x0080},
	{"MOVE", 0x0100}, {http.MethodOptions, 0x0200}, {"PROPFIND", 0x0400}, {"PROPPATCH", 0x0800},
	{"LOCK", 0x1000}, {"UNLOCK", 0x2000}, {http.MethodPatch, 0x4000}, {http.MethodTrace, 0x8000},
}

func setConstants(l *glua.State) {
	for k, v := range statusConstants {
		l.PushInteger(v)
		l.SetField(-2, k)
	}
	for _, m := range methods {
		l.PushInteger(m.code)
		l.SetField(-2, "HTTP_"+m.name)
	}
}
