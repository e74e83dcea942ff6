package resty

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/goresty/goresty/sharedict"
	"github.com/goresty/goresty/upstream"
)

// Config describes a Handler. The zero value is usable: it passes every request to Next.
type Config struct {
	// Next is the application handler. It serves the content of every location that has no
	// content hook. Nil means such locations answer 404, as nginx does without a content handler.
	Next http.Handler
	// Locations are matched against each request's path with nginx's rules (see Location.Match).
	// A request that matches none is served as if by a location "/" without hooks.
	Locations []Location
	// Hooks are handler-wide: init hooks run once in New; hooks of request phases apply to every
	// location that has no hook of that phase itself, as nginx inherits *_by_lua from server level.
	Hooks []Hook
	// Logger receives error-log lines (hook failures, ngx.log). Nil means slog.Default().
	Logger *slog.Logger
	// ServerTokens is the footer of error pages. Empty means "goresty".
	ServerTokens string
	// Server is the Server header of every response that sets none (nginx sends
	// "nginx/1.22.1"). Empty sends none.
	Server string
	// DefaultType is the Content-Type of responses that set none (nginx's default_type).
	// Empty means "text/plain"; "-" means none.
	DefaultType string
	// Variables declares the user variables hooks may assign (nginx's "set $name ...", which
	// declares $name for the whole configuration); set_by_lua hooks declare theirs. Assigning
	// an undeclared variable fails as in nginx.
	Variables []string
	// UnderscoresInHeaders keeps request headers whose names hold "_"; nginx (and so goresty)
	// ignores them by default.
	UnderscoresInHeaders bool
	// ServerName is the server's name (nginx's first server_name): $server_name, and $host for
	// a request without a Host (HTTP/1.0, or after ngx.req.clear_header("Host")).
	ServerName string
	// ErrorPages maps statuses to the pages that answer them instead of nginx's own
	// (error_page): a request that ends with such a status is redirected internally to the
	// page's URI, once.
	ErrorPages map[int]ErrorPage
	// Lua configures the Lua states that run Lua hooks.
	Lua LuaConfig
	// MaxBodySize is the largest request body accepted, in bytes (client_max_body_size); a
	// larger one is answered with 413. Zero means nginx's default of 1 MiB; negative means no limit.
	MaxBodySize int64
	// SharedDicts are the dicts Lua hooks reach as ngx.shared.NAME (lua_shared_dict), in every
	// phase, init and init_worker included. Each is shared by every Lua state and goroutine of
	// the Handler; the Handler neither creates nor closes them. A name must not be empty and a
	// dict not nil. In a request a *sharedict.Dict runs at the request's cached time (ngx.now),
	// as nginx's dicts do.
	SharedDicts map[string]sharedict.Store
}

// Location is a location block: which requests it serves and its hooks.
type Location struct {
	// Match is the location's pattern with nginx's modifiers:
	//   "= /exact"     only this path; checked first
	//   "/prefix"      the longest matching prefix wins, unless a regex matches
	//   "^~ /prefix"   a prefix that, when longest, skips the regexes
	//   "~ regex"      a case-sensitive regular expression, tried in config order
	//   "~* regex"     a case-insensitive regular expression
	//   "@name"        a named location, reached only by an internal redirect (Request.Exec)
	Match string
	// Hooks run in their phases, in the order given.
	Hooks []Hook
	// Next, when set, serves this location's content instead of Config.Next.
	Next http.Handler
	// DefaultType, when set, replaces Config.DefaultType here ("-" for none).
	DefaultType string
	// MaxBodySize, when not zero, replaces Config.MaxBodySize here (negative: no limit).
	MaxBodySize int64
	// ErrorPages, when not nil, replace Config.ErrorPages here, as an error_page directive in a
	// location replaces the server's (nginx inherits error_page only into a level that has none).
	ErrorPages map[int]ErrorPage
}

// ErrorPage is the page of an error status (nginx's error_page).
type ErrorPage struct {
	// URI is a local path (with ?args) or a named location "@name".
	URI string
	// Status, when not zero, replaces the status of the response (error_page 404 =200 /x).
	Status int
}

// LuaConfig configures how a Handler runs Lua hooks. The zero value is usable.
type LuaConfig struct {
	// PackagePath is where require looks for Lua modules, in lua_package_path's syntax:
	// ";"-separated templates with "?" for the module name, ";;" for the default path, and
	// "$prefix" for Prefix.
	PackagePath string
	// Prefix is nginx's prefix: $prefix in PackagePath, and the base of relative LuaFile paths.
	Prefix string
	// Workers is the number of Lua VMs, as nginx's worker_processes: each has its own globals,
	// modules and init_worker run, and runs one request's Lua at a time (a request gives its VM
	// up while it waits, in ngx.sleep or on the client). Zero means GOMAXPROCS.
	Workers int
	// MaxStates bounds the requests holding Lua at once: a request holds a light Lua thread of a
	// VM (about 2 KB) from its first Lua hook to its end, and waits for one while all are busy.
	// Its subrequests (ngx.location.capture) do not count. Zero means 1024 × Workers.
	MaxStates int
	// Timeout stops a Lua hook that runs longer, with a 500. Zero means no limit.
	Timeout time.Duration
	// MaxBytes caps the strings Lua code builds. Zero means 64 MiB; negative means no cap.
	MaxBytes int
	// NoCodeCache is lua_code_cache off, for development: Lua files (LuaFile hooks and modules)
	// that changed on disk are compiled again and used by the next request.
	NoCodeCache bool
	// Sockets are the cosocket directives (lua_socket_*_timeout, lua_socket_pool_size,
	// lua_socket_keepalive_timeout, lua_ssl_trusted_certificate relative to Prefix,
	// lua_ssl_verify_depth); zero values are nginx's defaults.
	Sockets upstream.Settings
}

// maxBodyDefault is nginx's default client_max_body_size.
const maxBodyDefault = 1 << 20

// maxRedirects bounds internal redirects (Exec) per request, as nginx's NGX_HTTP_MAX_URI_CHANGES.
const maxRedirects = 10

// sharedDicts checks Config.SharedDicts and copies it, so that the Handler does not see later
// changes to the caller's map.
func sharedDicts(dicts map[string]sharedict.Store) (map[string]sharedict.Store, error) {
	out := make(map[string]sharedict.Store, len(dicts))
	for name, d := range dicts {
		switch {
		case name == "":
			return nil, fmt.Errorf("shared dict with an empty name")
		case d == nil:
			return nil, fmt.Errorf("shared dict %q: nil dict", name)
		}
		out[name] = d
	}
	return out, nil
}
