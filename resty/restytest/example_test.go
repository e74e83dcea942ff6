package restytest_test

import (
	"fmt"
	"net/http"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

func ExampleGet() {
	h, _ := resty.New(resty.Config{Locations: []resty.Location{{
		Match: "= /hello",
		Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
			return r.Say("Hello, World from OpenResty!")
		})},
	}}})

	resp := restytest.Get(h, "/hello")
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Print(restytest.Body(resp))
	// Output:
	// 200 text/plain
	// Hello, World from OpenResty!
}

func ExampleDo() {
	h, _ := resty.New(resty.Config{Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{resty.Access(func(r *ngx.Request) error {
			if r.Header("Authorization") == "" {
				return r.Exit(http.StatusUnauthorized)
			}
			return r.Exit(ngx.CodeOK)
		}), resty.Content(func(r *ngx.Request) error {
			return r.Print("welcome")
		})},
	}}})

	req := restytest.NewRequest("GET", "/", nil)
	req.Header.Set("Authorization", "Bearer x")
	fmt.Println(restytest.Body(restytest.Do(h, req)))
	fmt.Println(restytest.Get(h, "/").StatusCode)
	// Output:
	// welcome
	// 401
}
