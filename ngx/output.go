package ngx

import (
	"errors"
	"net/http"
	"strconv"
)

// Status returns the response status: the one set, or 0 before one was set and nothing was sent
// (ngx.status reads 0 then, as in OpenResty).
//
// In an error page (Request.UseErrorPage) it is the status the page goes out with, as nginx's
// ngx.status reads the request's err_status first, until SetStatus replaces it.
func (r *Request) Status() int {
	if r.errStatus != 0 {
		return r.errStatus
	}
	return r.status
}

// SetStatus sets the response status. After the headers went out it returns ErrStatusSent and
// changes nothing. A code net/http cannot send (below 100 or above 999, 0 aside, which unsets
// it) is refused with an error naming it, the status unchanged; nginx would put it in the
// status line as it is. In an error page the page's status still wins, as it does over nginx's
// own directives (return); OverrideStatus replaces it, as ngx.status = code does.
func (r *Request) SetStatus(code int) error {
	if r.headersSent {
		return ErrStatusSent
	}
	if code != 0 && (code < 100 || code > 999) {
		return errors.New("status code " + strconv.Itoa(code) + " cannot be sent: it must be from 100 to 999")
	}
	r.status = code
	return nil
}

// OverrideStatus is SetStatus that also replaces the status an error page goes out with
// (ngx.status = code, which clears nginx's err_status).
func (r *Request) OverrideStatus(code int) error {
	if err := r.SetStatus(code); err != nil {
		return err
	}
	r.errStatus = 0
	return nil
}

// ResponseHeader returns the response headers to read or change before they are sent.
func (r *Request) ResponseHeader() http.Header { return r.w.Header() }

// SetResponseHeader replaces response header name with values (ngx.header[name] = value); no
// values removes it. After the headers went out it returns ErrHeadersSent and changes nothing.
func (r *Request) SetResponseHeader(name string, values ...string) error {
	if r.headersSent {
		return ErrHeadersSent
	}
	h := r.w.Header()
	if len(values) == 0 {
		h.Del(name)
		return nil
	}
	h[http.CanonicalHeaderKey(name)] = values
	return nil
}

// HeadersSent reports whether the response headers went out (ngx.headers_sent).
func (r *Request) HeadersSent() bool { return r.headersSent }

// BytesSent returns the number of body bytes sent so far ($body_bytes_sent).
func (r *Request) BytesSent() int64 { return r.bytesSent }

// SendHeaders sends the response headers now (ngx.send_headers): the header_filter hooks run
// first and may still change them. Sending twice is a no-op. A header filter that exits with a
// status of 300 or more replaces the response with that status's error page, as nginx does:
// the headers set so far and the original body are dropped, and the header filters run again
// on the page.
func (r *Request) SendHeaders() error {
	if r.headersSent {
		return nil
	}
	if r.errStatus != 0 {
		r.status = r.errStatus
	} else if r.status == 0 {
		r.status = http.StatusOK
	}
	h := r.w.Header()
	if _, ok := h["Content-Type"]; !ok && r.status != http.StatusNoContent && r.status != http.StatusNotModified {
		// Without a default type nginx sends none; a nil value keeps net/http from sniffing one.
		h["Content-Type"] = r.defaultType
		if r.noType {
			h["Content-Type"] = nil
		}
	}
	if r.opts.Server != "" && r.parent == nil { // nginx's header filter: main requests only
		if _, ok := h["Server"]; !ok {
			h["Server"] = r.opts.serverValue()
		}
	}
	if r.filter != nil {
		// Only an exit made by a header filter itself replaces the response; one pending from
		// the hook that produced it is kept for the pipeline.
		pendingCode, pending := r.exitCode, r.exited
		r.ClearExit()
		saved := r.phase
		r.phase = PhaseHeaderFilter
		err := r.filter.FilterHeader(r)
		r.phase = saved
		status, exited := r.Exited()
		r.exited, r.exitCode = pending, pendingCode
		if err != nil {
			return r.filterFailed(err)
		}
		if exited {
			if status >= 300 && !r.replaced {
				r.replaced = true
				r.dropOutput = true
				// As nginx's ngx_http_filter_finalize_request: the error page starts from no
				// headers, and the header filters run again on it.
				clear(h)
				return r.sendPage(status)
			}
		}
	}
	if r.status == http.StatusOK && r.parent == nil && !r.noNotModified && !r.replaced {
		switch r.notModified(h) {
		case http.StatusPreconditionFailed:
			r.replaced, r.dropOutput = true, true
			clear(h)
			return r.sendPage(http.StatusPreconditionFailed)
		case http.StatusNotModified:
			r.status, r.dropOutput = http.StatusNotModified, true
			for _, name := range [...]string{"Content-Type", "Content-Length", "Accept-Ranges", "Content-Encoding"} {
				delete(h, name)
			}
		}
	}
	if r.status < 100 || r.status > 999 { // net/http cannot send it (ngx.exit(1000), say)
		r.Log(LevelErr, "status "+strconv.Itoa(r.status)+" cannot be sent; sending 500")
		r.status = http.StatusInternalServerError
	}
	r.headersSent = true
	r.contentLength = -1
	if cl := h["Content-Length"]; len(cl) == 1 {
		if n, err := strconv.ParseInt(cl[0], 10, 64); err == nil && n >= 0 {
			r.contentLength = n
		}
	}
	if r.status == http.StatusSwitchingProtocols && r.orig.ProtoMajor == 1 {
		// A request body nobody read stays for the new protocol (ngx.req.socket(true), a
		// tunnel), as in nginx: net/http would otherwise read it away with this header.
		_ = http.NewResponseController(r.w).EnableFullDuplex()
	}
	r.w.WriteHeader(r.status)
	return nil
}

