package sharedict_test

import (
	"fmt"

	glua "github.com/Shopify/go-lua"

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
