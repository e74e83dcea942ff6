// Command hello serves OpenResty's hello world through goresty: GET /hello is answered by a Go
// content hook, and every other path by an ordinary net/http application that goresty wraps.
//
//	go run ./examples/hello [-addr 127.0.0.1:8080]
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// newHandler wraps app with a location that answers /hello.
func newHandler(app http.Handler) (*resty.Handler, error) {
	return resty.New(resty.Config{
		Next: app,
		Locations: []resty.Location{{
			Match: "= /hello",
			Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
				return r.Say("Hello, World from OpenResty!")
			})},
		}},
	})
}

// app stands for the application goresty sits in front of.
func app() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "app: %s %s\n", r.Method, r.URL.Path)
	})
	return mux
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	h, err := newHandler(app())
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on http://%s/hello", *addr)
	log.Fatal(http.ListenAndServe(*addr, h))
}
