package cache_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/goresty/goresty/cache"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// A cache made in init_by_lua, as OpenResty code makes it at a module's top level: each VM (an
// nginx worker) has its own copy, which keeps what its requests put in it.
func Example() {
	h, err := resty.New(resty.Config{
		Lua: resty.LuaConfig{Workers: 1},
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseInit, `
			local lrucache = require "resty.lrucache"
			users = lrucache.new(100)`)},
		Locations: []resty.Location{{Match: "= /user", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local name = ngx.var.arg_name
			local user = users:get(name)
			if user then
				ngx.say("cached: ", user.greeting)
				return
			end
			users:set(name, {greeting = "hello, " .. name}, 60)
			ngx.say("made: hello, ", name)`)}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	for _, target := range []string{"/user?name=ann", "/user?name=ann", "/user?name=bob"} {
		fmt.Print(restytest.Body(restytest.Get(h, target)))
	}
	// Output:
	// made: hello, ann
	// cached: hello, ann
	// made: hello, bob
}

// A response cache in front of a handler: the first request is fetched from the handler,
// the second is answered from the cache.
func ExampleResponses_Handler() {
	rc, err := cache.NewResponses(cache.ResponsesOptions{})
	if err != nil {
		panic(err)
	}
	defer rc.Close()
	calls := 0
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		fmt.Fprintf(w, "generated %d", calls)
	})
	h := rc.Handler(cache.Policy{Valid: cache.ValidFor(time.Minute)}, app)
	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/report", nil))
		fmt.Println(w.Body.String())
	}
	// Output:
	// generated 1
	// generated 1
}

// Serve reports the cache status of each request, as $upstream_cache_status.
func ExampleResponses_Serve() {
	rc, err := cache.NewResponses(cache.ResponsesOptions{})
	if err != nil {
		panic(err)
	}
	defer rc.Close()
	origin := func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", "max-age=60")
		fmt.Fprint(w, "hello")
		return nil
	}
	p := &cache.Policy{}
	for range 2 {
		var status cache.Status
		w := httptest.NewRecorder()
		if err := rc.Serve(w, httptest.NewRequest("GET", "/", nil), p, origin, &status); err != nil {
			panic(err)
		}
		fmt.Println(status, w.Body.String())
	}
	// Output:
	// MISS hello
	// HIT hello
}
