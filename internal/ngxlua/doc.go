// Package ngxlua is the Lua binding of package ngx: it installs OpenResty's ngx table (ngx.say,
// ngx.var, ngx.req.*, ngx.header, ngx.exit, ...) in a Lua state of the engine (internal/lua),
// with OpenResty's return values, error strings and phase rules. Every call goes to the same Go
// code that Go hooks use, through the *ngx.Request the pipeline stores in the state's Data.
package ngxlua
