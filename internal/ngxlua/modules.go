package ngxlua

import (
	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/ngx"
)

// RestyCoreVersion is the version of lua-resty-core that goresty's ngx API follows (the one
// that goes with lua-nginx-module 0.10.23); the lua-resty-core modules report it as version.
const RestyCoreVersion = "0.1.25"

// Modules returns lua-resty-core's modules that goresty provides, by name, for require:
// "resty.core" (loaded already in OpenResty, so requiring it does nothing more), "ngx.base64",
// "ngx.req" and "ngx.resp" (add_header each), "ngx.semaphore", "ngx.errlog" and the resty.core.*
// submodules (coremodules.go). luare provides "ngx.re".
func Modules() map[string]glua.Function {
	m := map[string]glua.Function{
		"resty.core": func(l *glua.State) int {
			pushModule(l, nil)
			return 1
		},
		"ngx.base64": func(l *glua.State) int {
			pushModule(l, []glua.RegistryFunction{
				{Name: "encode_base64url", Function: encodeBase64URL},
				{Name: "decode_base64url", Function: decodeBase64URL},
			})
			return 1
		},
		"ngx.req": func(l *glua.State) int {
			pushModule(l, []glua.RegistryFunction{{Name: "add_header", Function: reqAddHeader}})
			return 1
		},
		"ngx.semaphore": semaphoreModule,
		"ngx.errlog":    errlogModule,
		"ngx.resp": func(l *glua.State) int {
			pushModule(l, []glua.RegistryFunction{{Name: "add_header", Function: respAddHeader}})
			return 1
		},
	}
	coreModules(m)
	return m
}

// pushModule pushes a module table of funcs and the version.
func pushModule(l *glua.State, funcs []glua.RegistryFunction) {
	l.CreateTable(0, len(funcs)+1)
	glua.SetFunctions(l, funcs, 0)
	l.PushString(RestyCoreVersion)
	l.SetField(-2, "version")
}

// encodeBase64URL is encode_base64url(s): a non-string gives nil and "must provide a string".
func encodeBase64URL(l *glua.State) int {
	s, ok := stringOnly(l)
	if !ok {
		return 2
	}
	l.PushString(ngx.EncodeBase64URL(s))
	return 1
}

// decodeBase64URL is decode_base64url(s): nil and "invalid input" for what does not decode.
func decodeBase64URL(l *glua.State) int {
	s, ok := stringOnly(l)
	if !ok {
		return 2
	}
	out, ok := ngx.DecodeBase64URL(s)
	if !ok {
		l.PushNil()
		l.PushString("invalid input")
		return 2
	}
	l.PushString(out)
	return 1
}

// stringOnly returns argument 1 when it is a string; otherwise it pushes nil and "must provide
// a string", ngx.base64's answer to anything else.
func stringOnly(l *glua.State) (string, bool) {
	if l.TypeOf(1) != glua.TypeString {
		l.PushNil()
		l.PushString("must provide a string")
		return "", false
	}
	s, _ := l.ToString(1)
	return s, true
}

// reqAddHeader is add_header(name, value) of lua-resty-core's ngx.req: set_header that keeps
// the values the header has.
func reqAddHeader(l *glua.State) int {
	r, name, values := reqHeaderArgs(l)
	r.AddHeader(name, values...)
	return 0
}
