// Package ngx is the request API that goresty hooks use: what OpenResty's ngx.* calls mean, in Go.
//
// A [Request] wraps one HTTP request while it moves through the phases of a resty.Handler. Hooks read
// and change the request (method, URI, arguments, headers, body), produce output (Say, Print, Write,
// Flush), end the request (Exit, Redirect, Exec), read variables (Var), keep per-request values (Ctx)
// and log at nginx's levels through log/slog. The Lua binding of ngx.* calls this same code, so a Go
// hook and a Lua hook behave alike.
//
// A Go hook is a plain function:
//
//	func hello(r *ngx.Request) error {
//		return r.Say("Hello, World from OpenResty!")
//	}
//
// To end a request from a hook, return what Exit returns:
//
//	if r.Header("Authorization") == "" {
//		return r.Exit(http.StatusUnauthorized)
//	}
//
// As in nginx, a 200 that hooks produce answers conditional requests by itself when it carries
// Last-Modified or ETag (nginx's not_modified filter: 304 for If-Modified-Since and
// If-None-Match, 412 for If-Unmodified-Since and If-Match); a response of the wrapped Go
// handler is left to that handler (Request.DisableNotModified).
package ngx
