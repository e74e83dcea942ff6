package ngx

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Var returns the value of the nginx variable name (without "$") and whether it is defined:
// uri, document_uri, request_uri, args, query_string, is_args, arg_NAME, http_NAME, cookie_NAME,
// sent_http_NAME, host, hostname, remote_addr, remote_port, server_addr, server_port,
// request_method, scheme, https, server_protocol, content_type, content_length, request_body,
// request, request_length, request_id, remote_user, binary_remote_addr, pid, bytes_sent,
// limit_rate, request_completion, status, request_time, body_bytes_sent, msec, time_local,
// time_iso8601, nginx_version, server_name, and user variables set with SetVar. A defined
// variable with no value (arg_x without x) returns "", false. Names are case-insensitive, as in
// nginx: Var("URI") is Var("uri").
func (r *Request) Var(name string) (string, bool) {
	name = varName(name)
	if v, ok := r.vars[name]; ok {
		return v.value, v.set
	}
	if v, ok := r.provided[name]; ok {
		return v, true
	}
	if src := r.varSource(name); src != nil {
		return src(name)
	}
	if r.opts.Variables[name] && name != "args" && name != "query_string" && name != "limit_rate" {
		// Declared, never assigned: nginx's empty value, with its warning. ("set $args"
		// declares a built-in variable, which has its value.)
		r.Log(LevelWarn, "using uninitialized \""+name+"\" variable")
		return "", true
	}
	if len(name) == 1 && name[0] >= '0' && name[0] <= '9' {
		return r.Capture(int(name[0] - '0'))
	}
	for i, n := range r.captureNames {
		if n != "" && strings.EqualFold(n, name) {
			return r.Capture(i)
		}
	}
	if i := strings.IndexByte(name, '_'); i > 0 {
		if v, ok, prefixed := r.prefixedVar(name[:i], name[i+1:]); prefixed {
			return v, ok
		}
	}
	return r.builtinVar(name)
}

func (r *Request) prefixedVar(prefix, rest string) (string, bool, bool) {
	switch prefix {
	case "arg":
		return r.argVar(rest)
	case "http":
		return r.headerVar(r.req.Header, rest, true)
	case "sent": // sent_http_NAME
		if h, ok := strings.CutPrefix(rest, "http_"); ok {
			return r.headerVar(r.w.Header(), h, false)
		}
	case "cookie":
		v, ok := cookieVar(r.req.Header["Cookie"], rest)
		return v, ok, true
	}
	return "", false, false
}

// argVar returns $arg_NAME: the raw (still escaped) value of the first argument whose raw
// name equals name, ignoring case, as nginx's ngx_http_arg.
func (r *Request) argVar(name string) (string, bool, bool) {
	for s := r.args; s != ""; {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		key, value, _ := strings.Cut(pair, "=")
		if strings.EqualFold(key, name) {
			return value, true, true
		}
	}
	return "", false, true
}

// headerVar reads header NAME as $http_NAME (request) or $sent_http_NAME does: "_" for "-", any
// case. Of a repeated header it gives the first value, but for the headers nginx 1.22 joins
// (joinedHeader). The request's Host lives in req.Host, not in its header map.
func (r *Request) headerVar(h http.Header, name string, request bool) (string, bool, bool) {
	var buf [64]byte
	key, simple := appendHeaderKey(buf[:0], name)
	if !simple {
		key = append(key[:0], http.CanonicalHeaderKey(strings.ReplaceAll(name, "_", "-"))...)
	}
	// Comparisons and map lookups with string(key) do not allocate.
	if request && string(key) == "Host" {
		return r.req.Host, r.req.Host != "", true
	}
	vs := h[string(key)]
	if len(vs) == 0 {
		vs = nonCanonicalHeader(h, name)
	}
	switch {
	case len(vs) == 0:
		return "", false, true
	case len(vs) == 1:
		return vs[0], true, true
	}
	if sep := joinedHeader(string(key), request); sep != "" {
		return strings.Join(vs, sep), true, true
	}
	return vs[0], true, true
}

// joinedHeader returns the separator with which nginx 1.22 joins the values of a repeated
// header in its variable (ngx_http_variable_cookies and ngx_http_variable_headers), or "" for a
// header whose variable holds its first value. nginx 1.23 joins every header.
func joinedHeader(key string, request bool) string {
	switch {
	case request && key == "Cookie":
		return "; "
	case request && key == "X-Forwarded-For", !request && (key == "Cache-Control" || key == "Link"):
		return ", "
	}
	return ""
}

// nonCanonicalHeader returns the values of a header of h stored under a name that is not
// canonical ("x_under", set by ngx.req.set_header), if its name matches the variable suffix
// name as nginx matches them: any case, "-" and "_" alike.
func nonCanonicalHeader(h http.Header, name string) []string {
	for k, vs := range h {
		if len(k) == len(name) && sameHeaderName(k, name) {
			return vs
		}
	}
	return nil
}

