package ngxlua_test

import (
	"fmt"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// The binding as a Lua hook sees it: OpenResty's results and error strings.
func Example() {
	h, _ := resty.New(resty.Config{Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			ngx.header["X-Args"] = ngx.var.args
			ngx.say(ngx.say({"a", {"b", 1}}, true, nil, ngx.null))
			ngx.say(pcall(ngx.say, {k = "v"}))
			ngx.say(ngx.flush())`)},
	}}})
	resp := restytest.Get(h, "/?x=1")
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Args"))
	fmt.Print(restytest.Body(resp))
	// Output:
	// 200 x=1
	// ab1truenilnull
	// 1
	// falsebad argument #1 to '?' (non-array table found)
	// 1
}
