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
// A case may add to the http block ("--- http_config": upstream blocks, proxy_cache_path,
// lua_shared_dict, their names under the case's name too); its lines are joined onto the
// http block's one line. "@PORT@" anywhere in a case stands for the port of the server that
// runs it (an upstream block cannot use $server_port).
//
// Every location of a case lives under the case's name (/say_nested, /say_nested/x,
// @say_nested_x), so that all cases share ONE nginx (StartNginx: one process, master_process
// off, daemon off, on a free loopback port, so it runs as root and as any user) and ONE goresty
// server (StartGoresty: nginxconf.LoadSnippet of the same server body). Both lay nginx.conf out
// as /work/shared/oracle/nginx-lua does. Requests are written by hand, so both servers receive
// the same bytes; each is followed by a request to /__ready, which nginx's single worker answers
// only after it finished the case's request, so its error-log lines are in.
//
// The results of nginx are recorded in testdata/*.golden: TestOracle compares goresty with live
// nginx when it is installed, else with the recordings; `go test -update` rewrites them (and
// reports when live nginx no longer agrees with them). ORACLETEST_CASES=file.cases runs other
// cases (explore: the goldens go next to the file); ORACLETEST_NO_NGINX=1 forces the recordings;
// ORACLETEST_RUN_SKIPPED=1 compares the skipped cases too.
//
// What the comparison leaves out or normalises, because it is how net/http or the machine
// differ from nginx, not how goresty differs from OpenResty:
//
//   - the Server, Date, Connection, Keep-Alive, Content-Length and Transfer-Encoding headers
//     (nginx streams Lua output chunked where net/http may send a length; the body is compared
//     byte for byte instead);
//   - the case of header names (net/http canonicalizes them; HTTP names are case-insensitive),
//     and reason phrases;
//   - the port after localhost or 127.0.0.1 (absolute redirects, log lines): the servers listen on
//     different free ports;
//   - the addresses in cosocket log lines ("u:00007F6742A70060"), except null ones;
//   - in the error log: the timestamp, pid, connection number, the ", client: ..., request: ..."
//     suffix and nginx's " while sending to client"-style context; debug-level lines that do
//     not come from ngx.log (Debian builds nginx --with-debug); the warning of ngx.sleep(0)
//     (Debian's nginx lacks OpenResty's delayed-events patch). A message's continuation lines
//     (tracebacks) are compared: goresty words them as LuaJIT does;
//   - the lines of Lua chunk names (content_by_lua(nginx.conf:N)) are counted from the start of
//     the case's config, so that adding a case changes no recording;
//   - the position lua-resty-core's own Lua code gives its errors
//     (".../resty/core/ctx.lua:123: ", ".../ngx/semaphore.lua:129: "): goresty's binding is Go and
//     has no such file;
//   - error pages: nginx runs with server_tokens off and goresty with ServerTokens "nginx/...",
//     so both footers read "nginx".
//
// A case that goresty cannot pass yet carries "--- skip: needs <package>: <what differs>"; nginx
// still runs it, so its recording stays current.
package oracletest