func sameHeaderName(a, b string) bool {
	for i := range len(a) {
		if foldHeaderByte(a[i]) != foldHeaderByte(b[i]) {
			return false
		}
	}
	return true
}

// foldHeaderByte lowercases an ASCII letter and reads '-' as '_', as nginx compares header
// names with variable names.
func foldHeaderByte(c byte) byte {
	switch {
	case c == '-':
		return '_'
	case 'A' <= c && c <= 'Z':
		return c + 'a' - 'A'
	}
	return c
}

// appendHeaderKey appends to buf the canonical header key (as http.CanonicalHeaderKey makes it)
// that the variable suffix name stands for, with '_' read as '-'. It reports false, leaving the
// work to http.CanonicalHeaderKey, when name holds a byte other than a letter, a digit, '-' or
// '_'.
func appendHeaderKey(buf []byte, name string) ([]byte, bool) {
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_' || c == '-':
			buf = append(buf, '-')
			upper = true
			continue
		case 'a' <= c && c <= 'z':
			if upper {
				c -= 'a' - 'A'
			}
		case 'A' <= c && c <= 'Z':
			if !upper {
				c += 'a' - 'A'
			}
		case '0' <= c && c <= '9':
		default:
			return buf, false
		}
		buf = append(buf, c)
		upper = false
	}
	return buf, true
}

func (r *Request) builtinVar(name string) (string, bool) {
	switch name {
	case "uri", "document_uri":
		return r.uri, true
	case "request_uri":
		return r.orig.RequestURI, true
	case "args", "query_string":
		// Empty $args is found once assigned, or when the request line had a "?".
		return r.args, !r.argsNull
	case "is_args":
		if r.args != "" {
			return "?", true
		}
		return "", true
	case "host":
		return r.host(), true
	case "hostname":
		return hostname, true
	case "server_name":
		return r.opts.ServerName, true
	case "nginx_version": // the nginx goresty follows (ngx.config.nginx_version)
		return "1.22.1", true
	case "remote_addr":
		return r.remoteAddr(), true
	case "remote_port":
		_, port, _ := net.SplitHostPort(r.orig.RemoteAddr)
		return port, true
	case "server_addr", "server_port":
		return r.serverAddr(name == "server_port")
	case "request_method":
		return r.method, true
	case "scheme":
		if r.orig.TLS != nil {
			return "https", true
		}
		return "http", true
	case "https":
		if r.orig.TLS != nil {
			return "on", true
		}
		return "", true
	case "server_protocol":
		return r.orig.Proto, true
	case "content_type":
		return r.req.Header.Get("Content-Type"), r.req.Header.Get("Content-Type") != ""
	case "content_length":
		// nginx keeps the first value it computed for the request (an indexed variable):
		// later changes of the header or the body do not show.
		if !r.contentLengthVar.read {
			cl := r.req.Header.Get("Content-Length")
			r.contentLengthVar = cachedVar{cl, cl != "", true}
		}
		return r.contentLengthVar.value, r.contentLengthVar.found
	case "request_body":
		return string(r.body), r.body != nil
	case "request", "request_length", "request_id", "remote_user", "binary_remote_addr", "pid",
		"bytes_sent", "limit_rate", "request_completion":
		return r.requestVar(name)
	}
	return r.responseVar(name)
}

func (r *Request) responseVar(name string) (string, bool) {
	switch name {
	case "status":
		if !r.headersSent {
			return "000", true
		}
		return strconv.Itoa(r.status), true
	case "body_bytes_sent":
		return itoa(r.bytesSent), true
	case "request_time":
		ms := time.Since(r.start).Milliseconds()
		return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64), true
	case "msec":
		now := time.Now()
		return strconv.FormatFloat(float64(now.UnixMilli())/1000, 'f', 3, 64), true
	case "time_local":
		return time.Now().Format("02/Jan/2006:15:04:05 -0700"), true
	case "time_iso8601":
		return time.Now().Format("2006-01-02T15:04:05-07:00"), true
	}
	return "", false
}

// cachedVar is a variable's value as first read in a request.
type cachedVar struct {
	value       string
	found, read bool
}

// userVar is the value of a user variable; set is false after it was unset.
type userVar struct {
	value string
	set   bool
}

// SetVar assigns variable name. $args changes the query string; other built-in variables are
// read-only ("variable \"uri\" not changeable"); a user variable must be declared in
// Options.Variables (nginx's "set $name"), or assigned before.
func (r *Request) SetVar(name, value string) error {
	return r.setVar(name, userVar{value, true})
}

// ProvideVar gives read-only variable name the value for this request, as an nginx module
// provides its variables ($upstream_addr, $upstream_cache_status): Var returns it from now on,
// in this request and its later phases, and SetVar refuses to change it.
func (r *Request) ProvideVar(name, value string) {
	if r.provided == nil {
		r.provided = make(map[string]string)
	}
	r.provided[varName(name)] = value
}

