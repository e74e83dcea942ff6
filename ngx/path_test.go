package ngx_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
)

func TestNormalizePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/", "/"},
		{"", "/"},
		{"/a/b", "/a/b"},
		{"/a//b", "/a/b"},
		{"/a/./b", "/a/b"},
		{"/a/b/../c", "/a/c"},
		{"/a/b/..", "/a/"},
		{"/a/b/.", "/a/b/"},
		{"/../../x", "/x"},
		{"/a/", "/a/"},
		{"//", "/"},
		{"/.hidden/x", "/.hidden/x"},
		{"/a..b/c", "/a..b/c"},
		{"/v//a/./b/../c", "/v/a/c"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ngx.NormalizePath(tt.in), "NormalizePath(%q)", tt.in)
	}
}

func TestNormalizePathDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { _ = ngx.NormalizePath("/api/v1/users/42") })
	assert.Zero(t, allocs)
}

func TestParseArgs(t *testing.T) {
	type kv struct {
		k, v string
		has  bool
	}
	tests := []struct {
		in        string
		max       int
		want      []kv
		truncated bool
	}{
		{"a=1&b=2", 0, []kv{{"a", "1", true}, {"b", "2", true}}, false},
		{"a=1&a=2", 0, []kv{{"a", "1", true}, {"a", "2", true}}, false},
		{"flag&x=", 0, []kv{{"flag", "", false}, {"x", "", true}}, false},
		{"a+b=c%20d&&=skip", 0, []kv{{"a b", "c d", true}}, false},
		{"bad=%zz%4", 0, []kv{{"bad", "%zz%4", true}}, false},
		{"a=1&b=2&c=3", 2, []kv{{"a", "1", true}, {"b", "2", true}}, true},
		{"a=1&b=2", 2, []kv{{"a", "1", true}, {"b", "2", true}}, false},
		// OpenResty counts separators, empty pairs included, for "truncated".
		{"a&b&", 2, []kv{{"a", "", false}, {"b", "", false}}, true},
		{"a&&b", 2, []kv{{"a", "", false}, {"b", "", false}}, true},
		{"=a&=b&c&d", 2, []kv{{"c", "", false}, {"d", "", false}}, true},
	}
	for _, tt := range tests {
		var got []kv
		truncated := ngx.ParseArgs(tt.in, tt.max, func(k, v string, has bool) { got = append(got, kv{k, v, has}) })
		assert.Equal(t, tt.want, got, "ParseArgs(%q)", tt.in)
		assert.Equal(t, tt.truncated, truncated, "ParseArgs(%q) truncated", tt.in)
	}
}

func TestErrorPageSizesMatchNginx(t *testing.T) {
	// Content-Length of nginx 1.22.1's own pages, read off the oracle.
	want := map[int]int{301: 169, 302: 145, 403: 153, 404: 153, 405: 157, 500: 177, 503: 197}
	for status, n := range want {
		page, ok := ngx.ErrorPage(status, "nginx/1.22.1")
		assert.True(t, ok)
		assert.Len(t, page, n, "page for %d", status)
	}
	_, ok := ngx.ErrorPage(418, "x")
	assert.False(t, ok, "418 has no page")
}
