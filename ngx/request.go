package ngx

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Options are the settings a Handler shares with every request it serves.
type Options struct {
	// Logger receives ngx.log, print and error lines. Nil means slog.Default().
	Logger *slog.Logger
	// ServerTokens is printed in the footer of error pages, as nginx prints "nginx/1.22.1".
	ServerTokens string
	// DefaultType is the Content-Type of responses that set none (nginx's default_type).
	// Empty means no Content-Type is added.
	DefaultType string
	// MaxBodySize is the largest request body accepted, in bytes (client_max_body_size);
	// a larger one ends the request with 413. Zero means no limit.
	MaxBodySize int64
	// Variables are the user variables hooks may assign (nginx's "set $name"), keyed by their
	// names in lower case (variable names are case-insensitive); assigning any other name that
	// is not a changeable built-in fails, as in nginx.
	Variables map[string]bool
	// Server is the Server header of every response; empty sends none.
	Server string
	// UnderscoresInHeaders keeps request headers whose names hold "_"; nginx ignores them by
	// default (underscores_in_headers off).
	UnderscoresInHeaders bool
	// ServerName is $server_name, and $host when the request has no Host.
	ServerName string
	// Subrequest serves subrequests (Request.Subrequest); the Handler sets it.
	Subrequest SubrequestFunc

	// Header values built once by Prepare, shared by every response (never changed in place:
	// http.Header's methods replace slices).
	defaultTypeHdr, serverHdr []string
	prepared                  bool
}

// Prepare builds the header values every response shares, once; the Handler calls it before
// serving, so requests do not allocate them. Options must not change afterwards.
func (o *Options) Prepare() {
	if o.DefaultType != "" {
		o.defaultTypeHdr = []string{o.DefaultType}
	}
	if o.Server != "" {
		o.serverHdr = []string{o.Server}
	}
	o.prepared = true
}

func (o *Options) defaultTypeValue() []string {
	if o.prepared || o.DefaultType == "" {
		return o.defaultTypeHdr
	}
	return []string{o.DefaultType}
}

func (o *Options) serverValue() []string {
	if o.prepared || o.Server == "" {
		return o.serverHdr
	}
	return []string{o.Server}
}

// Filter runs a location's header_filter and body_filter hooks. The pipeline (package resty)
// implements it; a Request calls it when its response headers and body go out.
type Filter interface {
	// FilterHeader runs the header_filter hooks; they may change r's status and headers.
	FilterHeader(r *Request) error
	// FilterBody runs the body_filter hooks on one chunk and returns what is to be sent and
	// whether the hooks made it the last chunk.
	FilterBody(r *Request, chunk []byte, eof bool) ([]byte, bool, error)
}

// Errors a Request returns.
var (
	// ErrExit is returned by Exit, Redirect and Exec; a hook returns it so the pipeline stops the
	// hook's phase and does what the call asked for.
	ErrExit = errors.New("ngx: request exited")
	// ErrHeadersSent is returned when a call changes response headers after they went out.
	ErrHeadersSent = errors.New("attempt to set ngx.header.HEADER after sending out response headers")
	// ErrStatusSent is returned by SetStatus after the response headers went out.
	ErrStatusSent = errors.New("attempt to set ngx.status after sending out response headers")
	// ErrSeenEOF is returned by output calls after Eof.
	ErrSeenEOF = errors.New("seen eof")
	// ErrTruncated is returned with arguments or headers cut at the requested maximum.
	ErrTruncated = errors.New("truncated")
	// ErrAbortResponse is returned by a filter that drops the connection on purpose (a body
	// filter's "return ngx.ERROR"); nothing is logged for it.
	ErrAbortResponse = errors.New("ngx: response aborted")
	// ErrBodyTooLarge is returned by ReadBody when the body exceeds Options.MaxBodySize.
	ErrBodyTooLarge = errors.New("request body too large")
)