// varSource is a function that computes the variables whose names start with prefix.
type varSource struct {
	prefix string
	get    func(name string) (string, bool)
}

// ProvideVars makes get the source of the read-only variables whose names start with prefix
// for this request, computed when read, as a module with many variables provides them
// ($upstream_*): Var asks get for such a name (after the values ProvideVar gave), and SetVar
// refuses to change one. A later call with the same prefix replaces get.
func (r *Request) ProvideVars(prefix string, get func(name string) (string, bool)) {
	for i := range r.varSources {
		if r.varSources[i].prefix == prefix {
			r.varSources[i].get = get
			return
		}
	}
	r.varSources = append(r.varSources, varSource{prefix, get})
}

// varSource returns the source of variable name, or nil.
func (r *Request) varSource(name string) func(string) (string, bool) {
	for _, s := range r.varSources {
		if strings.HasPrefix(name, s.prefix) {
			return s.get
		}
	}
	return nil
}

// VarDefined reports whether a request of r's Handler may assign variable name from the start:
// a declared user variable (Options.Variables) or a changeable built-in one.
func (r *Request) VarDefined(name string) bool {
	name = varName(name)
	switch name {
	case "args", "query_string", "limit_rate":
		return true
	}
	return r.opts.Variables[name]
}

// UnsetVar makes user variable name not found, as assigning nil to ngx.var.NAME does.
func (r *Request) UnsetVar(name string) error {
	return r.setVar(name, userVar{})
}

func (r *Request) setVar(name string, v userVar) error {
	name = varName(name)
	switch name {
	case "args", "query_string":
		r.SetArgs(v.value)
		r.argsNull = !v.set
		return nil
	}
	if _, ok := r.provided[name]; ok || r.varSource(name) != nil {
		return errors.New("variable \"" + name + "\" not changeable")
	}
	// $limit_rate is changeable; goresty keeps the value for reading but limits nothing.
	if _, user := r.vars[name]; !user && !r.opts.Variables[name] && name != "limit_rate" {
		if _, builtin := r.builtinVar(name); builtin || isPrefixedVar(name) {
			return errors.New("variable \"" + name + "\" not changeable")
		}
		return errors.New("variable \"" + name + "\" not found for writing; maybe it is a built-in variable " +
			"that is not changeable or you forgot to use \"set $" + name + " '';\" in the config file to define it first")
	}
	if r.vars == nil {
		r.vars = make(map[string]userVar)
	}
	r.vars[name] = v
	return nil
}

// varName is name in lower case, as nginx looks variables up; most names already are, and cost
// nothing.
func varName(name string) string {
	for i := 0; i < len(name); i++ {
		if c := name[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(name)
		}
	}
	return name
}

func isPrefixedVar(name string) bool {
	for _, p := range [...]string{"arg_", "http_", "sent_http_", "cookie_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// host returns $host: the Host header's name without port, lower case, as nginx does, or the
// server's name when the request has no Host.
func (r *Request) host() string {
	h := r.req.Host
	if h == "" {
		return r.opts.ServerName
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return strings.ToLower(h)
}

func (r *Request) remoteAddr() string {
	host, _, err := net.SplitHostPort(r.orig.RemoteAddr)
	if err != nil {
		return r.orig.RemoteAddr
	}
	return host
}

func (r *Request) serverAddr(port bool) (string, bool) {
	a, ok := r.orig.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return "", false
	}
	host, p, err := net.SplitHostPort(a.String())
	if err != nil {
		return "", false
	}
	if port {
		return p, true
	}
	return host, true
}

// cookieVar finds $cookie_NAME in the Cookie header lines as nginx 1.22 does: at the start of
// each pair (after ";" or "," and spaces) a name equal to name in any case, optional spaces,
// "=", optional spaces, then the value up to the next ";" as it is (quotes and inner spaces
// kept). A pair without "=" does not count.
func cookieVar(lines []string, name string) (string, bool) {
	for _, s := range lines {
		for i := 0; i < len(s); {
			if len(s)-i >= len(name) && strings.EqualFold(s[i:i+len(name)], name) {
				j := i + len(name)
				for j < len(s) && s[j] == ' ' {
					j++
				}
				if j < len(s) && s[j] == '=' {
					j++
					for j < len(s) && s[j] == ' ' {
						j++
					}
					end := strings.IndexByte(s[j:], ';')
					if end < 0 {
						end = len(s) - j
					}
					return s[j : j+end], true
				}
			}
			for i < len(s) { // skip to the next pair
				c := s[i]
				i++
				if c == ';' || c == ',' {
					break
				}
			}
			for i < len(s) && s[i] == ' ' {
				i++
			}
		}
	}
	return "", false
}
