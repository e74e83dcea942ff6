package ngxlua

import (
	"strings"
	"time"

	glua "github.com/Shopify/go-lua"
)

// lua-resty-core's resty.core.* submodules, which libraries require for what they share
// (new_tab, get_request, ref_in_table) or to make sure an FFI-based API is installed (what
// resty.core.shdict does; goresty's ngx API is there from the start). Most are a table holding
// the version; base, ctx, time and utils hold what does not need the FFI too. base's FFI
// buffers (get_string_buf, get_size_ptr, get_errmsg_ptr) are left out: code that uses them needs
// LuaJIT's ffi module, which goresty does not have. The internals that only lua-resty-core's
// own modules call (regex's compile helpers, misc's magic-key registry, request's and
// response's header setters) are not provided.

// coreVersionOnly are the submodules that hold only their version.
var coreVersionOnly = []string{"shdict", "var", "hash", "uri", "exit", "phase", "ndk", "socket",
	"base64", "param", "coroutine"}

// coreModules adds the resty.core.* loaders to m.
func coreModules(m map[string]glua.Function) {
	for _, name := range coreVersionOnly {
		m["resty.core."+name] = func(l *glua.State) int {
			pushModule(l, nil)
			return 1
		}
	}
	m["resty.core.base"] = coreBase
	m["resty.core.ctx"] = func(l *glua.State) int {
		pushVersioned(l, "_VERSION", []glua.RegistryFunction{{Name: "get_ctx_table", Function: getCtxTable}})
		return 1
	}
	m["resty.core.worker"] = func(l *glua.State) int {
		pushVersioned(l, "_VERSION", nil)
		return 1
	}
	m["resty.core.time"] = func(l *glua.State) int {
		pushModule(l, []glua.RegistryFunction{
			{Name: "monotonic_msec", Function: func(l *glua.State) int {
				l.PushNumber(float64(monotonicMsec()))
				return 1
			}},
			{Name: "monotonic_time", Function: func(l *glua.State) int {
				l.PushNumber(float64(monotonicMsec()) / 1000)
				return 1
			}},
		})
		return 1
	}
	m["resty.core.utils"] = func(l *glua.State) int {
		pushModule(l, []glua.RegistryFunction{{Name: "str_replace_char", Function: strReplaceChar}})
		return 1
	}
}

// pushVersioned pushes a module table of funcs whose version is under key (_VERSION for the
// submodules that name it so).
func pushVersioned(l *glua.State, key string, funcs []glua.RegistryFunction) {
	l.CreateTable(0, len(funcs)+1)
	glua.SetFunctions(l, funcs, 0)
	l.PushString(RestyCoreVersion)
	l.SetField(-2, key)
}

// monoBase is the origin of monotonic_msec: only differences between its values mean anything,
// as with nginx's CLOCK_MONOTONIC.
var monoBase = time.Now()

// monotonicMsec is resty.core.time's monotonic_msec: whole milliseconds of a monotonic clock.
func monotonicMsec() int64 { return time.Since(monoBase).Milliseconds() + 1 }

// strReplaceChar is utils.str_replace_char(s, find, replace): when find occurs in s, every
// byte of s equal to find's first byte becomes replace's first byte.
func strReplaceChar(l *glua.State) int {
	s, find, repl := checkString(l, 1), checkString(l, 2), checkString(l, 3)
	if find == "" || repl == "" || !strings.Contains(s, find) {
		l.PushString(s)
		return 1
	}
	l.PushString(strings.ReplaceAll(s, find[:1], repl[:1]))
	return 1
}

// getCtxTable is resty.core.ctx's get_ctx_table(ctx): the running request's ngx.ctx; a table
// given becomes ngx.ctx when the request has none yet.
func getCtxTable(l *glua.State) int {
	r := checkPhase(l, inRequest|inTimer|inInitWorker)
	if l.IsTable(1) && r != nil {
		if _, ok := r.Ctx()[luaCtxKey]; !ok {
			r.Ctx()[luaCtxKey] = l.ToValue(1)
		}
	}
	pushCtx(l, r)
	return 1
}

// The FFI status codes resty.core.base names.
var ffiCodes = []struct {
	name string
	code int
}{
	{"FFI_OK", 0}, {"FFI_ERROR", -1}, {"FFI_AGAIN", -2}, {"FFI_BUSY", -3}, {"FFI_DONE", -4},
	{"FFI_DECLINED", -5}, {"FFI_NO_REQ_CTX", -100}, {"FFI_BAD_CONTEXT", -101},
}

// requestToken is what base.get_request returns for a request: a light userdata that is true,
// where OpenResty returns the request's cdata pointer.
var requestToken = new(byte)

// stringBufSize is base's get_string_buf_size, which set_string_buf_size changes.
const stringBufSize = 4096

func coreBase(l *glua.State) int {
	pushModule(l, []glua.RegistryFunction{
		{Name: "ref_in_table", Function: refInTable},
		{Name: "allows_subsystem", Function: func(l *glua.State) int {
			for i := 1; i <= l.Top(); i++ {
				if s, _ := l.ToString(i); s == "http" {
					return 0
				}
			}
			glua.Errorf(l, "unsupported subsystem: http")
			return 0
		}},
		{Name: "get_request", Function: func(l *glua.State) int {
			if r, _ := running(l); r != nil {
				l.PushLightUserData(requestToken)
			} else {
				l.PushNil()
			}
			return 1
		}},
		{Name: "get_string_buf_size", Function: func(l *glua.State) int {
			l.PushInteger(stringBufSize)
			return 1
		}},
	})
	for _, c := range ffiCodes {
		l.PushInteger(c.code)
		l.SetField(-2, c.name)
	}
	// new_tab and clear_tab are LuaJIT's table.new and table.clear, as base takes them.
	l.Field(glua.RegistryIndex, "_LOADED")
	for name, field := range map[string]string{"table.new": "new_tab", "table.clear": "clear_tab"} {
		l.Field(-1, name)
		l.SetField(-3, field)
	}
	l.Pop(1)
	return 1
}

// refInTable is base.ref_in_table(tb, key): luaL_ref in a Lua table, whose index 0 heads the
// list of freed references.
func refInTable(l *glua.State) int {
	glua.CheckType(l, 1, glua.TypeTable)
	if l.IsNoneOrNil(2) {
		l.PushInteger(-1)
		return 1
	}
	l.RawGetInt(1, 0)
	ref, _ := l.ToInteger(-1)
	l.Pop(1)
	if ref != 0 {
		l.RawGetInt(1, ref)
		l.RawSetInt(1, 0)
	} else {
		ref = glua.LengthEx(l, 1) + 1
	}
	l.PushValue(2)
	l.RawSetInt(1, ref)
	l.PushInteger(ref)
	return 1
}
