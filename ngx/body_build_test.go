package ngx_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
)

// A body built with InitBody, AppendBody and FinishBody is what later phases and the wrapped
// handler read; Content-Length follows at FinishBody (oracle cases bd_build*).
func TestBuildBody(t *testing.T) {
	req := httptest.NewRequest("POST", "/", strings.NewReader("orig=1"))
	req.Header.Set("Content-Length", "6")
	r := ngx.NewRequest(httptest.NewRecorder(), req, &ngx.Options{})
	assert.ErrorIs(t, r.AppendBody([]byte("x")), ngx.ErrBodyNotInitialized)
	assert.ErrorIs(t, r.FinishBody(), ngx.ErrBodyNotInitialized)
	assert.ErrorIs(t, r.InitBody(), ngx.ErrBodyNotRead, "the body was not read")

	require.NoError(t, r.ReadBody())
	require.NoError(t, r.InitBody())
	v, _ := r.Var("request_body")
	assert.Equal(t, "", v, "a new body is empty")
	require.NoError(t, r.AppendBody([]byte("p=1")))
	assert.Equal(t, "p=1", string(r.Body()))
	assert.Equal(t, "6", r.HTTPRequest().Header.Get("Content-Length"), "unchanged until FinishBody")
	require.NoError(t, r.FinishBody())
	require.NoError(t, r.AppendBody([]byte("&q=2")))
	require.NoError(t, r.FinishBody())
	down := r.HTTPRequest()
	assert.Equal(t, "7", down.Header.Get("Content-Length"))
	assert.EqualValues(t, 7, down.ContentLength)
	b, err := io.ReadAll(down.Body)
	require.NoError(t, err)
	assert.Equal(t, "p=1&q=2", string(b))
	assert.Equal(t, "6", req.Header.Get("Content-Length"), "the caller's request is left alone")

	r.SetBody([]byte("set"))
	assert.ErrorIs(t, r.AppendBody([]byte("x")), ngx.ErrBodyNotInitialized, "SetBody ends the building")
}

func TestBuildBodyAfterDiscard(t *testing.T) {
	r := ngx.NewRequest(httptest.NewRecorder(), httptest.NewRequest("POST", "/", strings.NewReader("a")), &ngx.Options{})
	r.DiscardBody()
	assert.ErrorIs(t, r.InitBody(), ngx.ErrBodyNotRead, "a discarded body was not read")

	r = ngx.NewRequest(httptest.NewRecorder(), httptest.NewRequest("POST", "/", strings.NewReader("a")), &ngx.Options{})
	require.NoError(t, r.ReadBody())
	r.DiscardBody() // after the read: the body stays
	assert.NoError(t, r.InitBody())
}
