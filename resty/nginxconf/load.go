package nginxconf

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/goresty/goresty/cache"

	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/sharedict"
	"github.com/goresty/goresty/upstream"
)

// LoadOptions configure Load and LoadSnippet. The zero value is usable.
type LoadOptions struct {
	// Prefix is nginx's prefix (nginx -p): relative paths of root, access_log, error_log,
	// *_by_lua_file and $prefix in lua_package_path resolve against it. Empty means the current
	// directory.
	Prefix string
	// ErrorLog, when set, receives the error log in nginx's line format instead of the files
	// that error_log names; the level still comes from error_log.
	ErrorLog io.Writer
	// Logger, when set, receives the error log instead of error_log's files, at every level;
	// error_log is then checked but has no effect.
	Logger *slog.Logger
	// ServerTokens is the server's name in the footer of error pages, as nginx prints
	// "nginx/1.22.1"; empty means "goresty". With server_tokens off, the part before "/" is
	// printed.
	ServerTokens string
	// LuaTimeout stops a Lua hook that runs longer, with a 500 (resty.LuaConfig.Timeout).
	// Zero means no limit, as in nginx.
	LuaTimeout time.Duration
	// Previous is the configuration the loaded one replaces (a reload): its shared dicts whose
	// name and size stay the same are kept, with their data, as nginx keeps shared memory
	// zones. Previous stays usable until it is closed.
	Previous *Config
}

// Config is a loaded nginx configuration: the servers of its http block, each with the
// resty.Handler that serves it.
type Config struct {
	// File is the configuration file Config was loaded from.
	File string
	// Prefix is the prefix relative paths were resolved against.
	Prefix string
	// Servers are the http block's server blocks, in order.
	Servers []*Server
	// SharedDicts are the lua_shared_dict zones, in order.
	SharedDicts []SharedDict
	// WorkerConnections is events { worker_connections }: the number of connections to serve
	// at once; 0 when not set.
	WorkerConnections int
	// Env are the env directives of the main context: "NAME" or "NAME=value".
	Env []string

	logs       *logFiles
	mainLog    *slog.Logger
	zones      *zones
	held       map[string]*zone
	limitZones map[string]*limitZone
	groups     []*upstream.Group
	caches     []*cache.Responses
	dyn        *dynGroups
}

// Server is a server block.
type Server struct {
	// Listen are the addresses the server listens on (listen); nginx's default is *:80 (*:8000
	// when not run by root).
	Listen []Listen
	// Names are the server's names (server_name), as written.
	Names []string
	// Handler serves the server's locations.
	Handler *resty.Handler
	// KeepaliveTimeout is how long an idle keep-alive connection stays open
	// (keepalive_timeout); zero disables keep-alive.
	KeepaliveTimeout time.Duration
	// File and Line locate the server block.
	File string
	Line int

	names   serverNames
	matches []string // the flattened locations, for tests
}

// Listen is one listen directive.
type Listen struct {
	// Network is "tcp" or "unix".
	Network string
	// Addr is "host:port" ("[::1]:80"; host empty for every address) or a socket path.
	Addr string
	// DefaultServer marks the server that answers requests whose Host no server_name matches.
	DefaultServer bool
}

// SharedDict is a lua_shared_dict zone.
type SharedDict struct {
	// Name is the zone's name (ngx.shared.NAME).
	Name string
	// Size is its capacity in bytes.
	Size int64
}

// Logger returns the error log of the main context (error_log outside http, standard error
// without one), for the messages of the process itself (startup, reload, signals).
func (c *Config) Logger() *slog.Logger { return c.mainLog }

// Close releases what the configuration holds: its handlers' Lua states and its log files.
// Requests must no longer be sent to it; a server that reloads switches to the new Config
// first.
func (c *Config) Close() error {
	for _, s := range c.Servers {
		s.Handler.Close()
	}
	c.releaseZones()
	for _, g := range c.groups {
		g.Close()
	}
	c.groups = nil
	if c.dyn != nil {
		c.dyn.close()
	}
	for _, rc := range c.caches {
		rc.Close()
	}
	c.caches = nil
	return c.logs.close()
}

// ReopenLogs reopens the access and error log files, as nginx does on SIGUSR1.
func (c *Config) ReopenLogs() error { return c.logs.reopen() }