// PhaseError is returned by a call that the current phase forbids.
type PhaseError struct{ Phase Phase }

// Error words the error as OpenResty does.
func (e *PhaseError) Error() string { return "API disabled in the context of " + e.Phase.String() }

// Request is one HTTP request on its way through a Handler's phases. Hooks receive it; it is valid
// only until the request ends. Its methods are not safe for concurrent use.
type Request struct {
	opts   *Options
	filter Filter
	w      http.ResponseWriter
	rw     responseWriter
	orig   *http.Request
	req    *http.Request // orig, or a shallow copy once the request was changed
	copied bool          // req is our own copy
	hdrOwn bool          // req.Header is our own copy

	start    time.Time
	phase    Phase
	location string

	method string
	uri    string
	args   string

	status           int
	headersSent      bool
	eofSent          bool
	eofCalled        bool // Eof ran (ngx.eof)
	aborted          bool
	noType           bool     // send no default Content-Type (bodiless error statuses)
	defaultType      []string // nil for none
	maxBody          int64
	captures         []string
	captureNames     []string
	values           []keyValue
	replaced         bool  // a header filter replaced the response with an error page
	noNotModified    bool  // DisableNotModified was called
	dropOutput       bool  // later output is dropped (a body filter ended the body, or replaced)
	contentLength    int64 // Content-Length sent with the headers; -1 for none
	bytesSent        int64
	flushed          bool // Flush ran: flushedBody bytes of the body reached the connection
	flushedBody      int64
	contentLengthVar cachedVar // $content_length as first read

	exited    bool
	exitCode  int
	execURI   string
	execArgs  string
	execKind  uint8 // 0 none, execRedirect, execRedirectArgs, execJump
	internal  bool
	jumped    bool // the location was searched again after a jump (Jumped)
	errPage   bool // an error page redirect happened
	errStatus int  // status the error page's response is sent with

	body      []byte
	bodyRead  bool
	discarded bool // DiscardBody ran (InitBody then refuses)
	building  bool // InitBody ran: AppendBody and FinishBody work on body

	chunk    []byte
	chunkEOF bool

	ctx     map[string]any
	setArgs []string
	clock   Clock
	script  any
	vars    map[string]userVar
	// provided are the read-only variables a module gave values (ProvideVar).
	provided map[string]string
	// varSources compute the read-only variables of a prefix (ProvideVars).
	varSources []varSource
	argsNull   bool // $args is not found: no "?" in the request line, or unset (nginx's NULL args)
	scratch    []byte
	parent     *Request // the request this one is a subrequest of
	depth      int      // how deep a subrequest: 0 for a main request
}

// NewRequest starts a request. The pipeline calls it; tests of hooks use resty/restytest instead.
func NewRequest(w http.ResponseWriter, req *http.Request, opts *Options) *Request {
	r := &Request{}
	r.Reset(w, req, opts)
	return r
}

// Reset prepares r for a new request, keeping its buffers, so Requests can be pooled.
func (r *Request) Reset(w http.ResponseWriter, req *http.Request, opts *Options) {
	scratch := r.scratch[:0]
	*r = Request{opts: opts, w: w, orig: req, req: req, scratch: scratch}
	r.rw.r = r
	r.start = time.Now()
	r.clock.Set(r.start)
	r.method = req.Method
	r.uri = NormalizePath(req.URL.Path)
	r.args = req.URL.RawQuery
	r.argsNull = r.args == "" && !strings.Contains(req.RequestURI, "?")
	r.contentLength = -1
	r.defaultType, r.maxBody = opts.defaultTypeValue(), opts.MaxBodySize
	if !opts.UnderscoresInHeaders {
		r.dropUnderscoreHeaders()
	}
}

// SetFilter sets the filter that runs the current location's header and body filters; nil for none.
func (r *Request) SetFilter(f Filter) { r.filter = f }

// SetPhase records the phase that is running; the pipeline calls it.
func (r *Request) SetPhase(p Phase) { r.phase = p }

