package nginxconf

import (
	"net/http"
	"strings"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// addHeader is add_header name value [always].
type addHeader struct {
	name   string
	value  *tmpl
	always bool
}

// addHeaderStatuses are the statuses add_header applies to without always.
var addHeaderStatuses = map[int]bool{200: true, 201: true, 204: true, 206: true, 301: true,
	302: true, 303: true, 304: true, 307: true, 308: true}

// addHeadersHook adds the headers of add_header when the response headers go out. nginx runs
// it after header_filter_by_lua, so Lua header filters do not see these headers.
func addHeadersHook(hs []*addHeader) resty.Hook {
	return resty.Hook{Phase: ngx.PhaseHeaderFilter, Go: func(r *ngx.Request) error {
		ok := addHeaderStatuses[r.Status()]
		h := r.ResponseHeader()
		for _, a := range hs {
			if !ok && !a.always {
				continue
			}
			if v := a.value.expand(r); v != "" {
				h.Add(a.name, v)
			}
		}
		return nil
	}}
}

// contentTypeHook gives a response without Content-Type the type of its URI's extension, or
// the location's default_type, as nginx's ngx_http_set_content_type does for every response
// it generates (return, Lua output, static files). resty.Config.DefaultType is handler-wide
// and knows no extensions, so the loader sets none there and adds this hook to each location.
// Bodiless statuses (204, 304, and an error status sent with an empty body) get none.
func contentTypeHook(types map[string]string, defaultType string) resty.Hook {
	return resty.Hook{Phase: ngx.PhaseHeaderFilter, Go: func(r *ngx.Request) error {
		h := r.ResponseHeader()
		if _, ok := h["Content-Type"]; ok {
			return nil
		}
		st := r.Status()
		typ := ""
		if st != http.StatusNoContent && st != http.StatusNotModified &&
			(st < 300 || h.Get("Content-Length") != "0") {
			typ = typeOf(r.URI(), types, defaultType)
		}
		if typ == "" {
			h["Content-Type"] = nil // no type, and no sniffing by net/http
			return nil
		}
		h["Content-Type"] = []string{typ}
		return nil
	}}
}

// redirector writes the Location header of return and rewrite redirects, absolute as nginx
// makes it (absolute_redirect, port_in_redirect, server_name_in_redirect).
type redirector struct {
	absolute   bool
	portIn     bool
	nameIn     bool
	serverName string
}

func (rd *redirector) location(r *ngx.Request, url string) {
	if rd.absolute && strings.HasPrefix(url, "/") {
		url = rd.base(r) + url
	}
	_ = r.SetResponseHeader("Location", url)
}

// base returns scheme://host[:port] of the server.
func (rd *redirector) base(r *ngx.Request) string {
	scheme, _ := r.Var("scheme")
	host, _ := r.Var("host")
	if rd.nameIn || host == "" {
		host = rd.serverName
	}
	if host == "" {
		host, _ = r.Var("hostname")
	}
	port, _ := r.Var("server_port")
	if !rd.portIn || port == "" || scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + port
}

// defaultCharsetTypes are nginx's charset_types.
var defaultCharsetTypes = []string{"text/html", "text/xml", "text/plain", "text/vnd.wap.wml",
	"application/javascript", "application/rss+xml"}

// charsetHook is charset: it adds "; charset=..." to a Content-Type of charset_types that names
// none, after the Lua header filters, as nginx's charset filter.
func charsetHook(charset string, types []string) resty.Hook {
	return resty.Hook{Phase: ngx.PhaseHeaderFilter, Go: func(r *ngx.Request) error {
		h := r.ResponseHeader()
		ct := h.Get("Content-Type")
		if ct == "" || strings.Contains(strings.ToLower(ct), "charset=") {
			return nil
		}
		base, _, _ := strings.Cut(ct, ";")
		base = strings.ToLower(strings.TrimSpace(base))
		for _, t := range types {
			if t == base || t == "*" {
				h.Set("Content-Type", ct+"; charset="+charset)
				return nil
			}
		}
		return nil
	}}
}