// Write sends p as response body (ngx.print), sending the headers first if they have not gone
// out. It is an io.Writer, so fmt.Fprintf(r, ...) works.
func (r *Request) Write(p []byte) (int, error) {
	if !r.phase.CanOutput() {
		return 0, &PhaseError{r.phase}
	}
	if err := r.send(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Print sends s as response body (ngx.print).
func (r *Request) Print(s string) error {
	r.scratch = append(r.scratch[:0], s...)
	_, err := r.Write(r.scratch)
	return err
}

// Say sends s and a newline as response body (ngx.say).
func (r *Request) Say(s string) error {
	r.scratch = append(append(r.scratch[:0], s...), '\n')
	_, err := r.Write(r.scratch)
	return err
}

// Flush sends the headers if needed and pushes buffered output to the client (ngx.flush).
func (r *Request) Flush() error {
	if !r.phase.CanOutput() {
		return &PhaseError{r.phase}
	}
	if r.eofSent {
		return ErrSeenEOF
	}
	if err := r.SendHeaders(); err != nil {
		return err
	}
	if err := http.NewResponseController(r.w).Flush(); err != nil {
		return err
	}
	r.flushed, r.flushedBody = true, r.bytesSent
	return nil
}

// Eof ends the response body (ngx.eof); later output returns ErrSeenEOF. Hooks of the log phase
// still run.
func (r *Request) Eof() error {
	if !r.phase.CanOutput() {
		return &PhaseError{r.phase}
	}
	r.eofCalled = true
	return r.Finish()
}

// EofCalled reports whether Eof ran (ngx.eof): later output fails with ErrSeenEOF, where output
// after a body filter ended the body is dropped silently.
func (r *Request) EofCalled() bool { return r.eofCalled }

// Finish sends the headers if they have not gone out and ends the body, running the body filters
// on the last (empty) chunk. The pipeline calls it at the end of the content phase.
func (r *Request) Finish() error {
	if r.eofSent {
		return nil
	}
	if err := r.SendHeaders(); err != nil {
		return err
	}
	return r.finishBody()
}

// finishBody runs the body filters on the last (empty) chunk and marks the body ended.
func (r *Request) finishBody() error {
	if r.eofSent {
		return nil
	}
	r.eofSent = true
	if r.filter == nil {
		return nil
	}
	b, _, err := r.filter.FilterBody(r, nil, true)
	if err != nil {
		return r.filterFailed(err)
	}
	return r.writeBody(b)
}

// SendErrorPage ends the response with status and nginx's page for it, as nginx does when a
// request ends with an error status and nothing was sent yet. Headers the hooks set are kept,
// except those that describe another body (Content-Length, Content-Type, ETag, Last-Modified,
// Accept-Ranges).
func (r *Request) SendErrorPage(status int) error {
	if r.headersSent {
		return ErrHeadersSent
	}
	return r.sendPage(status)
}

func (r *Request) sendPage(status int) error {
	r.status = status
	page, ok := ErrorPage(status, r.opts.ServerTokens)
	h := r.w.Header()
	if (status >= 300 || ok) && r.parent == nil { // a subrequest keeps them, as in nginx
		for _, k := range [...]string{"Content-Length", "Etag", "Last-Modified", "Accept-Ranges"} {
			delete(h, k)
		}
	}
	if !ok || r.parent != nil { // a subrequest's special response has no page, as in nginx
		if r.parent == nil && (status >= 300 || status == http.StatusNoContent) {
			delete(h, "Content-Type")
			r.noType = true
			if status != http.StatusNoContent {
				h["Content-Length"] = []string{"0"}
			}
		}
		if err := r.SendHeaders(); err != nil {
			return err
		}
		return r.finishBody()
	}
	h["Content-Type"] = []string{"text/html"}
	h["Content-Length"] = []string{itoa(int64(len(page)))}
	if err := r.SendHeaders(); err != nil {
		return err
	}
	if err := r.filterAndWrite(page); err != nil {
		return err
	}
	return r.finishBody()
}

// filterFailed logs a filter's failure (worded by the pipeline) and marks the connection to
// be dropped, as nginx drops it.
func (r *Request) filterFailed(err error) error {
	if !errors.Is(err, ErrAbortResponse) {
		r.Log(LevelErr, err.Error())
	}
	r.aborted = true
	return err
}

// Aborted reports whether a filter failed, so the connection must be dropped rather than
// finished.
func (r *Request) Aborted() bool { return r.aborted }

// send writes body bytes, sending headers first and running the body filters. Output after a
// body filter ended the body, or after the response was replaced by an error page, is dropped
// silently, as nginx drops it.
func (r *Request) send(p []byte) error {
	if r.dropOutput {
		return nil
	}
	if r.eofSent {
		return ErrSeenEOF
	}
	if err := r.SendHeaders(); err != nil {
		return err
	}
	if r.dropOutput {
		return nil
	}
	return r.filterAndWrite(p)
}

// filterAndWrite passes p through the body filters and writes what they let through.
func (r *Request) filterAndWrite(p []byte) error {
	if r.filter != nil {
		b, eof, err := r.filter.FilterBody(r, p, false)
		if err != nil {
			return r.filterFailed(err)
		}
		p = b
		if eof {
			// A body filter ended the body (ngx.arg[2] = true): nothing more goes out.
			r.eofSent, r.dropOutput = true, true
		}
	}
	return r.writeBody(p)
}

// writeBody writes p to the client, never past a Content-Length the hooks set (nginx cuts the
// body there; net/http would refuse the write).
func (r *Request) writeBody(p []byte) error {
	if r.contentLength >= 0 {
		if left := r.contentLength - r.bytesSent; int64(len(p)) > left {
			p = p[:max(left, 0)]
		}
	}
	if len(p) == 0 {
		return nil
	}
	n, err := r.w.Write(p)
	r.bytesSent += int64(n)
	return err
}

// BodyChunk returns the chunk a body_filter hook is looking at (ngx.arg[1]) and whether it is the
// last one (ngx.arg[2]).
func (r *Request) BodyChunk() (data []byte, eof bool) { return r.chunk, r.chunkEOF }

// SetBodyChunk replaces the chunk a body_filter hook is looking at; later body filters and the
// client see data, and eof marks it as the last.
func (r *Request) SetBodyChunk(data []byte, eof bool) { r.chunk, r.chunkEOF = data, eof }

// ResponseWriter returns the http.ResponseWriter that a wrapped handler writes its response to:
// its headers and body pass through the location's header and body filters.
func (r *Request) ResponseWriter() http.ResponseWriter { return &r.rw }

// responseWriter lets a plain http.Handler produce the content of a request.
type responseWriter struct{ r *Request }

func (w *responseWriter) Header() http.Header { return w.r.w.Header() }

func (w *responseWriter) WriteHeader(code int) {
	r := w.r
	if r.headersSent {
		return
	}
	if code >= 100 && code < 200 {
		r.w.WriteHeader(code)
		return
	}
	r.status = code
	_ = r.SendHeaders() // a filter's failure is logged and drops the connection
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if err := w.r.send(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush implements http.Flusher.
func (w *responseWriter) Flush() {
	if w.r.SendHeaders() == nil {
		_ = http.NewResponseController(w.r.w).Flush()
	}
}

// Unwrap returns the server's ResponseWriter, for http.ResponseController.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.r.w }

// Abort makes the pipeline drop the connection instead of finishing the response, as nginx does
// after ngx.exit(ngx.ERROR) or a failure once the headers went out.
func (r *Request) Abort() { r.aborted = true }

// UnderlyingWriter returns the server's ResponseWriter, bypassing the filters.
func (r *Request) UnderlyingWriter() http.ResponseWriter { return r.w }

// MarkDone records that the response was written straight to UnderlyingWriter and is complete.
func (r *Request) MarkDone() { r.headersSent, r.eofSent = true, true }
