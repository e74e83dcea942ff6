package restytest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// recorder is an assert.TestingT that remembers failures instead of failing the test.
type recorder struct{ failed bool }

func (r *recorder) Errorf(string, ...any) { r.failed = true }

func TestAssertions(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
			_ = r.SetResponseHeader("X-A", "1")
			return r.Print("body")
		})},
	}}})
	resp := restytest.Get(h, "/")
	tests := []struct {
		name string
		fn   func(assert.TestingT) bool
		pass bool
	}{
		{"status ok", func(t assert.TestingT) bool { return restytest.AssertStatus(t, resp, 200) }, true},
		{"status wrong", func(t assert.TestingT) bool { return restytest.AssertStatus(t, resp, 404) }, false},
		{"body ok", func(t assert.TestingT) bool { return restytest.AssertBody(t, resp, "body") }, true},
		{"body read twice", func(t assert.TestingT) bool { return restytest.AssertBody(t, resp, "body") }, true},
		{"body wrong", func(t assert.TestingT) bool { return restytest.AssertBody(t, resp, "other") }, false},
		{"header ok", func(t assert.TestingT) bool { return restytest.AssertHeader(t, resp, "X-A", "1") }, true},
		{"header absent ok", func(t assert.TestingT) bool { return restytest.AssertHeader(t, resp, "X-B", "") }, true},
		{"header wrong", func(t assert.TestingT) bool { return restytest.AssertHeader(t, resp, "X-A", "2") }, false},
		{"header should be absent", func(t assert.TestingT) bool { return restytest.AssertHeader(t, resp, "X-A", "") }, false},
	}
	for _, tt := range tests {
		var rec recorder
		assert.Equal(t, tt.pass, tt.fn(&rec), tt.name)
		assert.Equal(t, !tt.pass, rec.failed, tt.name)
	}
}

func TestAbortedResponse(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Exit(ngx.CodeError) })},
	}}})
	resp := restytest.Get(h, "/")
	assert.Equal(t, 0, resp.StatusCode)
	assert.Equal(t, "000 connection aborted", resp.Status)
	assert.Empty(t, restytest.Body(resp))
}

func TestPostAndAppPanicPropagates(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("app bug")
	})})
	assert.PanicsWithValue(t, "app bug", func() { restytest.Post(h, "/", "text/plain", "x") })
}