// Phase returns the running phase.
func (r *Request) Phase() Phase { return r.phase }

// SetLocation records the name of the location serving the request, for logs.
func (r *Request) SetLocation(name string) { r.location = name }

// Location returns the name of the location serving the request.
func (r *Request) Location() string { return r.location }

// Context returns the request's context; it is cancelled when the client goes away.
func (r *Request) Context() context.Context { return r.orig.Context() }

// StartTime returns when the request started (ngx.req.start_time).
func (r *Request) StartTime() time.Time { return r.start }

// Ctx returns the per-request table that hooks of all phases share (ngx.ctx). It is emptied by
// an internal redirect (Exec), as in OpenResty.
func (r *Request) Ctx() map[string]any {
	if r.ctx == nil {
		r.ctx = make(map[string]any)
	}
	return r.ctx
}

// SetCtx replaces the per-request table (assigning ngx.ctx).
func (r *Request) SetCtx(m map[string]any) { r.ctx = m }

// Logger returns the logger of the Handler serving r.
func (r *Request) Logger() *slog.Logger {
	if r.opts.Logger != nil {
		return r.opts.Logger
	}
	return slog.Default()
}

// Log writes msg to the error log at level, with the location, phase and client as nginx does.
func (r *Request) Log(level Level, msg string, attrs ...slog.Attr) {
	l := r.Logger()
	ctx := r.Context()
	if !l.Enabled(ctx, level.Slog()) {
		return
	}
	all := make([]slog.Attr, 0, len(attrs)+5)
	all = append(all, slog.String("level", level.String()), slog.String("location", r.location),
		slog.String("phase", r.phase.String()), slog.String("client", r.remoteAddr()),
		slog.String("request", r.orig.Method+" "+r.orig.RequestURI+" "+r.orig.Proto))
	l.LogAttrs(ctx, level.Slog(), msg, append(all, attrs...)...)
}

// Exit ends the current hook with status and returns ErrExit, which the hook should return.
// As ngx.exit: a status of 200 or more ends the request with that status (and nginx's error page
// for it when nothing was sent yet); 0 (ngx.OK) in rewrite or access moves on to the next hook;
// in content it ends the response with what was sent so far.
func (r *Request) Exit(status int) error {
	r.exited = true
	r.exitCode = status
	return ErrExit
}

// Exited reports whether Exit, Redirect or Exec was called, and with which status.
func (r *Request) Exited() (status int, ok bool) { return r.exitCode, r.exited }

// ClearExit forgets an Exit with status 0 so the next hook runs; the pipeline calls it.
func (r *Request) ClearExit() { r.exited, r.exitCode = false, 0 }

// Redirect sends a redirect to uri with status 301, 302, 303, 307 or 308 (0 means 302) and ends
// the request; it returns ErrExit.
func (r *Request) Redirect(uri string, status int) error {
	switch status {
	case 0:
		status = http.StatusFound
	case 301, 302, 303, 307, 308:
	default:
		return errors.New("only ngx.HTTP_MOVED_TEMPORARILY, ngx.HTTP_MOVED_PERMANENTLY, " +
			"ngx.HTTP_PERMANENT_REDIRECT, ngx.HTTP_SEE_OTHER, and ngx.HTTP_TEMPORARY_REDIRECT are allowed")
	}
	if r.headersSent {
		return ErrHeadersSent
	}
	r.w.Header().Set("Location", uri)
	return r.Exit(status)
}

const (
	execRedirect     = 1 + iota // Exec without arguments
	execRedirectArgs            // Exec with arguments
	execJump                    // SetURIJump
	execInternalJump            // InternalJump
)

// Exec makes an internal redirect to uri (with its ?args, if any) or to a named location "@name":
// the request starts again from the rewrite phase of the location uri matches, with an empty
// Ctx. It returns ErrExit.
func (r *Request) Exec(uri string) error {
	path, args, hasArgs := strings.Cut(uri, "?")
	if strings.HasPrefix(uri, "@") {
		path, args, hasArgs = uri, "", false
	}
	return r.ExecArgs(path, args, hasArgs)
}

