package nginxconf

import (
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"io"
	"net/http/httptest"
	"testing"
)

// TestCapturesNotFound checks that a capture number past the groups of the match is not found
// (ngx.var[2] is nil), as in nginx.
func TestCapturesNotFound(t *testing.T) {
	h, err := LoadSnippet(`location ~ ^/c/(\w+)$ { content_by_lua_block { ngx.say(ngx.var[1], " ", tostring(ngx.var[2])) } }`, "", LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/c/abc", nil))
	assert.Equal(t, "abc nil\n", rec.Body.String())
}
