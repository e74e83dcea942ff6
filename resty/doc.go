// Package resty runs OpenResty's request pipeline inside a Go program.
//
// A [Handler] is an http.Handler that wraps the application's own handler. For each request it
// picks a [Location] with nginx's rules, then runs the phases in nginx's order — rewrite, access,
// content, header_filter, body_filter, log — calling the hooks configured for each. A location
// without a content hook hands the request to the wrapped handler, and the filters and log hooks
// still apply to its response, so a Handler can sit in front of any existing application.
//
//	h, err := resty.New(resty.Config{
//		Next: app,
//		Locations: []resty.Location{{
//			Match: "= /hello",
//			Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
//				return r.Say("Hello, World from OpenResty!")
//			})},
//		}},
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	http.ListenAndServe("127.0.0.1:8080", h)
//
// Hooks are Go functions that take the request (package ngx) and return an error. An error, or a
// panic, ends the request with nginx's 500 page and is logged with the location and phase; the
// server keeps running. A hook before the content phase that sends the response header (any
// output) ends the request after it, as OpenResty's rewrite_by_lua and access_by_lua do; only
// the log hooks run then.
package resty
