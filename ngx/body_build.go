package ngx

import (
	"bytes"
	"errors"
	"io"
	"net/http"
)

var (
	// ErrBodyNotRead is returned by InitBody when the request body was neither read nor
	// replaced (it was not read, or it was discarded).
	ErrBodyNotRead = errors.New("request body not read yet")
	// ErrBodyNotInitialized is returned by AppendBody and FinishBody before InitBody.
	ErrBodyNotInitialized = errors.New("request_body not initialized")
)

// InitBody starts a new, empty request body that AppendBody fills (ngx.req.init_body). The body
// must have been read (ReadBody) or set first; a discarded one has not been. Until FinishBody,
// the Content-Length request header keeps its old value.
func (r *Request) InitBody() error {
	if !r.bodyRead || r.discarded {
		return ErrBodyNotRead
	}
	r.building = true
	r.body = []byte{}
	r.own()
	r.req.Body = http.NoBody
	return nil
}

// AppendBody adds b to the request body that InitBody started (ngx.req.append_body). It may be
// called after FinishBody too, which then has to be called again to update Content-Length.
func (r *Request) AppendBody(b []byte) error {
	if !r.building {
		return ErrBodyNotInitialized
	}
	r.body = append(r.body, b...)
	r.req.Body = io.NopCloser(bytes.NewReader(r.body))
	return nil
}

// FinishBody completes the request body that InitBody started and AppendBody filled
// (ngx.req.finish_body): Content-Length becomes its length.
func (r *Request) FinishBody() error {
	if !r.building {
		return ErrBodyNotInitialized
	}
	r.setBody(r.body)
	return nil
}
