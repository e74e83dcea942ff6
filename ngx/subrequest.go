package ngx

import (
	"errors"
	"maps"
	"net/http"
)

// Subrequests (ngx.location.capture): a Request may serve a request of its own through the
// locations of its Handler and capture the response. As in nginx, a subrequest runs the set,
// rewrite and content phases and the filters of its location, but not access and log; its
// special responses (ngx.exit(404), no content) carry a status and headers but no page.

// Captured is the response of a subrequest.
type Captured struct {
	Status int         // the response status (200 when the subrequest set none)
	Header http.Header // the response headers the subrequest set, Content-Type included
	Body   []byte      // the response body, after the subrequest's body filters
}

// SubrequestFunc serves req as a subrequest of parent; setup, when not nil, prepares the
// subrequest's Request before its phases run. The Handler provides it (Options.Subrequest).
type SubrequestFunc func(parent *Request, req *http.Request, setup func(sub *Request)) (*Captured, error)

// MaxSubrequestDepth bounds nested subrequests as nginx bounds them: 51 deep (its limit of 50
// subrequests counts from the first one's own).
const MaxSubrequestDepth = 51

// ErrSubrequestCycle is what Subrequest returns beyond MaxSubrequestDepth nested subrequests.
var ErrSubrequestCycle = errors.New("subrequests cycle")

// ErrNoSubrequests is what Subrequest returns when the Request's Options have no Subrequest.
var ErrNoSubrequests = errors.New("ngx: subrequests need a Handler (Options.Subrequest)")

// Subrequest serves req as a subrequest and returns its response. setup, when not nil, prepares
// the subrequest's Request (its ngx.ctx, variables) before its phases run. The subrequest
// starts with r's request headers unless req has its own.
func (r *Request) Subrequest(req *http.Request, setup func(sub *Request)) (*Captured, error) {
	if r.opts.Subrequest == nil {
		return nil, ErrNoSubrequests
	}
	if r.depth >= MaxSubrequestDepth {
		return nil, ErrSubrequestCycle
	}
	return r.opts.Subrequest(r, req, setup)
}

// SetParent makes r a subrequest of parent; the Handler calls it before r's phases run. A
// subrequest is internal, as in nginx: it reaches internal locations.
func (r *Request) SetParent(parent *Request) {
	r.parent = parent
	r.depth = parent.depth + 1
	r.internal = true
}

// Parent returns the request r is a subrequest of, or nil.
func (r *Request) Parent() *Request { return r.parent }

// IsSubrequest reports whether r is a subrequest (ngx.is_subrequest).
func (r *Request) IsSubrequest() bool { return r.parent != nil }

// CopyVars gives r a copy of the variables parent's hooks assigned (copy_all_vars); with share,
// r and parent share them instead, so assignments in either show in both (share_all_vars).
func (r *Request) CopyVars(parent *Request, share bool) {
	if parent.vars == nil {
		parent.vars = make(map[string]userVar)
	}
	if share {
		r.vars = parent.vars
		return
	}
	r.vars = maps.Clone(parent.vars)
}
