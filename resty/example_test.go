package resty_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// readme:begin
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

// readme:end
