package nginxconf

import (
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// rule is one allow or deny directive.
type rule struct {
	allow bool
	net   *net.IPNet // nil: all
	d     *Directive
}

func parseRule(d *Directive) (rule, error) {
	r := rule{allow: d.Name == "allow", d: d}
	a := d.Args[0]
	switch {
	case a == "all":
		return r, nil
	case strings.HasPrefix(a, "unix:"):
		return r, d.Errorf("%q in %q directive is not supported yet", a, d.Name)
	case strings.Contains(a, "/"):
		_, n, err := net.ParseCIDR(a)
		if err != nil {
			return r, d.Errorf("invalid parameter %q", a)
		}
		r.net = n
	default:
		ip := net.ParseIP(a)
		if ip == nil {
			return r, d.Errorf("invalid parameter %q", a)
		}
		bits := 128
		if ip.To4() != nil {
			ip, bits = ip.To4(), 32
		}
		r.net = &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}
	}
	return r, nil
}

// accessRulesHook is allow and deny: the first rule that matches the client's address decides;
// a denied client gets 403, as nginx's access module, which runs before access_by_lua.
func accessRulesHook(rules []rule) resty.Hook {
	return resty.Hook{Phase: ngx.PhaseAccess, Go: func(r *ngx.Request) error {
		addr, _ := r.Var("remote_addr")
		ip := net.ParseIP(addr)
		for _, ru := range rules {
			if ru.net != nil && (ip == nil || !ru.net.Contains(ip)) {
				continue
			}
			if ru.allow {
				return nil
			}
			r.Log(ngx.LevelErr, "access forbidden by rule")
			return r.Exit(http.StatusForbidden)
		}
		return nil
	}}
}

// tryFiles is try_files file ... uri|=code: the first file (or directory, written with a
// trailing "/") that exists becomes the URI the content handler serves; otherwise the last
// argument is an internal redirect or a status.
type tryFiles struct {
	files []tryFile
	last  *tmpl
	code  int
	root  *docRoot
	typer *typer
}

func (sb *serverBuild) tryFiles(d *Directive, e *env) (*tryFiles, error) {
	tf := &tryFiles{root: e.sc.root, typer: e.typer}
	for _, a := range d.Args[:len(d.Args)-1] {
		// As nginx: an argument written with a trailing "/" tests a directory, and the "/"
		// is not part of the URI it leads to.
		dir := strings.HasSuffix(a, "/")
		t, err := sb.ld.compile(d, strings.TrimSuffix(a, "/"), e.sc)
		if err != nil {
			return nil, err
		}
		tf.files = append(tf.files, tryFile{uri: t, dir: dir})
	}
	last := d.Args[len(d.Args)-1]
	if c, ok := strings.CutPrefix(last, "="); ok {
		code, err := strconv.Atoi(c)
		if err != nil || code < 100 || code > 999 {
			return nil, d.Errorf("invalid code %q", last)
		}
		tf.code = code
		return tf, nil
	}
	t, err := sb.ld.compile(d, last, e.sc)
	tf.last = t
	return tf, err
}

func (tf *tryFiles) hook() resty.Hook {
	return resty.Hook{Phase: ngx.PhaseAccess, Go: func(r *ngx.Request) error {
		for _, f := range tf.files {
			uri := f.uri.expand(r)
			fi, err := os.Stat(tf.root.file(r, uri))
			if err != nil || fi.IsDir() != f.dir {
				continue
			}
			r.SetURI(uri)
			tf.typer.set(r)
			return nil
		}
		if tf.last == nil {
			return r.Exit(tf.code)
		}
		last := tf.last.expand(r)
		if strings.HasPrefix(last, "@") {
			return r.Exec(last)
		}
		// The redirect takes the arguments it names, none if it names none.
		path, args, _ := strings.Cut(last, "?")
		return r.ExecArgs(path, args, true)
	}}
}

type tryFile struct {
	uri *tmpl
	dir bool
}

// expires is expires [modified] time|epoch|max|off.
type expires struct {
	off    bool
	epoch  bool
	maxAge time.Duration
}

func parseExpires(d *Directive) (*expires, error) {
	if len(d.Args) == 2 || strings.HasPrefix(d.Args[0], "@") {
		return nil, d.Errorf("%q with %q is not supported yet", d.Name, strings.Join(d.Args, " "))
	}
	switch a := d.Args[0]; a {
	case "off":
		return &expires{off: true}, nil
	case "epoch":
		return &expires{epoch: true}, nil
	case "max":
		return &expires{maxAge: 10 * 365 * 24 * time.Hour}, nil
	default:
		neg := strings.HasPrefix(a, "-")
		t, err := parseTime(d, strings.TrimPrefix(a, "-"))
		if err != nil {
			return nil, err
		}
		if neg {
			t = -t
		}
		return &expires{maxAge: t}, nil
	}
}

// hook sets Expires and Cache-Control on responses with 200, 201, 204, 206, 301, 302, 303,
// 304, 307 or 308, as nginx's headers filter does.
func (x *expires) hook() resty.Hook {
	return resty.Hook{Phase: ngx.PhaseHeaderFilter, Go: func(r *ngx.Request) error {
		if x.off || !addHeaderStatuses[r.Status()] {
			return nil
		}
		h := r.ResponseHeader()
		switch {
		case x.epoch:
			h.Set("Expires", "Thu, 01 Jan 1970 00:00:01 GMT")
			h.Set("Cache-Control", "no-cache")
		case x.maxAge < 0:
			h.Set("Expires", ngx.HTTPTime(time.Now().Add(x.maxAge)))
			h.Set("Cache-Control", "no-cache")
		default:
			h.Set("Expires", ngx.HTTPTime(time.Now().Add(x.maxAge)))
			h.Set("Cache-Control", "max-age="+strconv.FormatInt(int64(x.maxAge/time.Second), 10))
		}
		return nil
	}}
}
