package luacjson_test

import (
	"fmt"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/luacjson"
)

func Example() {
	l := glua.NewState()
	glua.OpenLibraries(l)
	glua.Require(l, "cjson", luacjson.Open, true)
	glua.Require(l, "cjson.safe", luacjson.OpenSafe, false)
	l.Pop(2)
	l.Register("say", func(l *glua.State) int {
		n := l.Top()
		for i := 1; i <= n; i++ {
			s, _ := glua.ToStringMeta(l, i)
			l.Pop(1)
			fmt.Print(s, map[bool]string{true: "\n", false: "\t"}[i == n])
		}
		return 0
	})
	err := glua.DoString(l, `
		say(cjson.encode({1, 2, "three", {a = "x/y"}}))
		local t = cjson.decode('{"list":[1,2,null]}')
		say(#t.list, t.list[3] == cjson.null)
		say(select(2, require("cjson.safe").decode("[1,")))
	`)
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// [1,2,"three",{"a":"x\/y"}]
	// 3	true
	// Expected value but found T_END at character 4
}

func ExamplePushNull() {
	l := glua.NewState()
	glua.OpenLibraries(l)
	glua.Require(l, "cjson", luacjson.Open, true)
	l.Pop(1)
	l.NewTable()
	luacjson.PushNull(l) // what an ngx binding does for ngx.null
	l.SetField(-2, "null")
	l.SetGlobal("ngx")
	if err := glua.DoString(l, `assert(ngx.null == cjson.null)`); err != nil {
		fmt.Println(err)
	}
	l.Global("ngx")
	l.Field(-1, "null")
	fmt.Println(luacjson.IsNull(l, -1))
	// Output:
	// true
}
