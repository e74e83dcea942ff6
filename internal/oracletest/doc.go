// Package oracletest runs the same nginx location blocks on real nginx + lua-nginx-module (the
// oracle) and on goresty, and compares what a client sees: status, the headers that matter, the
// body, whether the connection was cut, and the essential part of the error log.
//
// A case file (testdata/*.cases) holds cases in a format modelled on OpenResty's Test::Nginx:
//
//	=== say_nested: ngx.say flattens nested arrays
//	--- config
//	location = /say_nested {
//	    content_by_lua_block { ngx.say({"a", {"b", 1}}) }
//	}
//	--- request
//	GET /say_nested?x=1
//	--- request_headers
//	X-Foo: bar
//	--- request_body
//	a=1
//	--- log_level: notice
//	--- skip: needs pipeline: why goresty cannot pass it yet
//
// Every location of a case lives under the case's name (/say_nested, /say_nested/x,
// @say_nested_x), so that all cases share ONE nginx and ONE goresty Handler. The recorded
// results of nginx are kept in testdata/*.golden: tests compare goresty with them always, and
// with a live nginx when one is installed (go test -update rewrites the goldens from it).
//
// What the comparison leaves out, because it is how net/http differs from nginx and not how
// goresty differs from OpenResty:
//
//   - the Server, Date, Connection, Keep-Alive, Content-Length and Transfer-Encoding headers
//     (nginx streams Lua output chunked where net/http may send a length; the body is compared
//     byte for byte instead);
//   - the case of header names (net/http canonicalizes them; HTTP names are case-insensitive);
//   - reason phrases of the status line;
//   - in the error log: the timestamp, pid, connection number, the ", client: ..., request: ..."
//     suffix and nginx's " while sending to client"-style context, and every line of a message
//     after the first (LuaJIT and go-lua print different tracebacks); the lines of a Lua chunk
//     name (content_by_lua(nginx.conf:N)) are counted from the start of the case's config.
package oracletest
