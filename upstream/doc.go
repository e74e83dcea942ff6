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
// setclientcert (it takes ngx.ssl's FFI objects) is not provided yet.
// (ngx.socket.udp, which keeps no pool, and ngx.req.socket, which reads the request body with
// this package's ReadLine, ReadN, ReadAll, ReadAny and Until, live with the Lua binding in
// internal/ngxlua.)
//
// # Reverse proxy
//
// Proxy is nginx's proxy module (proxy_pass) over a Group, an upstream {} block: Group chooses
// servers with nginx's smooth weighted round robin (ngx_http_upstream_round_robin.c, not
// lua-resty-balancer's RoundRobin) or, as Group.Balance says, least_conn, ip_hash, hash or
// hash consistent (ketama), each choosing the server nginx would for the same key, counts
// failures (max_fails within fail_timeout makes a
// server unavailable for fail_timeout), turns to backup servers only when no primary one is
// available, and keeps idle connections to each server in this package's Pools (keepalive,
// keepalive_timeout, keepalive_requests). Proxy.Do sends an Outgoing request whose URI and
// header fields the caller computed, tries the next server as proxy_next_upstream says (each
// server once per request, a keepalive connection its server closed not counting as a try),
// and returns the Response with its body streaming, or a ProxyError with the status nginx
// answers (502, 504) and nginx's error-log message. Response.Attempts are $upstream_addr,
// $upstream_status and the $upstream_*_time variables, with each failed try's log message.
// Proxy.ServeHTTP makes it an http.Handler with nginx's default header rules (DefaultFields,
// CopyHeader, DefaultHiddenHeaders); NewURLProxy is proxy_pass http://host:port. The
// nginx.conf loader (resty/nginxconf) builds proxy_pass, upstream blocks and proxy_cache on
// them. Proxy.TLS makes the servers HTTPS servers, nginx's proxy_pass https:// with the
// proxy_ssl_* directives (ProxyTLS, whose zero value is nginx's defaults: no SNI, no
// verification, TLS 1.2 and 1.3, sessions reused). The handshake counts in ConnectTimeout,
// its failures are tries worded as nginx's error log ("upstream SSL certificate verify error:
// (21:unable to verify the first certificate) while SSL handshaking to upstream"), and TLS
// connections are kept alive apart from plain ones; NewURLProxy takes https://host[:port].
// Response.Upgrade takes over the connection of a 101 response, for a WebSocket tunnel.
// Where it differs from nginx: the client's fields are sent sorted in canonical case (an
// http.Header keeps no order), a response header line without a colon is refused (net/http's
// parser), keepalive limits the idle connections per server rather than per group, and host
// names are resolved at each connect.
package upstream
