package nginxconf

import (
	"path"
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

// typer is a location's types and default_type. nginx gives a response without Content-Type
// the type of its URI's extension, or default_type (ngx_http_set_content_type), and updates
// the extension when a rewrite or try_files changes the URI. resty applies the location's
// default type (resty.Location.DefaultType) and knows no extensions, so the loader sets the
// request's default type (Request.SetDefaultType) when a location starts and where the URI
// changes inside it.
type typer struct {
	types       map[string]string
	defaultType string // "" for none (default_type "")
}

// set makes the type of r's URI the response's default type.
func (t *typer) set(r *ngx.Request) {
	if t != nil {
		r.SetDefaultType(typeOf(r.URI(), t.types, t.defaultType))
	}
}

// enter is set where the location starts: resty has set default_type already, so only a
// known extension changes it.
func (t *typer) enter(r *ngx.Request) {
	if ext := path.Ext(r.URI()); len(ext) > 1 {
		if typ, ok := t.types[strings.ToLower(ext[1:])]; ok {
			r.SetDefaultType(typ)
		}
	}
}

// restyType is default_type as resty.Location.DefaultType spells it.
func restyType(t string) string {
	if t == "" {
		return "-"
	}
	return t
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
