package ngx_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotModified(t *testing.T) {
	const lm = "Mon, 12 Jan 1970 13:46:40 GMT"
	const earlier, later = "Mon, 12 Jan 1970 13:46:39 GMT", "Mon, 12 Jan 1970 13:46:41 GMT"
	for _, tc := range []struct {
		name     string
		req      []string // request fields
		resp     []string // response fields
		status   int      // of the response
		disabled bool
		want     int
	}{
		{"no conditional", nil, []string{"Last-Modified", lm}, 200, false, 200},
		{"ims exact", []string{"If-Modified-Since", lm}, []string{"Last-Modified", lm}, 200, false, 304},
		{"ims later is not exact", []string{"If-Modified-Since", later}, []string{"Last-Modified", lm}, 200, false, 200},
		{"ims without last-modified", []string{"If-Modified-Since", lm}, nil, 200, false, 200},
		{"ims on a 404", []string{"If-Modified-Since", lm}, []string{"Last-Modified", lm}, 404, false, 404},
		{"ims disabled", []string{"If-Modified-Since", lm}, []string{"Last-Modified", lm}, 200, true, 200},
		{"inm", []string{"If-None-Match", `"x", "e1"`}, []string{"Etag", `"e1"`}, 200, false, 304},
		{"inm weak", []string{"If-None-Match", `W/"e1"`}, []string{"Etag", `"e1"`}, 200, false, 304},
		{"inm star", []string{"If-None-Match", `*`}, []string{"Etag", `"e1"`}, 200, false, 304},
		{"inm no etag", []string{"If-None-Match", `*`}, nil, 200, false, 200},
		{"inm other", []string{"If-None-Match", `"e2"`}, []string{"Etag", `"e1"`}, 200, false, 200},
		{"ims and inm both needed", []string{"If-Modified-Since", lm, "If-None-Match", `"e2"`},
			[]string{"Last-Modified", lm, "Etag", `"e1"`}, 200, false, 200},
		{"ius older", []string{"If-Unmodified-Since", earlier}, []string{"Last-Modified", lm}, 200, false, 412},
		{"ius same", []string{"If-Unmodified-Since", lm}, []string{"Last-Modified", lm}, 200, false, 200},
		{"ius without last-modified", []string{"If-Unmodified-Since", lm}, nil, 200, false, 412},
		{"if-match other", []string{"If-Match", `"e2"`}, []string{"Etag", `"e1"`}, 200, false, 412},
		{"if-match strong", []string{"If-Match", `"e1"`}, []string{"Etag", `"e1"`}, 200, false, 200},
		{"if-match weak etag", []string{"If-Match", `W/"e1"`}, []string{"Etag", `W/"e1"`}, 200, false, 412},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, w := newRequest(t, "/x", nil)
			for i := 0; i < len(tc.req); i += 2 {
				r.HTTPRequest().Header.Set(tc.req[i], tc.req[i+1])
			}
			for i := 0; i < len(tc.resp); i += 2 {
				r.ResponseHeader().Set(tc.resp[i], tc.resp[i+1])
			}
			if tc.disabled {
				r.DisableNotModified()
			}
			require.NoError(t, r.SetStatus(tc.status))
			require.NoError(t, r.Say("body"))
			require.NoError(t, r.Finish())
			assert.Equal(t, tc.want, w.Code)
			if tc.want == http.StatusNotModified {
				assert.Empty(t, w.Body.String())
				assert.Empty(t, w.Header().Get("Content-Type"))
			}
		})
	}
}

func TestProvideVars(t *testing.T) {
	r, _ := newRequest(t, "/x", nil)
	_, ok := r.Var("upstream_addr")
	assert.False(t, ok, "no upstream yet")
	calls := 0
	r.ProvideVars("upstream_", func(name string) (string, bool) {
		calls++
		if name == "upstream_addr" {
			return "127.0.0.1:80", true
		}
		return "", false
	})
	r.ProvideVar("upstream_cache_status", "HIT")
	v, ok := r.Var("upstream_addr")
	assert.Equal(t, "127.0.0.1:80", v)
	assert.True(t, ok)
	_, ok = r.Var("upstream_status")
	assert.False(t, ok)
	v, _ = r.Var("upstream_cache_status")
	assert.Equal(t, "HIT", v, "ProvideVar's values come first")
	assert.Equal(t, 2, calls, "computed when read")
	assert.EqualError(t, r.SetVar("upstream_addr", "x"), `variable "upstream_addr" not changeable`)
	assert.EqualError(t, r.SetVar("upstream_cache_status", "x"), `variable "upstream_cache_status" not changeable`)
}