// ExecArgs is Exec with the arguments apart (ngx.exec(uri, args)): with hasArgs the request's
// arguments become args (none when empty, as nginx's), without it they are kept.
func (r *Request) ExecArgs(path, args string, hasArgs bool) error {
	if path == "" {
		return errors.New("uri is empty")
	}
	r.execURI, r.execArgs, r.execKind = path, args, execRedirect
	if hasArgs {
		r.execKind = execRedirectArgs
	}
	return r.Exit(0)
}

// SetURIJump changes the URI and makes the pipeline look for the location again, keeping Ctx
// (ngx.req.set_uri(uri, true), like nginx's "rewrite ... last"). It returns ErrExit.
func (r *Request) SetURIJump(uri string) error {
	if uri == "" {
		return errors.New("uri is empty")
	}
	r.execURI, r.execArgs, r.execKind = uri, "", execJump
	return r.Exit(0)
}

// InternalJump is ngx.req.set_uri(uri, true): the URI becomes uri, the arguments stay, and the
// location is looked up again with an empty Ctx, the request now internal, as after Exec; but,
// as after SetURIJump, the request has jumped (Jumped), so the server's rewrite directives do
// not run again. It returns ErrExit.
func (r *Request) InternalJump(uri string) error {
	if uri == "" {
		return errors.New("uri is empty")
	}
	r.execURI, r.execArgs, r.execKind = uri, "", execInternalJump
	return r.Exit(0)
}

// Jumped reports whether the location of the request was found again after SetURIJump or
// InternalJump (nginx's rewrite ... last, ngx.req.set_uri(uri, true)) rather than after Exec or
// for the request as it came: the server-level rewrite directives then do not run again.
func (r *Request) Jumped() bool { return r.jumped }

// MarkInternal makes the request internal for good (ngx.req.is_internal, the internal
// directive), as nginx makes a request whose URI a rewrite directive changed.
func (r *Request) MarkInternal() { r.internal = true }

// TakeExec applies a pending Exec or SetURIJump to the request and returns its target: a path
// to match, or "@name". The pipeline calls it.
func (r *Request) TakeExec() (string, bool) {
	if r.execKind == 0 {
		return "", false
	}
	target := r.execURI
	if !strings.HasPrefix(target, "@") {
		r.uri = target
		switch r.execKind {
		case execRedirectArgs:
			r.args, r.argsNull = r.execArgs, r.execArgs == ""
		case execInternalJump:
			r.argsNull = r.args == "" // empty arguments read as nil after the jump, as in nginx
		}
	}
	if r.execKind != execJump {
		r.internal = true
		r.ctx = nil
	}
	r.jumped = r.execKind == execJump || r.execKind == execInternalJump
	r.execURI, r.execArgs, r.execKind = "", "", 0
	r.exited, r.exitCode = false, 0
	return target, true
}

// IsInternal reports whether the request is an internal redirect (ngx.req.is_internal).
func (r *Request) IsInternal() bool { return r.internal }

// Clear drops every reference r holds to the finished request, keeping its buffers, so a pooled
// Request does not keep a response writer or body alive.
func (r *Request) Clear() {
	scratch := r.scratch[:0]
	if cap(scratch) > 64<<10 {
		scratch = nil
	}
	*r = Request{scratch: scratch}
}

// Scratch returns a reusable buffer of the request, empty, for building output without
// allocating; SetScratch hands it back (grown) after use.
func (r *Request) Scratch() []byte { return r.scratch[:0] }

// SetScratch keeps b as the request's reusable buffer.
func (r *Request) SetScratch(b []byte) { r.scratch = b }

// SetArgsList returns the arguments of the running set_by_lua hook (ngx.arg[n]).
func (r *Request) SetArgsList() []string { return r.setArgs }

