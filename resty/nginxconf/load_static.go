package nginxconf

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// docRoot is root or alias: where a location's URIs are found on disk.
type docRoot struct {
	dir       *tmpl
	alias     bool
	locPrefix string // alias of a prefix location: the part of the URI alias replaces
	regex     bool   // alias of a regex location: the whole file path, with captures
}

// file returns the file a URI maps to ($request_filename).
func (d *docRoot) file(r *ngx.Request, uri string) string {
	dir := d.dir.expand(r)
	switch {
	case !d.alias:
		return strings.TrimSuffix(dir, "/") + uri
	case d.regex:
		return dir
	case strings.HasPrefix(uri, d.locPrefix):
		return dir + uri[len(d.locPrefix):]
	}
	return dir
}

func (d *docRoot) variable(r *ngx.Request, name string) (string, bool) {
	switch name {
	case "document_root":
		return d.dir.expand(r), true
	case "realpath_root":
		return realpath(d.dir.expand(r)), true
	}
	return d.file(r, r.URI()), true
}

// static serves files as nginx's static and index modules do; it is the content of every
// location without content_by_lua.
type static struct {
	root        *docRoot
	index       []*tmpl
	types       map[string]string
	defaultType string
	logNotFound bool
	redirect    *redirector
}

func (s *static) hook() resty.Hook { return resty.Content(s.serve) }

