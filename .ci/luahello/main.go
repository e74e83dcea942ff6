// Command luahello serves GET /hello from a Lua content hook, for the end-to-end benchmark
// against a bare net/http server and real nginx + lua-nginx-module.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8082", "address to listen on")
	flag.Parse()
	h, err := resty.New(resty.Config{Locations: []resty.Location{{
		Match: "= /hello",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.say("Hello, World from OpenResty!")`)},
	}}})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.ListenAndServe(*addr, h))
}
