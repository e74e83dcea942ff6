package nginxconf

import "strings"

// dirContext is where a directive may appear, as nginx's NGX_*_CONF flags.
type dirContext uint16

const (
	ctxMain dirContext = 1 << iota
	ctxEvents
	ctxHTTP
	ctxServer
	ctxLocation
	ctxServerIf
	ctxLocationIf
	ctxTypes
)

const (
	ctxHSL   = ctxHTTP | ctxServer | ctxLocation
	ctxSL    = ctxServer | ctxLocation
	ctxRwAll = ctxServer | ctxLocation | ctxServerIf | ctxLocationIf
)

// directiveKind says what the loader does with a directive.
type directiveKind uint8

const (
	kindHandled     directiveKind = iota // the loader gives it meaning
	kindIgnored                          // accepted; means nothing inside one Go process
	kindUnsupported                      // a feature goresty does not have yet
)

// spec describes a directive: where it may appear and its arguments, as nginx checks them
// before calling the directive's handler.
type spec struct {
	ctx     dirContext
	min     int // arguments
	max     int // -1: any number
	block   bool
	kind    directiveKind
	onlyOne bool // "is duplicate" when repeated in one block
	// httpOnly marks a directive nginx also takes in server and location blocks that goresty
	// takes only in http (one setting per Handler).
	httpOnly bool
}

// luaPhases are the *_by_lua directive families and where they may appear.
var luaPhases = map[string]dirContext{
	"init_by_lua":          ctxHTTP,
	"init_worker_by_lua":   ctxHTTP,
	"set_by_lua":           ctxRwAll,
	"rewrite_by_lua":       ctxHSL | ctxLocationIf,
	"access_by_lua":        ctxHSL | ctxLocationIf,
	"content_by_lua":       ctxLocation | ctxLocationIf,
	"header_filter_by_lua": ctxHSL | ctxLocationIf,
	"body_filter_by_lua":   ctxHSL | ctxLocationIf,
	"log_by_lua":           ctxHSL | ctxLocationIf,
}