func (s *static) serve(r *ngx.Request) error {
	switch r.Method() {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		return r.Exit(http.StatusMethodNotAllowed)
	}
	uri := r.URI()
	if strings.HasSuffix(uri, "/") {
		return s.serveIndex(r, uri)
	}
	name := s.root.file(r, uri)
	f, err := os.Open(name)
	if err != nil {
		return s.openFailed(r, name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return s.openFailed(r, name, err)
	}
	if fi.IsDir() {
		loc := uri + "/"
		if args := r.Args(); args != "" {
			loc += "?" + args
		}
		s.redirect.location(r, loc)
		return r.Exit(http.StatusMovedPermanently)
	}
	if r.Method() == http.MethodPost {
		return r.Exit(http.StatusMethodNotAllowed)
	}
	h := r.ResponseHeader()
	req := r.HTTPRequest()
	if rg := req.Header.Get("Range"); rg != "" && req.Header.Get("If-Range") == "" && !satisfiable(rg, fi.Size()) {
		h["Content-Range"] = []string{"bytes */" + strconv.FormatInt(fi.Size(), 10)}
		return r.Exit(http.StatusRequestedRangeNotSatisfiable)
	}
	h["Content-Type"] = []string{typeOf(uri, s.types, s.defaultType)}
	if h["Content-Type"][0] == "" {
		h["Content-Type"] = nil
	}
	h["Etag"] = []string{`"` + strconv.FormatInt(fi.ModTime().Unix(), 16) + "-" +
		strconv.FormatInt(fi.Size(), 16) + `"`}
	http.ServeContent(rangeWriter{r.ResponseWriter()}, exactSince(req, fi.ModTime()), "", fi.ModTime(), f)
	return nil
}

// exactSince applies nginx's "if_modified_since exact": If-Modified-Since gives 304 only
// when it is the file's time itself, where http.ServeContent also takes later times.
func exactSince(req *http.Request, mtime time.Time) *http.Request {
	ims := req.Header.Get("If-Modified-Since")
	if ims == "" {
		return req
	}
	if t, err := http.ParseTime(ims); err == nil && t.Unix() == mtime.Unix() {
		return req
	}
	c := req.Clone(req.Context())
	c.Header.Del("If-Modified-Since")
	return c
}

// satisfiable reports whether a Range header names a part of a body of size bytes; one that
// does not is answered with nginx's 416 page. Malformed headers are left to http.ServeContent.
func satisfiable(rg string, size int64) bool {
	spec, ok := strings.CutPrefix(rg, "bytes=")
	if !ok {
		return true
	}
	for _, part := range strings.Split(spec, ",") {
		start, _, _ := strings.Cut(strings.TrimSpace(part), "-")
		if start == "" {
			return true // a suffix: the last n bytes
		}
		n, err := strconv.ParseInt(start, 10, 64)
		if err != nil || n < size {
			return true
		}
	}
	return false
}

// rangeWriter drops the Accept-Ranges that http.ServeContent adds to partial responses, which
// nginx sends only on whole ones.
type rangeWriter struct{ http.ResponseWriter }

func (w rangeWriter) WriteHeader(code int) {
	if code == http.StatusPartialContent {
		w.Header().Del("Accept-Ranges")
	}
	w.ResponseWriter.WriteHeader(code)
}

// serveIndex serves a URI ending in "/": an internal redirect to the first index file that
// exists, else 403 for an existing directory and 404 otherwise.
func (s *static) serveIndex(r *ngx.Request, uri string) error {
	var last string
	var lastErr error
	for i, t := range s.index {
		name := t.expand(r)
		if strings.HasPrefix(name, "/") {
			if i == len(s.index)-1 {
				return r.Exec(name)
			}
			continue
		}
		file := s.root.file(r, uri+name)
		fi, err := os.Stat(file)
		if err == nil && !fi.IsDir() {
			return r.Exec(uri + name)
		}
		last, lastErr = file, err
	}
	dir := s.root.file(r, uri)
	fi, err := os.Stat(dir)
	if err == nil && fi.IsDir() {
		r.Log(ngx.LevelErr, `directory index of "`+dir+`" is forbidden`)
		return r.Exit(http.StatusForbidden)
	}
	if last == "" {
		return s.openFailed(r, dir, err)
	}
	if lastErr == nil {
		lastErr = fs.ErrNotExist
	}
	if errors.Is(lastErr, fs.ErrNotExist) && !s.logNotFound {
		return r.Exit(http.StatusNotFound)
	}
	r.Log(ngx.LevelErr, `"`+last+`" is not found (`+errnoText(lastErr)+`)`)
	return r.Exit(statusOf(lastErr))
}

// openFailed answers a file that cannot be opened as nginx: 404, 403 or 500, logged.
func (s *static) openFailed(r *ngx.Request, name string, err error) error {
	status := statusOf(err)
	if status != http.StatusNotFound || s.logNotFound {
		r.Log(ngx.LevelErr, `open() "`+name+`" failed (`+errnoText(err)+`)`)
	}
	return r.Exit(status)
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR), errors.Is(err, syscall.ENAMETOOLONG):
		return http.StatusNotFound
	case errors.Is(err, fs.ErrPermission):
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// errnoText words an error as nginx's logs do: "2: No such file or directory".
func errnoText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg := errno.Error()
		if msg != "" {
			msg = strings.ToUpper(msg[:1]) + msg[1:]
		}
		return strconv.Itoa(int(errno)) + ": " + msg
	}
	return err.Error()
}

// typeOf returns the type of a URI's extension, or defaultType.
func typeOf(uri string, types map[string]string, defaultType string) string {
	ext := path.Ext(uri)
	if len(ext) > 1 {
		if t, ok := types[strings.ToLower(ext[1:])]; ok {
			return t
		}
	}
	return defaultType
}

// defaultTypes is nginx's type map without a types block: html, gif and jpg only. A
// configuration that wants more includes a mime.types file (examples/conf has one).
var defaultTypes = map[string]string{"html": "text/html", "gif": "image/gif", "jpg": "image/jpeg"}

// typesBlock reads types { type ext...; }.
func typesBlock(d *Directive) (map[string]string, error) {
	m := map[string]string{}
	for _, t := range d.Block {
		if t.HasBlock || len(t.Args) == 0 {
			return nil, t.Errorf("invalid number of arguments in %q directive", "types")
		}
		for _, ext := range t.Args {
			m[strings.ToLower(ext)] = t.Name
		}
	}
	return m, nil
}
