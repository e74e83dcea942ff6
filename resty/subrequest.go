package resty

import (
	"bytes"
	"net/http"

	"github.com/goresty/goresty/ngx"
)

// subrequest serves req as a subrequest of parent (ngx.Options.Subrequest): the location its
// path matches runs set, rewrite and content with its filters, follows internal redirects, and
// skips access and log, as nginx does; the response is captured rather than sent.
func (h *Handler) subrequest(parent *ngx.Request, req *http.Request, setup func(*ngx.Request)) (*ngx.Captured, error) {
	w := &captureWriter{header: http.Header{}}
	loc := h.router.match(ngx.NormalizePath(req.URL.Path))
	if loc.bare {
		loc.next.ServeHTTP(w, req)
		return w.captured(), nil
	}
	r := h.pool.Get().(*ngx.Request)
	r.Reset(w, req, &h.opts)
	r.SetParent(parent)
	defer func() {
		h.releaseLua(r)
		r.Clear()
		h.pool.Put(r)
	}()
	if setup != nil {
		setup(r)
	}
	func() {
		defer func() {
			// A subrequest whose response broke off (an error after its header) ends its own
			// response only: the captured part is what the parent gets.
			if p := recover(); p != nil && p != http.ErrAbortHandler {
				panic(p)
			}
		}()
		h.serve(r, loc)
	}()
	return w.captured(), nil
}

// captureWriter is the http.ResponseWriter of a subrequest: it keeps the response.
type captureWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// Header returns the headers of the captured response.
func (w *captureWriter) Header() http.Header { return w.header }

// WriteHeader records the first status written.
func (w *captureWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

// Write appends to the captured body.
func (w *captureWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// Flush does nothing: a subrequest's response goes to its parent whole (ngx.flush).
func (w *captureWriter) Flush() {}

func (w *captureWriter) captured() *ngx.Captured {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return &ngx.Captured{Status: w.status, Header: w.header, Body: w.body.Bytes()}
}
