// Command barehello is the baseline of the end-to-end benchmark: a bare net/http server that
// answers GET /hello as examples/hello does, without goresty.
package main

import (
	"flag"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	flag.Parse()
	msg := []byte("Hello, World from OpenResty!\n")
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(msg)
	})))
}
