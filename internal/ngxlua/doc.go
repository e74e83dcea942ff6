// Package ngxlua is the Lua binding of package ngx: it installs OpenResty's ngx table (ngx.say,
// ngx.var, ngx.req.*, ngx.header, ngx.exit, ...) in a Lua state of the engine (internal/lua),
// with OpenResty's return values, error strings and phase rules. Every call goes to the same Go
// code that Go hooks use, through the *ngx.Request the pipeline stores in the state's Data.
//
// The behaviour is checked against nginx 1.22 + lua-nginx-module 0.10.23 + lua-resty-core by
// the differential cases of internal/oracletest; the Go tests here restate those results. What
// cannot match, because go-lua's debug information lacks it: a function's name in "bad argument
// #1 to 'say'" (always '?', as LuaJIT prints it through pcall), the "f(): " of ngx.log lines
// written inside a named function, and the missing position of an error raised by a Go function
// called as "return f()" (a real tail call in LuaJIT).
package ngxlua
