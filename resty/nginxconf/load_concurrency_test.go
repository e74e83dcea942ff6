package nginxconf

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentRequests runs requests whose variables, captures and rewrites differ through
// one handler at once: no request may see another's state.
func TestConcurrentRequests(t *testing.T) {
	h, err := LoadSnippet(`
location ~ ^/u/(\w+)/(\d+)$ {
    set $who $1;
    set $num $2;
    if ($arg_x ~ "^(\d+)$") { set $n $1; }
    rewrite ^ /out?who=$who&n=$num&x=$n last;
}
location = /out { content_by_lua_block { ngx.say(ngx.var.arg_who, " ", ngx.var.arg_n, " ", ngx.var.arg_x) } }
`, "", LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				who := fmt.Sprintf("g%d", g)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/u/%s/%d?x=%d", who, i, i*2), nil))
				want := fmt.Sprintf("%s %d %d", who, i, i*2)
				if !assert.Equal(t, want, strings.TrimSpace(rec.Body.String())) {
					return
				}
			}
		}()
	}
	wg.Wait()
}
