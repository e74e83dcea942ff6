package nginxconf

import (
	"strconv"
	"strings"
	"time"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// level holds the directives of one level (http, server, location) that inner levels inherit
// when they do not set them, as nginx merges its configurations. Nil means not set here.
type level struct {
	defaultType    *string
	root           *rootSpec
	index          []string
	addHeaders     []*Directive
	accessLogs     []*Directive
	accessLogSet   bool
	errorPages     []*Directive
	maxBody        *int64
	keepalive      *time.Duration
	serverTokens   *bool
	absRedirect    *bool
	portInRedirect *bool
	nameInRedirect *bool
	logNotFound    *bool
	needBody       *bool
	codeCache      *bool
	underscores    *bool
	socketLog      *bool // lua_socket_log_errors
	types          map[string]string
	errorLogs      []errorLogSpec
	lua            map[ngx.Phase]resty.Hook // rewrite, access, header_filter, body_filter, log
	charset        *string                  // "off" for none
	charsetTypes   []string
	rules          []rule // allow, deny
	expires        *expires
	limitReqs      []*limitReqSpec
	limitStatus    *int
	limitLevel     *ngx.Level
	limitDryRun    *bool
	px             proxyLevel
}

// rootSpec is a root or alias directive, compiled per location (its variables depend on it).
type rootSpec struct {
	d     *Directive
	alias bool
}

func newLevel() *level { return &level{lua: map[ngx.Phase]resty.Hook{}} }

// defaultLevel is the http level's defaults, nginx's built-in values.
func defaultLevel() *level {
	l := newLevel()
	typ := "text/plain"
	l.defaultType = &typ
	on, off := true, false
	l.serverTokens, l.absRedirect, l.portInRedirect = &on, &on, &on
	l.nameInRedirect, l.logNotFound, l.needBody, l.underscores = &off, &on, &off, &off
	l.codeCache = &on
	status, level := 503, ngx.LevelErr
	l.limitStatus, l.limitLevel, l.limitDryRun = &status, &level, &off
	maxBody := int64(1 << 20)
	l.maxBody = &maxBody
	ka := 75 * time.Second
	l.keepalive = &ka
	l.index = []string{"index.html"}
	l.types = defaultTypes
	l.charsetTypes = defaultCharsetTypes
	return l
}

// inherit fills what l does not set from its parent p.
func (l *level) inherit(p *level) {
	inheritPtr(&l.defaultType, p.defaultType)
	inheritPtr(&l.root, p.root)
	inheritPtr(&l.maxBody, p.maxBody)
	inheritPtr(&l.keepalive, p.keepalive)
	inheritPtr(&l.serverTokens, p.serverTokens)
	inheritPtr(&l.absRedirect, p.absRedirect)
	inheritPtr(&l.portInRedirect, p.portInRedirect)
	inheritPtr(&l.nameInRedirect, p.nameInRedirect)
	inheritPtr(&l.logNotFound, p.logNotFound)
	inheritPtr(&l.needBody, p.needBody)
	inheritPtr(&l.codeCache, p.codeCache)
	inheritPtr(&l.underscores, p.underscores)
	inheritPtr(&l.socketLog, p.socketLog)
	if l.index == nil {
		l.index = p.index
	}
	if l.addHeaders == nil {
		l.addHeaders = p.addHeaders
	}
	if !l.accessLogSet {
		l.accessLogs, l.accessLogSet = p.accessLogs, p.accessLogSet
	}
	if l.errorPages == nil {
		l.errorPages = p.errorPages
	}
	if l.types == nil {
		l.types = p.types
	}
	if l.errorLogs == nil {
		l.errorLogs = p.errorLogs
	}
	if l.rules == nil {
		l.rules = p.rules
	}
	inheritPtr(&l.expires, p.expires)
	if l.limitReqs == nil {
		l.limitReqs = p.limitReqs
	}
	inheritPtr(&l.limitStatus, p.limitStatus)
	inheritPtr(&l.limitLevel, p.limitLevel)
	inheritPtr(&l.limitDryRun, p.limitDryRun)
	inheritPtr(&l.charset, p.charset)
	if l.charsetTypes == nil {
		l.charsetTypes = p.charsetTypes
	}
	l.px.inherit(&p.px)
	for ph, hk := range p.lua {
		if _, ok := l.lua[ph]; !ok {
			l.lua[ph] = hk
		}
	}
}

func inheritPtr[T any](dst **T, parent *T) {
	if *dst == nil {
		*dst = parent
	}
}

// levelDirectives reads the inheritable directives of one block into l. The block was checked.
func (ld *loader) levelDirectives(ds []*Directive, l *level, c dirContext) error {
	for _, d := range ds {
		if err := ld.levelDirective(d, l, c); err != nil {
			return err
		}
	}
	return nil
}

func (ld *loader) levelDirective(d *Directive, l *level, c dirContext) error {
	var err error
	switch d.Name {
	case "default_type":
		v := d.Args[0]
		l.defaultType = &v
	case "root", "alias":
		if l.root != nil {
			if l.root.alias == (d.Name == "alias") {
				return d.Errorf("%q directive is duplicate", d.Name)
			}
			return d.Errorf("%q directive is duplicate, %q directive was specified earlier",
				d.Name, map[bool]string{true: "alias", false: "root"}[l.root.alias])
		}
		l.root = &rootSpec{d: d, alias: d.Name == "alias"}
	case "index":
		l.index = append(l.index, d.Args...)
	case "add_header":
		if len(d.Args) == 3 && d.Args[2] != "always" {
			return d.Errorf("invalid parameter %q", d.Args[2])
		}
		l.addHeaders = append(l.addHeaders, d)
	case "access_log":
		l.accessLogs, l.accessLogSet = append(l.accessLogs, d), true
	case "error_page":
		l.errorPages = append(l.errorPages, d)
	case "error_log":
		if c != ctxMain {
			var s errorLogSpec
			s, err = parseErrorLog(d)
			l.errorLogs = append(l.errorLogs, s)
		}
	default:
		if handled, err := l.setting(d); handled {
			return err
		}
		fam, ok := luaFamily(d.Name)
		if !ok || fam == "set_by_lua" || fam == "content_by_lua" || fam == "init_by_lua" ||
			fam == "init_worker_by_lua" {
			return nil
		}
		var hk resty.Hook
		hk, err = ld.luaHook(d)
		l.lua[hk.Phase] = hk
	}
	return err
}

// setting reads the directives of a level that take a value to parse; it reports whether d
// was one.
func (l *level) setting(d *Directive) (bool, error) {
	var err error
	switch d.Name {
	case "client_max_body_size":
		var n int64
		n, err = parseSize(d)
		l.maxBody = &n
	case "keepalive_timeout":
		var t time.Duration
		t, err = parseTime(d, d.Args[0])
		l.keepalive = &t
	case "limit_req", "limit_req_status", "limit_req_log_level":
		return true, l.limitSetting(d)
	case "server_tokens", "absolute_redirect", "port_in_redirect", "server_name_in_redirect",
		"log_not_found", "lua_need_request_body", "lua_code_cache", "underscores_in_headers",
		"limit_req_dry_run", "lua_socket_log_errors":
		*l.flagField(d.Name), err = flagArg(d)
	case "types":
		l.types, err = typesBlock(d)
	case "allow", "deny":
		var ru rule
		ru, err = parseRule(d)
		l.rules = append(l.rules, ru)
	case "expires":
		l.expires, err = parseExpires(d)
	case "gzip":
		var on *bool
		if on, err = flagArg(d); err == nil && *on {
			err = d.Errorf("\"gzip on\" is not supported yet")
		}
	case "charset":
		v := strings.ToLower(d.Args[0])
		l.charset = &v
	case "charset_types":
		l.charsetTypes = append([]string(nil), d.Args...)
	default:
		if strings.HasPrefix(d.Name, "proxy_") {
			return l.px.setting(d)
		}
		return false, nil
	}
	return true, err
}

// flagField returns the field of an on|off directive.
func (l *level) flagField(name string) **bool {
	switch name {
	case "server_tokens":
		return &l.serverTokens
	case "absolute_redirect":
		return &l.absRedirect
	case "port_in_redirect":
		return &l.portInRedirect
	case "server_name_in_redirect":
		return &l.nameInRedirect
	case "log_not_found":
		return &l.logNotFound
	case "lua_need_request_body":
		return &l.needBody
	case "lua_code_cache":
		return &l.codeCache
	case "underscores_in_headers":
		return &l.underscores
	case "limit_req_dry_run":
		return &l.limitDryRun
	case "lua_socket_log_errors":
		return &l.socketLog
	}
	return new(*bool)
}

// limitSetting reads limit_req, limit_req_status and limit_req_log_level.
func (l *level) limitSetting(d *Directive) error {
	switch d.Name {
	case "limit_req":
		s, err := parseLimitReq(d)
		if err != nil {
			return err
		}
		for _, o := range l.limitReqs {
			if o.zone == s.zone {
				return d.Errorf("%q directive is duplicate", d.Name)
			}
		}
		l.limitReqs = append(l.limitReqs, s)
	case "limit_req_status":
		n, err := strconv.Atoi(d.Args[0])
		if err != nil || n < 0 {
			return d.Errorf("%q directive invalid number", d.Name)
		}
		if n < 400 || n > 599 {
			return d.Errorf("value must be between 400 and 599")
		}
		l.limitStatus = &n
	case "limit_req_log_level":
		lv, ok := map[string]ngx.Level{"info": ngx.LevelInfo, "notice": ngx.LevelNotice,
			"warn": ngx.LevelWarn, "error": ngx.LevelErr}[d.Args[0]]
		if !ok {
			return d.Errorf("invalid value %q", d.Args[0])
		}
		l.limitLevel = &lv
	}
	return nil
}

func flagArg(d *Directive) (*bool, error) {
	v, err := onOff(d)
	return &v, err
}

// parseSize reads an nginx size: digits with an optional k, m or g (any case).
func parseSize(d *Directive) (int64, error) {
	s := strings.ToLower(d.Args[0])
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		mult, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "g"):
		mult, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, d.Errorf("%q directive invalid value", d.Name)
	}
	return n * mult, nil
}

// parseTime reads an nginx time: a number with an optional unit (ms, s, m, h, d, w, M, y),
// several parts allowed ("1m30s"); a bare number is seconds.
func parseTime(d *Directive, s string) (time.Duration, error) {
	units := []struct {
		suffix string
		d      time.Duration
	}{{"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour},
		{"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour}, {"M", 30 * 24 * time.Hour},
		{"y", 365 * 24 * time.Hour}}
	bad := d.Errorf("%q directive invalid value", d.Name)
	if s == "" {
		return 0, bad
	}
	var total time.Duration
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, bad
		}
		n, err := strconv.ParseInt(s[:i], 10, 32)
		if err != nil {
			return 0, bad
		}
		s = s[i:]
		unit := time.Second
		for _, u := range units {
			if strings.HasPrefix(s, u.suffix) {
				unit, s = u.d, s[len(u.suffix):]
				break
			}
		}
		total += time.Duration(n) * unit
	}
	return total, nil
}
