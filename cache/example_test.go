package cache_test

import (
	"fmt"

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
