package nginxconf_test

import (
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/goresty/goresty/resty/nginxconf"
)

// LoadSnippet builds the handler of one server from location blocks, as a test would.
func ExampleLoadSnippet() {
	h, err := nginxconf.LoadSnippet(`
location = /hello {
    content_by_lua_block { ngx.say("hello, ", ngx.var.arg_name or "world") }
}
location /old/ { rewrite ^/old/(.*)$ /hello?name=$1 last; }
`, "", nginxconf.LoadOptions{ErrorLog: io.Discard})
	if err != nil {
		log.Fatal(err)
	}
	for _, target := range []string{"/hello", "/old/gopher"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		fmt.Print(rec.Code, " ", rec.Body.String())
	}
	// Output:
	// 200 hello, world
	// 200 hello, gopher
}

// Load reads a whole nginx.conf; Handler picks the server by address and Host.
func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "goresty")
	defer os.RemoveAll(dir)
	conf := filepath.Join(dir, "nginx.conf")
	_ = os.WriteFile(conf, []byte(`
events { worker_connections 64; }
http {
    access_log off;
    server { listen 127.0.0.1:8080; server_name a.example; return 200 "site a\n"; }
    server { listen 127.0.0.1:8080; server_name b.example; return 200 "site b\n"; }
}
`), 0o644)
	c, err := nginxconf.Load(conf, nginxconf.LoadOptions{Prefix: dir, ErrorLog: io.Discard})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Println(len(c.Servers), "servers on", c.Addresses()[0].Addr)
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "b.example"
	rec := httptest.NewRecorder()
	c.Handler().ServeHTTP(rec, req)
	fmt.Print(rec.Body.String())
	// Output:
	// 2 servers on 127.0.0.1:8080
	// site b
}

// Errors name the file, the line and the directive, as nginx's do.
func ExampleLoadSnippet_error() {
	_, err := nginxconf.LoadSnippet("location / { fastcgi_pass 127.0.0.1:9000; }", "",
		nginxconf.LoadOptions{})
	fmt.Println(err)
	// Output:
	// "fastcgi_pass" directive is not supported yet in nginx.conf:17
}