// Load reads the nginx configuration at path (relative to opts.Prefix) and builds a
// resty.Handler for each server of its http block. Errors name the file, the line and the
// directive, as nginx words them: `unknown directive "foo" in /etc/nginx/nginx.conf:12`.
//
// What each directive becomes:
//
//   - server: a Server with its listen addresses (host:port, port, [::1]:port, unix:path,
//     default_server) and server_name (exact, *.example.com, .example.com, www.example.*,
//     ~regex); Config.Handler picks the server as nginx does.
//   - location: every modifier (=, ^~, ~, ~*, @name) and nesting. Nested locations are
//     flattened onto resty's list so that each is reached exactly where nginx reaches it:
//     a regex nested in a prefix location gets a guard that holds only for URIs whose search
//     passes through that prefix (and none of its "^~" children). A nesting the flat list
//     cannot reproduce is refused: a location inside a "^~" location, a non-regex location
//     inside a regex one, a nested location hidden by a longer sibling of its parent.
//     Directives are inherited as nginx merges them.
//   - set, return, rewrite (last, break, redirect, permanent, and none), break, if (with =,
//     !=, ~, ~*, !~, !~*, -f, -d, -e, -x and their negations) and set_by_lua*: Go hooks of
//     the set phase, in order, at server level before the location's; their state (break,
//     a URI changed without flag) is kept with ngx.Request.SetValue. A jump (rewrite ...
//     last, a rewrite without flag) searches the location again without running the
//     server's directives again; an internal redirect runs them again. Regex captures
//     $1..$9 are resty's captures of the location's match (ngx.Request.SetCaptures), replaced
//     by each rewrite, if and map regex that matches and emptied by one that fails, as in
//     nginx; named groups ($name) are variables that a failed match keeps. Only
//     rewrite-module directives may be inside if.
//   - root, alias, index, try_files: the content of a location without content_by_lua*, with
//     nginx's static and index semantics (301 for a directory without "/", 403 for a
//     directory without index, 404, 405 for other methods than GET, HEAD and POST; ETag,
//     Last-Modified, ranges and conditional requests). The default root is "html".
//   - default_type and types: the Content-Type of every response that sets none, by the
//     URI's extension (as it is when the location starts, after rewrite and try_files change
//     it, and when the content phase starts), else the location's default_type
//     (resty.Location.DefaultType), as nginx. Without a types block only html, gif and jpg
//     are known, as in nginx; include a mime.types file for more.
//   - error_page (URIs with their own arguments only, named locations, URLs, =code) and
//     client_max_body_size at every level: resty.Location.ErrorPages and MaxBodySize, so that
//     a location's own error_page directives replace the server's, as nginx inherits them.
//     client_max_body_size is checked where nginx checks it: once a location is found, after
//     the server's rewrite directives and internal, not in a named location nor in the page
//     of an error_page (413's included).
//   - server_tokens: the Server header of every response and the footer of error pages are
//     LoadOptions.ServerTokens ("goresty" by default), its name alone with server_tokens off,
//     as nginx sends "nginx/1.22.1" or "nginx".
//   - internal: a location that only internal redirects reach, and requests whose URI a
//     rewrite changed, as nginx counts those as internal.
//   - charset and charset_types, add_header (always), expires, allow and deny,
//     keepalive_timeout (Server), absolute_redirect, port_in_redirect,
//     server_name_in_redirect, log_not_found, lua_need_request_body, underscores_in_headers.
//   - access_log (files, "off", if=, several) with log_format (escape=default|json|none) and
//     the default "combined" to logs/access.log; error_log (files, stderr, level) at main,
//     http and server level, written in nginx's format.
//   - lua_code_cache off (resty.LuaConfig.NoCodeCache): changed Lua files are compiled
//     again for the next request.
//   - lua_package_path ($prefix, ";;"), init_by_lua*, init_worker_by_lua*, rewrite, access,
//     content, header_filter, body_filter and log_by_lua* (inline, block and file), with
//     OpenResty's chunk names ("content_by_lua(nginx.conf:12)", "@/path/file.lua").
//     Lua syntax errors are load errors. lua_shared_dict makes a sharedict.Dict shared by
//     every server (ngx.shared.NAME; Config.SharedDict for Go), kept across reloads when
//     its name and size stay the same (LoadOptions.Previous).
//   - map (exact strings ignoring case, hostnames wildcards, regexes with captures, default):
//     evaluated when a directive reads the variable; Lua code that names it reads the value
//     it had when the location started.
//   - limit_req_zone, limit_req (burst, nodelay, delay=N), limit_req_status,
//     limit_req_log_level, limit_req_dry_run and $limit_req_status: nginx's limit_req module on
//     package limit. A zone is a sharedict.Dict of its size (not in ngx.shared, kept across
//     reloads as lua_shared_dict is), each limit_req a limit.Req on it; the request is
//     checked once (not again after an internal redirect), before allow, deny and
//     access_by_lua, by all the location's limit_req at once with limit.Combine (none charged
//     unless all admit), waits the delay of the slowest, or ends with limit_req_status (503).
//     As nginx, the rate is kept in whole thousandths of a request per second (1r/m is
//     0.016 r/s), a request whose key is empty is not limited, and return, which runs in the
//     rewrite phase, comes before limit_req. nginx's limit_req differs from resty.limit.req,
//     which limit.Req is: resty.limit.req delays every excess request (nginx's delay=0) and
//     knows neither delay=N nor several limits at once (resty.limit.traffic's combine does),
//     nor once per request.
//   - lua_socket_connect_timeout, lua_socket_send_timeout, lua_socket_read_timeout,
//     lua_socket_keepalive_timeout, lua_socket_pool_size, lua_ssl_trusted_certificate and
//     lua_ssl_verify_depth, for ngx.socket.tcp (package upstream): in the http block only (one
//     setting for all servers), where nginx also takes them per server and location.
//     lua_socket_log_errors at every level, as nginx.
//   - upstream blocks (server with weight, max_fails, fail_timeout, backup, down; keepalive,
//     keepalive_timeout, keepalive_requests; least_conn, ip_hash, hash $key [consistent],
//     choosing as nginx does, key for key) and proxy_pass to http:// and https:// URLs, an
//     upstream's name or, with variables, an IP address or an upstream's name (no resolver):
//     package upstream's Group and Proxy, with nginx's balancing, next-upstream tries and
//     keepalive pools. The request to the upstream is built as nginx builds it: the
//     URI as the client sent it, or with the location's prefix replaced by the URL's URI part
//     (the whole URI when the location changed it), HTTP/1.0 unless proxy_http_version 1.1,
//     "Host: $proxy_host" and "Connection: close" unless proxy_set_header says otherwise, the
//     client's fields (proxy_pass_request_headers) and body (proxy_pass_request_body), read
//     before connecting. The response passes without Date, Server, X-Pad and X-Accel-* unless
//     proxy_pass_header names them (proxy_hide_header hides more); proxy_redirect (default,
//     off, and text pairs) rewrites Location and Refresh. Failures answer 502 or 504 with
//     nginx's error-log line; proxy_next_upstream(_tries, _timeout),
//     proxy_connect_timeout, proxy_send_timeout and proxy_read_timeout as in nginx;
//     proxy_intercept_errors hands the statuses the location's error_page lists to it;
//     X-Accel-Redirect from the upstream redirects internally (proxy_ignore_headers and
//     proxy_pass_header X-Accel-Redirect keep it from doing so). A 101
//     answer to a request with Upgrade (a WebSocket, with nginx's usual proxy_http_version 1.1
//     and proxy_set_header Upgrade and Connection) is tunnelled both ways, the upstream's
//     reads timing out after proxy_read_timeout, as nginx.
//     https:// upstreams take proxy_ssl_server_name, proxy_ssl_name, proxy_ssl_verify,
//     proxy_ssl_trusted_certificate, proxy_ssl_verify_depth, proxy_ssl_certificate(_key),
//     proxy_ssl_protocols and proxy_ssl_session_reuse, with nginx's defaults (no SNI, no
//     verification); proxy_ssl_ciphers is ignored (Go's suites are used).
//     $upstream_addr, $upstream_status, $upstream_connect_time, $upstream_header_time,
//     $upstream_response_time and $upstream_http_NAME have values once the upstream answered,
//     $proxy_host, $proxy_port and $proxy_add_x_forwarded_for in the proxy's own directives,
//     as in nginx.
//   - proxy_cache_path (keys_zone, max_size, inactive) and proxy_cache, proxy_cache_key,
//     proxy_cache_valid, proxy_cache_methods, proxy_cache_min_uses, proxy_cache_bypass,
//     proxy_no_cache, proxy_cache_use_stale, proxy_cache_background_update, proxy_cache_lock
//     (_timeout, _age), proxy_cache_revalidate, proxy_cache_convert_head and
//     proxy_ignore_headers: a cache.Responses per zone, in memory (the path and the file
//     parameters mean nothing here), with $upstream_cache_status.
//   - nginx's not_modified filter (If-Modified-Since, If-None-Match, If-Unmodified-Since and
//     If-Match against a 200's Last-Modified and ETag) applies to every response but those of
//     Go handlers and uncacheable proxied ones, as in nginx.
//   - env NAME[=value] and events { worker_connections } are recorded in Config.
//
// Accepted and ignored, as meaning nothing inside one Go process: worker_processes, daemon,
// master_process, pid, load_module, user, the other worker_* and events knobs, sendfile,
// tcp_nopush, tcp_nodelay, the hash and buffer sizes, open_file_cache, keepalive_requests,
// lua_package_cpath, gzip off and the gzip_* knobs, proxy_buffering and the proxy's buffer
// and temporary-file knobs, proxy_ignore_client_abort, proxy_socket_keepalive.
// Refused with "not supported yet": the other proxy_* directives (proxy_ssl_crl,
// proxy_store, ...), unix: upstreams, the random balancer, zone and the other
// upstream directives of nginx plus, fastcgi_* and the other backends,
// limit_conn*, limit_rate, ssl and listen ... ssl, gzip on, geo, auth_basic, autoindex,
// satisfy, variables in *_by_lua_file paths and in error_page, and more (see unsupported in
// load_directives.go). Any other name is an "unknown directive".
//
// Known differences: error_log inside a location applies to nothing (the server's logger is
// handler-wide); server_tokens is read at server level, and lua_code_cache off anywhere in a
// server applies to the whole server (both are handler-wide in resty); init_by_lua runs once
// per server (each server is its own Handler with its own Lua states); the env directive
// does not hide other variables from os.getenv. When Lua code changes the URI with
// ngx.req.set_uri and writes output in the same phase, the type is that of the URI the phase
// started with. limit_req computes the excess in float64 where nginx rounds to thousandths of
// a request (a request on the edge of the burst may be decided the other way), its rejection
// log line lacks nginx's excess (limit.Req does not return it), and a delayed request holds
// its goroutine, and its Lua state if Lua ran before, while it waits. A host name in an
// upstream's server is resolved at each connect, where nginx resolves it once into one server
// per address. The client's header fields go upstream in canonical case and sorted by name,
// not as the client ordered them (net/http keeps no order). nginx 1.22 lets a Cache-Control
// that comes before X-Accel-Expires in a response decide its caching; here X-Accel-Expires
// always wins, as in later nginx releases. The proxy cache lives in memory and is emptied by
// a reload.
func Load(path string, opts LoadOptions) (*Config, error) {
	prefix, err := absPrefix(opts.Prefix)
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(prefix, path)
	}
	ds, err := ParseFile(path)
	if err != nil {
		return nil, err
	}
	return build(ds, path, prefix, opts)
}

