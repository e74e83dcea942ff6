package sharedict_test

import (
	"fmt"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
	"github.com/goresty/goresty/sharedict"
)

// A dict in a Lua state, as ngx.shared.dogs: resty.Config.SharedDicts does this for every
// Lua state of a Handler.
func ExamplePushLua() {
	dogs, _ := sharedict.New("dogs", 1<<20)
	defer dogs.Close()

	l := glua.NewState()
	glua.OpenLibraries(l)
	sharedict.PushLua(l, dogs)
	l.SetGlobal("dogs")
	err := glua.DoString(l, `
		print(dogs:set("Jim", 8))            -- ok, err, forcible
		print(dogs:add("Jim", 9))            -- add on a live key
		print(dogs:incr("Jim", 1))           -- incr without init returns only the value
		print(dogs:get("nope"))              -- a missing key
		print(pcall(dogs.get, "Jim"))        -- called without the dict
	`)
	if err != nil {
		fmt.Println(err)
	}
	v, _, _ := dogs.Get("Jim")
	fmt.Println("from Go:", v)
	// Output:
	// true	nil	false
	// false	exists	false
	// 9
	// nil
	// false	bad "zone" argument
	// from Go: 9
}

// resty.lock keeps one request at a time on a piece of work, here rebuilding a cached value,
// through a dict: the others wait for the lock, then find the value.
func ExampleLuaModules() {
	locks, _ := sharedict.New("locks", 1<<20)
	defer locks.Close()
	cache, _ := sharedict.New("cache", 1<<20)
	defer cache.Close()
	h, err := resty.New(resty.Config{
		SharedDicts: map[string]sharedict.Store{"locks": locks, "cache": cache},
		Locations: []resty.Location{{Match: "= /report", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local cache = ngx.shared.cache
			local report = cache:get("report")
			if not report then
				local lock = require("resty.lock"):new("locks")
				assert(lock:lock("report"))
				report = cache:get("report") -- someone may have built it meanwhile
				if not report then
					report = "built once"
					cache:set("report", report, 60)
				end
				lock:unlock()
			end
			ngx.say(report)`)}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	fmt.Print(restytest.Body(restytest.Get(h, "/report")))
	// Output: built once
}
