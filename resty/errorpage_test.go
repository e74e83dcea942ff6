package resty_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

func TestErrorPages(t *testing.T) {
	var method string
	h := restytest.NewHandler(t, resty.Config{
		ErrorPages: map[int]resty.ErrorPage{
			404: {URI: "/404.html"},
			403: {URI: "@denied", Status: 200},
			500: {URI: "/broken"},
		},
		Locations: []resty.Location{
			{Match: "= /404.html", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
				method = r.Method()
				return r.Print("custom not found " + r.URI())
			})}},
			{Match: "@denied", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Print("go away") })}},
			{Match: "/deny", Hooks: []resty.Hook{resty.Access(func(r *ngx.Request) error { return r.Exit(403) })}},
			{Match: "/fail", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Exit(500) })}},
			{Match: "= /broken", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Exit(500) })}},
		},
	})
	resp := restytest.Do(h, restytest.NewRequest("POST", "/missing", nil))
	restytest.AssertStatus(t, resp, http.StatusNotFound)
	restytest.AssertBody(t, resp, "custom not found /404.html")
	assert.Equal(t, "GET", method, "the error page is fetched with GET")

	resp = restytest.Get(h, "/deny")
	restytest.AssertStatus(t, resp, http.StatusOK)
	restytest.AssertBody(t, resp, "go away")

	// The error page fails too: nginx's own page, no second redirect.
	resp = restytest.Get(h, "/fail")
	restytest.AssertStatus(t, resp, http.StatusInternalServerError)
	assert.Contains(t, restytest.Body(resp), "500 Internal Server Error")

	_, err := resty.New(resty.Config{ErrorPages: map[int]resty.ErrorPage{200: {URI: "/x"}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "error page 200")
}
