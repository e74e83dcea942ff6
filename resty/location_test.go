package resty_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

func printVars(names ...string) resty.Hook {
	return resty.Content(func(r *ngx.Request) error {
		var out []string
		for _, n := range names {
			v, ok := r.Var(n)
			if !ok {
				v = "nil"
			}
			out = append(out, n+"="+v)
		}
		return r.Print(strings.Join(out, " "))
	})
}

func TestPerLocationSettings(t *testing.T) {
	body := resty.Content(func(r *ngx.Request) error {
		if err := r.ReadBody(); err != nil {
			return err
		}
		return r.Print("read " + string(r.Body()))
	})
	h := restytest.NewHandler(t, resty.Config{
		Server:      "goresty-test",
		DefaultType: "text/html",
		MaxBodySize: 10,
		ErrorPages:  map[int]resty.ErrorPage{404: {URI: "/server404?from=server"}},
		Locations: []resty.Location{
			{Match: "/json", DefaultType: "application/json", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Print("{}") })}},
			{Match: "/small", MaxBodySize: 3, Hooks: []resty.Hook{body}},
			{Match: "/big", MaxBodySize: -1, Hooks: []resty.Hook{body}},
			{Match: "/own", ErrorPages: map[int]resty.ErrorPage{404: {URI: "@own"}},
				Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Exit(404) })}},
			{Match: "/other", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Exit(404) })}},
			{Match: "@own", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error { return r.Print("own page") })}},
			{Match: "= /server404", Hooks: []resty.Hook{printVars("args", "arg_from")}},
			{Match: `~ ^/items/(\d+)/(?P<action>\w+)$`, Hooks: []resty.Hook{printVars("1", "2", "3", "action")}},
			{Match: "/plain", Hooks: []resty.Hook{printVars("1")}},
		},
	})
	resp := restytest.Get(h, "/json")
	restytest.AssertHeader(t, resp, "Content-Type", "application/json")
	restytest.AssertHeader(t, resp, "Server", "goresty-test")
	restytest.AssertHeader(t, restytest.Get(h, "/plain"), "Content-Type", "text/html")

	restytest.AssertStatus(t, restytest.Post(h, "/small", "text/plain", "1234"), http.StatusRequestEntityTooLarge)
	restytest.AssertBody(t, restytest.Post(h, "/small", "text/plain", "123"), "read 123")
	restytest.AssertStatus(t, restytest.Post(h, "/other", "text/plain", "12345678901"), http.StatusRequestEntityTooLarge)
	restytest.AssertBody(t, restytest.Post(h, "/big", "text/plain", "12345678901"), "read 12345678901")

	resp = restytest.Get(h, "/own")
	restytest.AssertStatus(t, resp, http.StatusNotFound)
	restytest.AssertBody(t, resp, "own page")
	resp = restytest.Get(h, "/other?lost=1")
	restytest.AssertStatus(t, resp, http.StatusNotFound)
	restytest.AssertBody(t, resp, "args=from=server arg_from=server", "the page gets its own arguments only")

	restytest.AssertBody(t, restytest.Get(h, "/items/42/edit"), "1=42 2=edit 3=nil action=edit")
	restytest.AssertBody(t, restytest.Get(h, "/plain"), "1=nil")
}

func TestRequestValues(t *testing.T) {
	type key struct{}
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{
		{Match: "/a", Hooks: []resty.Hook{resty.Rewrite(func(r *ngx.Request) error {
			r.SetValue(key{}, "kept")
			return r.Exec("/b")
		})}},
		{Match: "/b", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
			v, _ := r.Value(key{}).(string)
			return r.Print(v)
		})}},
	}})
	restytest.AssertBody(t, restytest.Get(h, "/a"), "kept", "values survive an internal redirect")
	restytest.AssertBody(t, restytest.Get(h, "/b"), "", "and never leak into another request")
	assert.NotNil(t, h)
}