// LoadSnippet builds the handler of one server from what goes inside server { } and inside
// http { }, laid out as /work/shared/oracle/nginx-lua lays them out in its nginx.conf (so
// line numbers in Lua chunk names agree): a server named localhost with a location
// "= /__ready" that returns 204, access_log off and default_type text/plain, the error log
// at warn level, to standard error unless opts names a writer or logger. include is not
// allowed in a snippet. The handler has a Close method, as *resty.Handler has, that frees
// what the configuration holds (Lua states, upstream connections, response caches, logs).
func LoadSnippet(serverBody, httpBody string, opts LoadOptions) (http.Handler, error) {
	if opts.ErrorLog == nil && opts.Logger == nil {
		opts.ErrorLog = os.Stderr
	}
	text := snippetConfig(serverBody, httpBody)
	ds, err := Parse(strings.NewReader(text), "nginx.conf")
	if err != nil {
		return nil, err
	}
	var inc *Directive
	Walk(ds, func(d *Directive, _ []*Directive) bool {
		if d.Name == "include" && inc == nil {
			inc = d
		}
		return true
	})
	if inc != nil {
		return nil, inc.Errorf("\"include\" directive is not supported in a snippet")
	}
	prefix, err := absPrefix(opts.Prefix)
	if err != nil {
		return nil, err
	}
	c, err := build(ds, "nginx.conf", prefix, opts)
	if err != nil {
		return nil, err
	}
	return &snippetHandler{Handler: c.Servers[0].Handler, c: c}, nil
}

