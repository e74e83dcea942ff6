package resty_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
	"github.com/goresty/goresty/sharedict"
)

// readme:begin go
func Example() {
	// The application goresty sits in front of.
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "app says hi to", r.Header.Get("X-User"))
	})

	h, err := resty.New(resty.Config{
		Next: app,
		Locations: []resty.Location{
			{
				Match: "= /hello",
				Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
					return r.Say("Hello, World from OpenResty!")
				})},
			},
			{
				Match: "/api/",
				Hooks: []resty.Hook{resty.Access(func(r *ngx.Request) error {
					if r.Header("Authorization") != "Bearer secret" {
						return r.Exit(http.StatusUnauthorized)
					}
					r.SetHeader("X-User", "alice")
					return nil
				})},
			},
		},
	})
	if err != nil {
		panic(err)
	}

	srv := httptest.NewServer(h) // or http.ListenAndServe(addr, h)
	defer srv.Close()

	get := func(path, auth string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		firstLine, _, _ := strings.Cut(string(body), "\n")
		fmt.Println(path, resp.StatusCode, strings.TrimSpace(firstLine))
	}
	get("/hello", "")
	get("/api/items", "Bearer secret")
	get("/api/items", "")
	// Output:
	// /hello 200 Hello, World from OpenResty!
	// /api/items 200 app says hi to alice
	// /api/items 401 <html>
}

// readme:end go

// readme:begin lua
func Example_lua() {
	cache, _ := sharedict.New("cache", 1<<20) // lua_shared_dict cache 1m;
	defer cache.Close()
	h, err := resty.New(resty.Config{
		SharedDicts: map[string]sharedict.Store{"cache": cache},
		Locations: []resty.Location{{
			Match: "= /visits",
			Hooks: []resty.Hook{
				resty.LuaHook(ngx.PhaseAccess, `
					if ngx.req.get_method() ~= "GET" then
						return ngx.exit(ngx.HTTP_NOT_ALLOWED)
					end`),
				resty.LuaHook(ngx.PhaseContent, `
					local n = ngx.shared.cache:incr("visits", 1, 0)
					ngx.say(require("cjson").encode({visits = n}))`),
			},
		}},
	})
	if err != nil {
		panic(err)
	}
	defer h.Close()
	for range 2 {
		resp := restytest.Get(h, "/visits")
		fmt.Print(resp.StatusCode, " ", restytest.Body(resp))
	}
	fmt.Println(restytest.Do(h, restytest.NewRequest("POST", "/visits", nil)).StatusCode)
	// Output:
	// 200 {"visits":1}
	// 200 {"visits":2}
	// 405
}

// readme:end lua
