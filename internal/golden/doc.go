// Package golden holds the golden-case files that the Lua libraries of goresty (ngx.re, cjson)
// test against, and runs their cases on real nginx + lua-nginx-module to record or check the
// wants. It is for tests only and imports no goresty package but internal/servertest, so any
// package's internal tests can use it.
//
// A case file starts with free text (kept as it is), then holds cases:
//
//	=== name            (or "=== name [fork]": not run on nginx, its want is written by hand)
//	Lua code
//	--- want
//	the expected output
package golden
