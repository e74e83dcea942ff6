package ngx

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// appendHeaderKey must make the key http.CanonicalHeaderKey makes, or decline.
func TestAppendHeaderKey(t *testing.T) {
	for _, name := range []string{
		"", "x", "host", "HOST", "x_deny", "X_DENY", "x-deny", "user_agent", "accept_encoding",
		"x__double", "_leading", "trailing_", "x_1abc", "1x", "a1_b2", "content_md5", "x_ÿ",
		"with space", "x.y", "x:y", "x+y", "DNT", "www_authenticate",
		strings.Repeat("long_name_", 10),
	} {
		want := http.CanonicalHeaderKey(strings.ReplaceAll(name, "_", "-"))
		got, ok := appendHeaderKey(nil, name)
		if !ok {
			assert.True(t, strings.ContainsFunc(name, func(c rune) bool {
				return !(c == '_' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9')
			}), "declined %q", name)
			continue
		}
		assert.Equal(t, want, string(got), "name %q", name)
	}
}

func TestHeaderVarDoesNotAllocate(t *testing.T) {
	req, _ := http.NewRequest("GET", "/", nil)
	req.Header.Set("X-Deny", "1")
	r := &Request{req: req}
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		if v, ok, _ := r.headerVar(req.Header, "x_deny", true); v != "1" || !ok {
			t.Fatalf("got %q %v", v, ok)
		}
	}))
}