// snippetHandler is the handler LoadSnippet returns: its Close frees the whole configuration.
type snippetHandler struct {
	*resty.Handler
	c *Config
}

// Close closes the configuration's handler, upstream connections, caches and logs.
func (s *snippetHandler) Close() { _ = s.c.Close() }

// snippetConfig lays a snippet out line for line as the oracle script does.
func snippetConfig(serverBody, httpBody string) string {
	var b strings.Builder
	b.WriteString("load_module /usr/lib/nginx/modules/ndk_http_module.so;\n" +
		"load_module /usr/lib/nginx/modules/ngx_http_lua_module.so;\n" +
		"worker_processes 1;\ndaemon on;\nmaster_process off;\nerror_log logs/error.log warn;\n" +
		"pid logs/nginx.pid;\nevents { worker_connections 256; }\nhttp {\n" +
		"    access_log off;\n    default_type text/plain;\n")
	b.WriteString(strings.TrimRight(httpBody, "\n"))
	b.WriteString("\n    server {\n        listen 127.0.0.1:0;\n        server_name localhost;\n" +
		"        location = /__ready { return 204; }\n")
	b.WriteString(strings.TrimRight(serverBody, "\n"))
	b.WriteString("\n    }\n}\n")
	return b.String()
}

func absPrefix(p string) (string, error) {
	if p == "" {
		p = "."
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("prefix %q: %w", p, err)
	}
	return abs, nil
}