// SetSetArgsList records the arguments for a set_by_lua hook; the pipeline calls it.
func (r *Request) SetSetArgsList(args []string) { r.setArgs = args }

// Clock returns the request's cached clock (ngx.now, ngx.time): it starts at StartTime and moves
// on Update, which the binding calls after every call that yields in OpenResty.
func (r *Request) Clock() *Clock { return &r.clock }

// Script returns the scripting state the request holds (the Lua state of its Lua hooks), or nil.
func (r *Request) Script() any { return r.script }

// SetScript records the scripting state the request holds until it ends; the pipeline calls it.
func (r *Request) SetScript(s any) { r.script = s }

// ExecPending reports whether Exec or SetURIJump asked for an internal redirect not yet taken.
func (r *Request) ExecPending() bool { return r.execKind != 0 }

// UseErrorPage records that the request is redirected to the page of error status; the
// response goes out with status, or with override when it is not zero (error_page 404 =200).
// Non-HEAD requests become GET, as nginx makes them.
func (r *Request) UseErrorPage(status, override int) {
	r.errPage = true
	r.errStatus = status
	if override != 0 {
		r.errStatus = override
	}
	if r.method != http.MethodHead {
		r.method = http.MethodGet
	}
}

// MarkErrorPage keeps later errors of the request from using an error page.
func (r *Request) MarkErrorPage() { r.errPage = true }

// ErrorPageUsed reports whether the request was already redirected to an error page.
func (r *Request) ErrorPageUsed() bool { return r.errPage }

// dropUnderscoreHeaders removes request headers whose names hold "_", as nginx ignores them.
func (r *Request) dropUnderscoreHeaders() {
	for k := range r.req.Header {
		if strings.IndexByte(k, '_') >= 0 {
			r.ownHeader()
			delete(r.req.Header, k)
		}
	}
}

// SetDefaultType sets the Content-Type of a response that sets none, for the location serving
// the request (default_type); "" for none. The pipeline calls it.
func (r *Request) SetDefaultType(t string) {
	switch {
	case t == "":
		r.defaultType = nil
	case len(r.defaultType) == 0 || r.defaultType[0] != t:
		r.defaultType = []string{t}
	}
}

// SetMaxBodySize sets the largest request body accepted for the location serving the request
// (client_max_body_size); 0 for no limit. The pipeline calls it.
func (r *Request) SetMaxBodySize(n int64) { r.maxBody = n }

// MaxBodySize returns the largest request body accepted; 0 means no limit.
func (r *Request) MaxBodySize() int64 { return r.maxBody }

// SetCaptures records the captures of the location's regular expression: caps[0] is the whole
// match, caps[n] is $n; names[n], when not empty, also makes caps[n] the variable of that name
// (a named capture). The pipeline calls it when a regex location matches.
func (r *Request) SetCaptures(caps, names []string) { r.captures, r.captureNames = caps, names }

// Capture returns regex capture $n of the location's match and whether it exists.
func (r *Request) Capture(n int) (string, bool) {
	if n < 0 || n >= len(r.captures) {
		return "", false
	}
	return r.captures[n], true
}

type keyValue struct{ key, value any }

// Value returns what SetValue stored under key for this request, or nil. Unlike Ctx, values
// survive internal redirects; they are for the code that configures the pipeline (the
// nginx.conf loader keeps its rewrite-module state here).
func (r *Request) Value(key any) any {
	for _, kv := range r.values {
		if kv.key == key {
			return kv.value
		}
	}
	return nil
}

// SetValue stores value under key for the rest of the request. Keys are compared with ==; use
// an unexported type, as with context.WithValue.
func (r *Request) SetValue(key, value any) {
	for i := range r.values {
		if r.values[i].key == key {
			r.values[i].value = value
			return
		}
	}
	r.values = append(r.values, keyValue{key, value})
}
