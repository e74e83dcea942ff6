package resty_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

func TestNginxResponseRules(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{ServerTokens: "nginx", Locations: []resty.Location{
		{Match: "= /close", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Exit(444) })}},
		{Match: "= /cut", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
			_ = r.SetResponseHeader("Content-Length", "4")
			return r.Print("0123456789")
		})}},
		{Match: "= /eof", Hooks: []resty.Hook{
			resty.Content(func(r *ngx.Request) error {
				if err := r.Print("first"); err != nil {
					return err
				}
				return r.Print("dropped")
			}),
			resty.BodyFilter(func(r *ngx.Request) error {
				data, _ := r.BodyChunk()
				r.SetBodyChunk(data, true)
				return nil
			}),
		}},
		{Match: "= /replace", Hooks: []resty.Hook{
			resty.Content(func(r *ngx.Request) error { return r.Say("original") }),
			resty.HeaderFilter(func(r *ngx.Request) error {
				if r.Status() == http.StatusOK {
					return r.Exit(http.StatusForbidden)
				}
				return r.SetResponseHeader("X-Filtered-Again", "1")
			}),
		}},
		{Match: "= /page-headers", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
			h := r.ResponseHeader()
			h.Set("ETag", `"x"`)
			h.Set("Last-Modified", "Thu, 01 Jan 1970 00:00:00 GMT")
			h.Set("Content-Encoding", "gzip")
			h.Set("X-Custom", "1")
			return r.Exit(404)
		})}},
	}})

	assert.Equal(t, 0, restytest.Get(h, "/close").StatusCode, "444 closes the connection")

	restytest.AssertBody(t, restytest.Get(h, "/cut"), "0123", "the body stops at the Content-Length set")

	restytest.AssertBody(t, restytest.Get(h, "/eof"), "first", "nothing after a body filter's eof")

	resp := restytest.Get(h, "/replace")
	restytest.AssertStatus(t, resp, http.StatusForbidden)
	restytest.AssertHeader(t, resp, "X-Filtered-Again", "1", "the header filter runs again on the page")
	assert.Contains(t, restytest.Body(resp), "<title>403 Forbidden</title>")
	assert.NotContains(t, restytest.Body(resp), "original")

	resp = restytest.Get(h, "/page-headers")
	restytest.AssertStatus(t, resp, http.StatusNotFound)
	restytest.AssertHeader(t, resp, "ETag", "")
	restytest.AssertHeader(t, resp, "Last-Modified", "")
	restytest.AssertHeader(t, resp, "Content-Encoding", "gzip")
	restytest.AssertHeader(t, resp, "X-Custom", "1")
	restytest.AssertHeader(t, resp, "Content-Type", "text/html")
}

func TestExitRunsHeaderFiltersOnce(t *testing.T) {
	runs := 0
	h := restytest.NewHandler(t, resty.Config{DefaultType: "-", Locations: []resty.Location{
		{Match: "/gone", Hooks: []resty.Hook{
			resty.Content(func(r *ngx.Request) error { return r.Exit(http.StatusNotFound) }),
			resty.HeaderFilter(func(r *ngx.Request) error {
				runs++
				r.ResponseHeader().Add("X-Always", "1")
				return nil
			}),
		}},
		{Match: "/raw", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Print("<html>hi</html>") })}},
	}})
	resp := restytest.Get(h, "/gone")
	restytest.AssertStatus(t, resp, http.StatusNotFound)
	assert.Equal(t, 1, runs)
	assert.Equal(t, []string{"1"}, resp.Header.Values("X-Always"))
	// default_type "" (DefaultType "-"): no Content-Type at all, not one sniffed by net/http.
	restytest.AssertHeader(t, restytest.Get(h, "/raw"), "Content-Type", "")
}

func TestBodyTooLargeErrorPage(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{
		MaxBodySize: 2,
		ErrorPages:  map[int]resty.ErrorPage{413: {URI: "/too-big"}},
		Locations: []resty.Location{
			{Match: "/upload", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Print("stored") })}},
			{Match: "= /too-big", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Print("too big") })}},
		},
	})
	resp := restytest.Post(h, "/upload", "text/plain", "12345")
	restytest.AssertStatus(t, resp, http.StatusRequestEntityTooLarge)
	restytest.AssertBody(t, resp, "too big")
}
