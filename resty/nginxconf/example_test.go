package nginxconf_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/goresty/goresty/resty/nginxconf"
)

func ExampleParse() {
	conf := `
http {
    server {
        listen 8080;
        location /hello {
            set $greeting "hello, $arg_name";
            content_by_lua_block {
                ngx.say(ngx.var.greeting, " }")
            }
        }
    }
}`
	ds, err := nginxconf.Parse(strings.NewReader(conf), "nginx.conf")
	if err != nil {
		fmt.Println(err)
		return
	}
	nginxconf.Walk(ds, func(d *nginxconf.Directive, parents []*nginxconf.Directive) bool {
		switch {
		case d.Lua != nil:
			fmt.Printf("%s %s: Lua from line %d: %q\n", d.Pos(), d.Name, d.Lua.Line, strings.TrimSpace(d.Lua.Source))
		case d.Name == "set":
			fmt.Printf("%s set %s = %q (variables: %v)\n", d.Pos(), d.Args[0], d.Args[1], d.ArgHasVars(1))
		}
		return true
	})
	// Output:
	// nginx.conf:6 set $greeting = "hello, $arg_name" (variables: true)
	// nginx.conf:7 content_by_lua_block: Lua from line 7: "ngx.say(ngx.var.greeting, \" }\")"
}

func ExampleParse_error() {
	_, err := nginxconf.Parse(strings.NewReader("events {}\nhttp {\n    return 200 \"a\"b;\n}\n"), "/etc/nginx/nginx.conf")
	fmt.Println(err)
	// Output:
	// unexpected "b" in /etc/nginx/nginx.conf:3
}

func ExampleParseFile() {
	ds, err := nginxconf.ParseFile("testdata/include.conf")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, server := range nginxconf.Find(ds, "http")[0].Find("server") {
		fmt.Println(server.Pos(), server.Find("listen")[0].Args[0])
	}
	// Output:
	// testdata/inc/conf.d/a.conf:1 127.0.0.1:8081
	// testdata/inc/conf.d/b.conf:1 127.0.0.1:8082
}

func ExampleFormat() {
	ds, err := nginxconf.Parse(strings.NewReader(`location ~* "\.(gif|jpg)$" { add_header 'X-A' "a b" ;}`), "x.conf")
	if err != nil {
		fmt.Println(err)
		return
	}
	nginxconf.Format(os.Stdout, ds)
	// Output:
	// location ~* \.(gif|jpg)$ {
	//     add_header X-A "a b";
	// }
}

func ExampleLuaBlock_ConfigLine() {
	conf := "init_by_lua_block {\n    local x = 1\n    error(\"boom\")\n}\n"
	ds, _ := nginxconf.Parse(strings.NewReader(conf), "nginx.conf")
	// A Lua error "init_by_lua(nginx.conf:1):3: boom" points at Lua line 3.
	fmt.Println("config line", ds[0].Lua.ConfigLine(3))
	// Output:
	// config line 3
}

func ExampleSplitVars() {
	parts, err := nginxconf.SplitVars("$scheme://${host}:8080$request_uri")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range parts {
		if p.Var != "" {
			fmt.Printf("var %s\n", p.Var)
		} else {
			fmt.Printf("text %q\n", p.Literal)
		}
	}
	// Output:
	// var scheme
	// text "://"
	// var host
	// text ":8080"
	// var request_uri
}

func ExampleDirective_Errorf() {
	ds, _ := nginxconf.Parse(strings.NewReader("worker_processes two;"), "/etc/nginx/nginx.conf")
	d := ds[0]
	fmt.Println(d.Errorf("invalid value \"%s\" in \"%s\" directive", d.Args[0], d.Name))
	// Output:
	// invalid value "two" in "worker_processes" directive in /etc/nginx/nginx.conf:1
}
