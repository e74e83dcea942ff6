// Package ngxlua is the Lua binding of package ngx: it installs OpenResty's ngx table (ngx.say,
// ngx.var, ngx.req.*, ngx.header, ngx.exit, ...) in a Lua state of the engine (internal/lua),
// with OpenResty's return values, error strings and phase rules. Every call goes to the same Go
// code that Go hooks use, through the *ngx.Request the pipeline stores in the state's Data.
//
// Beside the ngx table it provides ngx.timer (Timers: callbacks run later on the VM that made
// them), ngx.worker (the engine's VMs are the workers), ngx.config, and lua-resty-core's modules
// for require (Modules: resty.core, ngx.base64, ngx.req, ngx.resp; luare provides ngx.re).
//
// The behaviour is checked against nginx 1.22 + lua-nginx-module 0.10.23 + lua-resty-core by
// the differential cases of internal/oracletest, error-log lines and tracebacks included; the
// Go tests here restate those results. Function names in ngx.log prefixes and tracebacks come
// from the engine (lua.FuncName), since go-lua's debug information finds none. What cannot
// match: the missing position of an error raised by a Go function called as "return f()" (a
// real tail call in LuaJIT).
package ngxlua