// loader holds what building one configuration needs across levels.
type loader struct {
	file    string
	prefix  string
	opts    LoadOptions
	cfg     *Config
	formats map[string]*logFormat
	vars    map[string]bool // variables the configuration defines (set, set_by_lua)
	maps    map[string]*mapVar
	luaPath string
	sockets upstream.Settings // lua_socket_* and lua_ssl_* in http
	http    *Directive
	hooks   []resty.Hook // init and init_worker
	errLog  *errorLog
	groups  map[string]*upstream.Group  // upstream blocks
	caches  map[string]*cache.Responses // proxy_cache_path zones
	dyn     *dynGroups                  // proxy_pass targets that name no upstream block
}

func build(ds []*Directive, file, prefix string, opts LoadOptions) (_ *Config, err error) {
	c := &Config{File: file, Prefix: prefix, logs: newLogFiles(), zones: newZones(),
		held: map[string]*zone{}, limitZones: map[string]*limitZone{}}
	if opts.Previous != nil {
		c.zones = opts.Previous.zones
	}
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	ld := &loader{file: file, prefix: prefix, opts: opts, cfg: c,
		formats: map[string]*logFormat{"combined": combinedFormat()}, vars: map[string]bool{},
		maps: map[string]*mapVar{}, groups: map[string]*upstream.Group{},
		caches: map[string]*cache.Responses{}}
	ld.dyn = &dynGroups{blocks: ld.groups, keys: map[*upstream.Group]*tmpl{}}
	c.dyn = ld.dyn
	if err := ld.main(ds); err != nil {
		return nil, err
	}
	if ld.http == nil {
		return nil, &Error{Msg: "no \"http\" block in " + file}
	}
	if err := ld.httpBlock(ld.http); err != nil {
		return nil, err
	}
	return c, nil
}

// main reads the main context.
func (ld *loader) main(ds []*Directive) error {
	if err := checkBlock(ds, ctxMain); err != nil {
		return err
	}
	var mainLogs []errorLogSpec
	for _, d := range ds {
		switch d.Name {
		case "http":
			ld.http = d
		case "events":
			if err := ld.events(d); err != nil {
				return err
			}
		case "env":
			ld.cfg.Env = append(ld.cfg.Env, d.Args[0])
		case "error_log":
			s, err := parseErrorLog(d)
			if err != nil {
				return err
			}
			mainLogs = append(mainLogs, s)
		}
	}
	if len(mainLogs) == 0 {
		mainLogs = []errorLogSpec{{path: "stderr", level: defaultErrorLevel}}
	}
	el, err := ld.openErrorLog(mainLogs...)
	if err != nil {
		return err
	}
	ld.errLog = el
	ld.cfg.mainLog = ld.logger(el, "")
	return nil
}

