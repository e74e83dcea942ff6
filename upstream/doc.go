// Package upstream holds goresty's upstream connections: the keepalive pools behind
// lua-nginx-module's TCP cosockets (ngx.socket.tcp), on github.com/jackc/puddle/v2, and
// lua-resty-balancer's load balancers, CHash (consistent hashing) and RoundRobin (weighted),
// which Lua code requires as resty.chash and resty.roundrobin (LuaModules).
//
// A resty.Handler owns one Pools, as an nginx worker owns its cosocket pools, and closes it
// with the Handler. A pool is named by connect's "pool" option, else by "host:port" (or the
// "unix:" path), and is made either by a connect that asks for one (pool_size or backlog) or
// by the first setkeepalive on a connection of that name. Its semantics are lua-nginx-module's:
//
//   - a pool keeps up to its size idle connections; keeping one more closes the least recently
//     used; connect takes the most recently kept first (getreusedtimes counts the reuses);
//   - an idle connection closes after its keepalive timeout (0: never), or when its peer closes
//     it or sends anything (checked when it is taken, where nginx checks on the read event);
//   - setkeepalive refuses a connection its peer closed ("closed"), one with data received and
//     not read ("unread data in buffer"), or with data arriving ("connection in dubious state");
//   - a pool made with a backlog limits its open connections (idle, in use, connecting) to its
//     size; further connects wait, at most backlog of them ("too many waiting connect
//     operations"), each up to its connect timeout ("timeout").
//
// As in nginx, a connection left open when its request ends is closed then, and a socket used
// by another request or timer than its own raises "bad request".
//
// Where goresty differs from lua-nginx-module: host names are resolved with Go's resolver
// (nginx needs a resolver directive and fails with "no resolver defined to resolve");
// sslhandshake runs on crypto/tls, so a failed handshake other than a verification failure
// reads "handshake failed" with Go's reason in the log, where nginx logs OpenSSL's;
// setclientcert (it takes ngx.ssl's FFI objects) and the raw ngx.req.socket(true) are not
// provided yet.
// (ngx.socket.udp, which keeps no pool, and ngx.req.socket, which reads the request body with
// this package's ReadLine, ReadN, ReadAll, ReadAny and Until, live with the Lua binding in
// internal/ngxlua.)
package upstream