var specs = map[string]spec{
	// Structure.
	"events":   {ctx: ctxMain, block: true, onlyOne: true},
	"http":     {ctx: ctxMain, block: true, onlyOne: true},
	"server":   {ctx: ctxHTTP, block: true},
	"location": {ctx: ctxSL, min: 1, max: 2, block: true},
	"if":       {ctx: ctxServer | ctxLocation, min: 1, max: -1, block: true},
	"types":    {ctx: ctxHSL, block: true},
	"map":      {ctx: ctxHTTP, min: 2, max: 2, block: true},

	// Main dirContext: one Go process has no workers, master or pid file.
	"worker_processes":        {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"daemon":                  {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"master_process":          {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"pid":                     {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"load_module":             {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"user":                    {ctx: ctxMain, min: 1, max: 2, kind: kindIgnored},
	"worker_rlimit_nofile":    {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"worker_cpu_affinity":     {ctx: ctxMain, min: 1, max: -1, kind: kindIgnored},
	"worker_priority":         {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"worker_shutdown_timeout": {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"timer_resolution":        {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"pcre_jit":                {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"lock_file":               {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"working_directory":       {ctx: ctxMain, min: 1, max: 1, kind: kindIgnored},
	"env":                     {ctx: ctxMain, min: 1, max: 1},
	"error_log":               {ctx: ctxMain | ctxHSL, min: 1, max: 2},
	"worker_connections":      {ctx: ctxEvents, min: 1, max: 1},
	"use":                     {ctx: ctxEvents, min: 1, max: 1, kind: kindIgnored},
	"multi_accept":            {ctx: ctxEvents, min: 1, max: 1, kind: kindIgnored},
	"accept_mutex":            {ctx: ctxEvents, min: 1, max: 1, kind: kindIgnored},
	"accept_mutex_delay":      {ctx: ctxEvents, min: 1, max: 1, kind: kindIgnored},

	// Tuning knobs of nginx's own I/O and hash tables.
	"sendfile":                      {ctx: ctxHSL | ctxLocationIf, min: 1, max: 1, kind: kindIgnored},
	"tcp_nopush":                    {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"tcp_nodelay":                   {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"types_hash_max_size":           {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"types_hash_bucket_size":        {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"server_names_hash_max_size":    {ctx: ctxHTTP, min: 1, max: 1, kind: kindIgnored},
	"map_hash_max_size":             {ctx: ctxHTTP, min: 1, max: 1, kind: kindIgnored},
	"map_hash_bucket_size":          {ctx: ctxHTTP, min: 1, max: 1, kind: kindIgnored},
	"server_names_hash_bucket_size": {ctx: ctxHTTP, min: 1, max: 1, kind: kindIgnored},
	"variables_hash_max_size":       {ctx: ctxHTTP, min: 1, max: 1, kind: kindIgnored},
	"variables_hash_bucket_size":    {ctx: ctxHTTP, min: 1, max: 1, kind: kindIgnored},
	"client_body_buffer_size":       {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"client_header_buffer_size":     {ctx: ctxHTTP | ctxServer, min: 1, max: 1, kind: kindIgnored},
	"large_client_header_buffers":   {ctx: ctxHTTP | ctxServer, min: 2, max: 2, kind: kindIgnored},
	"open_file_cache":               {ctx: ctxHSL, min: 1, max: 2, kind: kindIgnored},
	"output_buffers":                {ctx: ctxHSL, min: 2, max: 2, kind: kindIgnored},
	"keepalive_requests":            {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"reset_timedout_connection":     {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"lua_package_cpath":             {ctx: ctxHTTP, min: 1, max: 1, kind: kindIgnored},
	"lua_regex_cache_max_entries":   {ctx: ctxHTTP, min: 1, max: 1, kind: kindIgnored},
	"lua_max_pending_timers":        {ctx: ctxHTTP, min: 1, max: 1, kind: kindIgnored},
	"lua_max_running_timers":        {ctx: ctxHTTP, min: 1, max: 1, kind: kindIgnored},
	"log_subrequest":                {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"recursive_error_pages":         {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},

	// HTTP directives with meaning here.
	"listen":                  {ctx: ctxServer, min: 1, max: -1},
	"server_name":             {ctx: ctxServer, min: 1, max: -1},
	"default_type":            {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"root":                    {ctx: ctxHSL | ctxLocationIf, min: 1, max: 1, onlyOne: true},
	"alias":                   {ctx: ctxLocation, min: 1, max: 1, onlyOne: true},
	"index":                   {ctx: ctxHSL, min: 1, max: -1},
	"client_max_body_size":    {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"keepalive_timeout":       {ctx: ctxHSL, min: 1, max: 2, onlyOne: true},
	"access_log":              {ctx: ctxHSL | ctxLocationIf, min: 1, max: -1},
	"log_format":              {ctx: ctxHTTP, min: 2, max: -1},
	"add_header":              {ctx: ctxHSL | ctxLocationIf, min: 2, max: 3},
	"error_page":              {ctx: ctxHSL | ctxLocationIf, min: 2, max: -1},
	"server_tokens":           {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"absolute_redirect":       {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"port_in_redirect":        {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"server_name_in_redirect": {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"log_not_found":           {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"internal":                {ctx: ctxLocation, onlyOne: true},
	"set":                     {ctx: ctxRwAll, min: 2, max: 2},
	"return":                  {ctx: ctxRwAll, min: 1, max: 2},
	"rewrite":                 {ctx: ctxRwAll, min: 2, max: 3},
	"break":                   {ctx: ctxRwAll},
	"lua_shared_dict":         {ctx: ctxHTTP, min: 2, max: 2},
	"lua_package_path":        {ctx: ctxHTTP, min: 1, max: 1, onlyOne: true},
	"lua_code_cache":          {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"lua_need_request_body":   {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"underscores_in_headers":  {ctx: ctxHTTP | ctxServer, min: 1, max: 1, onlyOne: true},
	"charset":                 {ctx: ctxHSL | ctxLocationIf, min: 1, max: 1, onlyOne: true},
	"charset_types":           {ctx: ctxHSL, min: 1, max: -1, onlyOne: true},
	"gzip":                    {ctx: ctxHSL | ctxLocationIf, min: 1, max: 1, onlyOne: true},
	"allow":                   {ctx: ctxHSL, min: 1, max: 1},
	"deny":                    {ctx: ctxHSL, min: 1, max: 1},
	"try_files":               {ctx: ctxSL, min: 2, max: -1, onlyOne: true},
	"expires":                 {ctx: ctxHSL | ctxLocationIf, min: 1, max: 2, onlyOne: true},
	"limit_req_zone":          {ctx: ctxHTTP, min: 3, max: 3},
	"limit_req":               {ctx: ctxHSL, min: 1, max: 3},
	"limit_req_status":        {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"limit_req_log_level":     {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"limit_req_dry_run":       {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},

	// Upstreams and proxy_pass (package upstream), the response cache (package cache).
	"upstream":                      {ctx: ctxHTTP, min: 1, max: 1, block: true},
	"proxy_pass":                    {ctx: ctxLocation, min: 1, max: 1, onlyOne: true},
	"proxy_set_header":              {ctx: ctxHSL, min: 2, max: 2},
	"proxy_http_version":            {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_connect_timeout":         {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_send_timeout":            {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_read_timeout":            {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_hide_header":             {ctx: ctxHSL, min: 1, max: 1},
	"proxy_pass_header":             {ctx: ctxHSL, min: 1, max: 1},
	"proxy_next_upstream":           {ctx: ctxHSL, min: 1, max: -1, onlyOne: true},
	"proxy_next_upstream_tries":     {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_next_upstream_timeout":   {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_pass_request_headers":    {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_pass_request_body":       {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_intercept_errors":        {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_ssl_server_name":         {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_ssl_name":                {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_ssl_verify":              {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_ssl_trusted_certificate": {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_ssl_verify_depth":        {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_ssl_certificate":         {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_ssl_certificate_key":     {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_ssl_protocols":           {ctx: ctxHSL, min: 1, max: -1, onlyOne: true},
	"proxy_ssl_session_reuse":       {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_ssl_ciphers":             {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"proxy_redirect":                {ctx: ctxHSL, min: 1, max: 2},
	"proxy_cache_path":              {ctx: ctxHTTP, min: 2, max: -1},
	"proxy_cache":                   {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_cache_key":               {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_cache_valid":             {ctx: ctxHSL, min: 1, max: -1},
	"proxy_cache_methods":           {ctx: ctxHSL, min: 1, max: -1, onlyOne: true},
	"proxy_cache_min_uses":          {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_cache_bypass":            {ctx: ctxHSL, min: 1, max: -1},
	"proxy_no_cache":                {ctx: ctxHSL, min: 1, max: -1},
	"proxy_cache_use_stale":         {ctx: ctxHSL, min: 1, max: -1, onlyOne: true},
	"proxy_cache_background_update": {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_cache_lock":              {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_cache_lock_timeout":      {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_cache_lock_age":          {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_cache_revalidate":        {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_cache_convert_head":      {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"proxy_ignore_headers":          {ctx: ctxHSL, min: 1, max: -1, onlyOne: true},
	"proxy_buffering":               {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"proxy_request_buffering":       {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"proxy_buffer_size":             {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"proxy_buffers":                 {ctx: ctxHSL, min: 2, max: 2, kind: kindIgnored},
	"proxy_busy_buffers_size":       {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"proxy_max_temp_file_size":      {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"proxy_temp_file_write_size":    {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"proxy_temp_path":               {ctx: ctxHSL, min: 1, max: 4, kind: kindIgnored},
	"proxy_socket_keepalive":        {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},
	"proxy_ignore_client_abort":     {ctx: ctxHSL, min: 1, max: 1, kind: kindIgnored},

	// Cosockets (package upstream), one setting per server: in http only.
	"lua_socket_log_errors":        {ctx: ctxHSL, min: 1, max: 1, onlyOne: true},
	"lua_socket_connect_timeout":   {ctx: ctxHSL, min: 1, max: 1, onlyOne: true, httpOnly: true},
	"lua_socket_send_timeout":      {ctx: ctxHSL, min: 1, max: 1, onlyOne: true, httpOnly: true},
	"lua_socket_read_timeout":      {ctx: ctxHSL, min: 1, max: 1, onlyOne: true, httpOnly: true},
	"lua_socket_keepalive_timeout": {ctx: ctxHSL, min: 1, max: 1, onlyOne: true, httpOnly: true},
	"lua_socket_pool_size":         {ctx: ctxHSL, min: 1, max: 1, onlyOne: true, httpOnly: true},
	"lua_ssl_trusted_certificate":  {ctx: ctxHSL, min: 1, max: 1, onlyOne: true, httpOnly: true},
	"lua_ssl_verify_depth":         {ctx: ctxHSL, min: 1, max: 1, onlyOne: true, httpOnly: true},
}

// unsupported are nginx directives of features goresty does not have yet; they are refused with
// "not supported yet" rather than "unknown".
var unsupported = []string{
	"proxy_", "fastcgi_", "uwsgi_", "scgi_", "grpc_", "memcached_",
	"limit_conn", "limit_rate", "ssl", "geo", "split_clients", "auth_basic",
	"auth_request", "source_charset", "override_charset", "charset_map", "sub_filter", "ssi", "autoindex",
	"satisfy", "resolver", "real_ip", "set_real_ip_from", "mirror", "slice",
	"stream", "mail", "balancer_by_lua", "ssl_certificate_by_lua", "ssl_session_",
	"ssl_client_hello_by_lua", "exit_worker_by_lua", "lua_socket_", "lua_ssl_", "lua_capture_",
	"lua_check_client_abort", "lua_transform_underscores_in_response_headers",
	"lua_use_default_type", "lua_http10_buffering", "lua_malloc_trim", "lua_load_resty_core",
	"lua_sa_restart", "lua_thread_cache_max_entries", "lua_worker_thread_vm_pool_size",
	"rewrite_by_lua_no_postpone", "access_by_lua_no_postpone", "lua_shared_mem", "http2",
	"add_trailer", "etag", "if_modified_since", "internal_redirect", "open_log_file_cache",
	"postpone_output", "send_timeout", "client_body_timeout", "client_header_timeout",
	"ignore_invalid_headers", "merge_slashes", "msie_", "directio",
	"aio", "disable_symlinks", "dav_", "create_full_put_path", "min_delete_depth",
	"secure_link", "userid", "empty_gif", "flv", "mp4", "image_filter", "xslt", "perl",
	"random_index", "stub_status", "uninitialized_variable_warn", "rewrite_log",
}

// lookupSpec returns the spec of a directive name and whether nginx knows it at all.
func lookupSpec(name string) (spec, bool) {
	if s, ok := specs[name]; ok {
		return s, true
	}
	if strings.HasPrefix(name, "gzip_") {
		// Knobs of gzip, which may only be off (checkGzip).
		return spec{ctx: ctxHSL | ctxLocationIf, min: 1, max: -1, kind: kindIgnored}, true
	}
	if fam, ok := luaFamily(name); ok {
		return luaSpec(fam, strings.HasSuffix(name, "_block")), true
	}
	for _, p := range unsupported {
		if name == p || strings.HasSuffix(p, "_") && strings.HasPrefix(name, p) ||
			strings.HasPrefix(name, p+"_") {
			return spec{ctx: ^dirContext(0), max: -1, kind: kindUnsupported}, true
		}
	}
	return spec{}, false
}

// luaSpec is the spec of a *_by_lua directive: the code (or file) as the last argument, or a
// block; set_by_lua takes its variable first and arguments after the code.
func luaSpec(fam string, block bool) spec {
	s := spec{ctx: luaPhases[fam], min: 1, max: 1, onlyOne: fam != "set_by_lua"}
	switch {
	case block && fam == "set_by_lua":
		s.min, s.max, s.block = 1, 1, true
	case block:
		s.min, s.max, s.block = 0, 0, true
	case fam == "set_by_lua":
		s.min, s.max = 2, -1
	}
	return s
}

// luaFamily returns the *_by_lua family of a directive name ("content_by_lua" for
// content_by_lua, content_by_lua_block and content_by_lua_file).
func luaFamily(name string) (string, bool) {
	for _, suffix := range [...]string{"", "_block", "_file"} {
		base, ok := strings.CutSuffix(name, suffix)
		if !ok {
			continue
		}
		if _, known := luaPhases[base]; known {
			return base, true
		}
	}
	return "", false
}

// check validates a directive against its spec in dirContext c, with nginx's messages.
func check(d *Directive, c dirContext) (spec, error) {
	s, known := lookupSpec(d.Name)
	if !known {
		return s, d.Errorf("unknown directive %q", d.Name)
	}
	if s.kind == kindUnsupported {
		return s, d.Errorf("%q directive is not supported yet", d.Name)
	}
	if s.ctx&c == 0 {
		return s, d.Errorf("%q directive is not allowed here", d.Name)
	}
	if s.httpOnly && c != ctxHTTP {
		return s, d.Errorf("%q directive is supported only in the http block (one setting for all servers)", d.Name)
	}
	if s.block != d.HasBlock {
		if s.block {
			return s, d.Errorf("directive %q has no opening \"{\"", d.Name)
		}
		return s, d.Errorf("directive %q is not terminated by \";\"", d.Name)
	}
	if len(d.Args) < s.min || s.max >= 0 && len(d.Args) > s.max {
		return s, d.Errorf("invalid number of arguments in %q directive", d.Name)
	}
	return s, nil
}

// checkBlock validates every directive of a block and the "is duplicate" rule.
func checkBlock(ds []*Directive, c dirContext) error {
	seen := map[string]bool{}
	for _, d := range ds {
		s, err := check(d, c)
		if err != nil {
			return err
		}
		if s.onlyOne {
			key := d.Name
			if fam, ok := luaFamily(d.Name); ok {
				key = fam
			}
			if seen[key] {
				return d.Errorf("%q directive is duplicate", d.Name)
			}
			seen[key] = true
		}
	}
	return nil
}