func (ld *loader) events(d *Directive) error {
	if err := checkBlock(d.Block, ctxEvents); err != nil {
		return err
	}
	for _, e := range d.Find("worker_connections") {
		n, err := strconv.Atoi(e.Args[0])
		if err != nil || n <= 0 {
			return e.Errorf("invalid value %q in %q directive", e.Args[0], e.Name)
		}
		ld.cfg.WorkerConnections = n
	}
	return nil
}

// path resolves a relative path against the prefix.
func (ld *loader) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(ld.prefix, p)
}

// httpBlock reads the http block: its own directives, then its servers.
func (ld *loader) httpBlock(h *Directive) error {
	if err := checkBlock(h.Block, ctxHTTP); err != nil {
		return err
	}
	collectVars(h.Block, ld.vars)
	for _, d := range h.Find("map") {
		if err := ld.mapBlock(d); err != nil {
			return err
		}
	}
	// Upstream blocks and cache zones may come after the servers that use them.
	for _, d := range h.Find("upstream") {
		if err := ld.upstreamBlock(d); err != nil {
			return err
		}
	}
	for _, d := range h.Find("proxy_cache_path") {
		if err := ld.cachePath(d); err != nil {
			return err
		}
	}
	conf := defaultLevel()
	for _, d := range h.Block {
		var err error
		switch d.Name {
		case "log_format":
			err = ld.logFormat(d)
		case "lua_shared_dict":
			err = ld.sharedDict(d)
		case "limit_req_zone":
			err = ld.limitReqZone(d)
		case "lua_package_path":
			ld.luaPath = d.Args[0]
		case "lua_socket_connect_timeout", "lua_socket_send_timeout", "lua_socket_read_timeout",
			"lua_socket_keepalive_timeout", "lua_socket_pool_size", "lua_ssl_trusted_certificate",
			"lua_ssl_verify_depth":
			err = ld.socketDirective(d)
		case "init_by_lua", "init_by_lua_block", "init_by_lua_file",
			"init_worker_by_lua", "init_worker_by_lua_block", "init_worker_by_lua_file":
			var hk resty.Hook
			hk, err = ld.luaHook(d)
			ld.hooks = append(ld.hooks, hk)
		}
		if err != nil {
			return err
		}
	}
	if err := ld.levelDirectives(h.Block, conf, ctxHTTP); err != nil {
		return err
	}
	servers := h.Find("server")
	if len(servers) == 0 {
		return h.Errorf("no \"server\" block in \"http\"")
	}
	for _, s := range servers {
		srv, err := ld.server(s, conf)
		if err != nil {
			return err
		}
		ld.cfg.Servers = append(ld.cfg.Servers, srv)
	}
	return checkListens(ld.cfg.Servers)
}

func (ld *loader) sharedDict(d *Directive) error {
	name := d.Args[0]
	size, err := sharedict.ParseSize(d.Args[1])
	if err != nil || size < 8192 {
		return d.Errorf("invalid lua shared dict size %q", d.Args[1])
	}
	if _, dup := ld.cfg.held[name]; dup {
		return d.Errorf("lua_shared_dict %q is already defined as %q", name, name)
	}
	if _, other := ld.cfg.limitZones[name]; other {
		return d.Errorf("the shared memory zone %q is already declared for a different use", name)
	}
	zn, err := ld.cfg.zones.acquire(name, size, "lua_shared_dict")
	if err != nil {
		return d.Errorf("lua_shared_dict %q: %v", name, err)
	}
	ld.cfg.held[name] = zn
	ld.cfg.SharedDicts = append(ld.cfg.SharedDicts, SharedDict{Name: name, Size: size})
	return nil
}

// onOff parses an on|off flag argument.
func onOff(d *Directive) (bool, error) {
	switch strings.ToLower(d.Args[0]) {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, d.Errorf("invalid value %q in %q directive, it must be \"on\" or \"off\"", d.Args[0], d.Name)
}
