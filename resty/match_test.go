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

// named returns a location whose content hook answers with its own Match.
func named(match string) resty.Location {
	return resty.Location{Match: match, Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
		return r.Print(r.Location())
	})}}
}

func TestLocationMatching(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{
		Next: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("app")) }),
		Locations: []resty.Location{
			named("= /"),
			named("/"),
			named("/documents/"),
			named("^~ /images/"),
			named("~* \\.(gif|jpg|jpeg)$"),
			named("~ ^/api/v[0-9]+/"),
			named("/api/"),
			named("= /exact"),
			named("=/nospace"),
			named("~ (?<=x)y$"), // PCRE-only syntax: falls back to regexp2
		},
	})
	tests := []struct{ path, want string }{
		{"/", "= /"},
		{"/index.html", "/"},
		{"/documents/document.html", "/documents/"},
		{"/images/1.gif", "^~ /images/"},
		{"/documents/1.jpg", "~* \\.(gif|jpg|jpeg)$"},
		{"/documents/1.JPG", "~* \\.(gif|jpg|jpeg)$"},
		{"/api/v2/users", "~ ^/api/v[0-9]+/"},
		{"/api/users", "/api/"},
		{"/exact", "= /exact"},
		{"/exact/", "/"},
		{"/nospace", "=/nospace"},
		{"/axy", "~ (?<=x)y$"},
		{"//documents/./a/../x", "/documents/"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp := restytest.Get(h, tt.path)
			restytest.AssertBody(t, resp, tt.want)
		})
	}
}

func TestNoMatchGoesToApp(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{
		Next:      http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("app")) }),
		Locations: []resty.Location{named("= /x")},
	})
	restytest.AssertBody(t, restytest.Get(h, "/y"), "app")
}

func TestNoNextAnswers404(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{named("= /x")}})
	resp := restytest.Get(h, "/y")
	restytest.AssertStatus(t, resp, http.StatusNotFound)
	assert.Contains(t, restytest.Body(resp), "<center><h1>404 Not Found</h1></center>")
}

func TestConfigErrors(t *testing.T) {
	ok := func(*ngx.Request) error { return nil }
	tests := []struct {
		name string
		c    resty.Config
		want string
	}{
		{"duplicate exact", resty.Config{Locations: []resty.Location{named("= /a"), named("= /a")}},
			`location "= /a": duplicate location`},
		{"duplicate prefix", resty.Config{Locations: []resty.Location{named("/a"), named("^~ /a")}},
			`location "^~ /a": duplicate location`},
		{"duplicate named", resty.Config{Locations: []resty.Location{named("@a"), named("@a")}},
			`location "@a": duplicate location`},
		{"bad regex", resty.Config{Locations: []resty.Location{named("~ ^/(a")}},
			`location "~ ^/(a": invalid regex "^/(a"`},
		{"empty", resty.Config{Locations: []resty.Location{named("= ")}},
			`location "= ": missing path`},
		{"nil hook", resty.Config{Locations: []resty.Location{{Match: "/n", Hooks: []resty.Hook{{Phase: ngx.PhaseAccess}}}}},
			`location "/n": hook 0 (access): no function`},
		{"unknown phase", resty.Config{Locations: []resty.Location{{Match: "/u", Hooks: []resty.Hook{{Phase: 42, Go: ok}}}}},
			`location "/u": hook 0: unknown phase 42`},
		{"init in location", resty.Config{Locations: []resty.Location{{Match: "/i", Hooks: []resty.Hook{{Phase: ngx.PhaseInit, Go: ok}}}}},
			`location "/i": hook 0: unknown phase 1 (init) for a location`},
		{"server nil hook", resty.Config{Hooks: []resty.Hook{{Phase: ngx.PhaseLog}}}, `hook 0 (log): no function`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resty.New(tt.c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
