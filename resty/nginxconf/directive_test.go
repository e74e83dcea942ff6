package nginxconf

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestArgHasVars(t *testing.T) {
	d := &Directive{Name: "set", Args: []string{"$a", "plain", "x${b}", `\$`}}
	assert.True(t, d.ArgHasVars(0))
	assert.False(t, d.ArgHasVars(1))
	assert.True(t, d.ArgHasVars(2))
	assert.True(t, d.ArgHasVars(3), "nginx has no escape for $")
	assert.False(t, d.ArgHasVars(4), "out of range")
	assert.False(t, d.ArgHasVars(-1), "negative")
}

func TestFind(t *testing.T) {
	ds, err := parseString(t, "http { server { listen 1; } server { listen 2; } gzip on; }")
	require.NoError(t, err)
	servers := ds[0].Find("server")
	require.Len(t, servers, 2)
	assert.Equal(t, []string{"2"}, servers[1].Find("listen")[0].Args)
	assert.Empty(t, ds[0].Find("location"))
	assert.Len(t, Find(ds, "http"), 1)
}

func TestWalk(t *testing.T) {
	ds, err := parseString(t, "http { server { location / { return 204; } } } events {}")
	require.NoError(t, err)
	var seen []string
	Walk(ds, func(d *Directive, parents []*Directive) bool {
		names := make([]string, 0, len(parents)+1)
		for _, p := range parents {
			names = append(names, p.Name)
		}
		seen = append(seen, strings.Join(append(names, d.Name), "/"))
		return d.Name != "location"
	})
	assert.Equal(t, []string{"http", "http/server", "http/server/location", "events"}, seen)
}

func TestErrorf(t *testing.T) {
	d := &Directive{Name: "listen", File: "/etc/nginx/nginx.conf", Line: 12}
	err := d.Errorf("invalid number of arguments in %q directive", d.Name)
	assert.EqualError(t, err, `invalid number of arguments in "listen" directive in /etc/nginx/nginx.conf:12`)
	var perr *Error
	require.True(t, errors.As(err, &perr))
	assert.Equal(t, 12, perr.Line)
}

func TestErrorLocation(t *testing.T) {
	assert.EqualError(t, &Error{Msg: "boom"}, "boom")
	assert.EqualError(t, &Error{Msg: "boom", Line: 3}, "boom in line 3")
	assert.EqualError(t, &Error{Msg: "boom", File: "a.conf", Line: 3}, "boom in a.conf:3")
}

func TestIsLuaBlockName(t *testing.T) {
	assert.True(t, IsLuaBlockName("content_by_lua_block"))
	assert.True(t, IsLuaBlockName("ssl_certificate_by_lua_block"))
	assert.False(t, IsLuaBlockName("content_by_lua"))
	assert.False(t, IsLuaBlockName("content_by_lua_file"))
}

func TestSplitVars(t *testing.T) {
	tests := []struct {
		in   string
		want []Part
	}{
		{"", nil},
		{"plain", []Part{{Literal: "plain"}}},
		{"$host", []Part{{Var: "host"}}},
		{"${host}x", []Part{{Var: "host"}, {Literal: "x"}}},
		{"a$b-c", []Part{{Literal: "a"}, {Var: "b"}, {Literal: "-c"}}},
		{"$1abc", []Part{{Var: "1"}, {Literal: "abc"}}},
		{"$scheme://$host$request_uri", []Part{{Var: "scheme"}, {Literal: "://"}, {Var: "host"}, {Var: "request_uri"}}},
		{"$arg_a_1.x", []Part{{Var: "arg_a_1"}, {Literal: ".x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := SplitVars(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSplitVarsErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"$", "invalid variable name"},
		{"a$-", "invalid variable name"},
		{"${", "invalid variable name"},
		{"${}", "invalid variable name"},
		{"${host", `the closing bracket in "host" variable is missing`},
		{"${ho-st}", `the closing bracket in "ho" variable is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := SplitVars(tt.in)
			assert.EqualError(t, err, tt.want)
		})
	}
}
