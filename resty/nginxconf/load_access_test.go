package nginxconf

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpires(t *testing.T) {
	h, err := LoadSnippet(`
location = /hour { expires 1h; return 200 "x"; }
location = /past { expires -1; return 200 "x"; }
location = /max { expires max; return 200 "x"; }
location = /off { expires off; return 200 "x"; }
`, "", LoadOptions{ErrorLog: io.Discard})
	require.NoError(t, err)
	get := func(path string) http.Header {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Header()
	}
	expiresIn := func(hd http.Header) time.Duration {
		e, err := http.ParseTime(hd.Get("Expires"))
		require.NoError(t, err)
		return time.Until(e)
	}
	hour := get("/hour")
	assert.Equal(t, "max-age=3600", hour.Get("Cache-Control"))
	assert.InDelta(t, time.Hour.Seconds(), expiresIn(hour).Seconds(), 2)
	past := get("/past")
	assert.Equal(t, "no-cache", past.Get("Cache-Control"))
	assert.InDelta(t, -1, expiresIn(past).Seconds(), 2)
	assert.Equal(t, "max-age=315360000", get("/max").Get("Cache-Control"))
	assert.Empty(t, get("/off").Get("Expires"))
}

func TestParseRule(t *testing.T) {
	cases := []struct {
		arg, ip string
		match   bool
		err     bool
	}{
		{arg: "all", ip: "10.0.0.1", match: true},
		{arg: "10.0.0.0/8", ip: "10.1.2.3", match: true},
		{arg: "10.0.0.0/8", ip: "11.1.2.3", match: false},
		{arg: "192.168.1.1", ip: "192.168.1.1", match: true},
		{arg: "192.168.1.1", ip: "192.168.1.2", match: false},
		{arg: "::1", ip: "::1", match: true},
		{arg: "2001:db8::/32", ip: "2001:db8::5", match: true},
		{arg: "10.0.0.0/99", err: true},
		{arg: "nonsense", err: true},
	}
	for _, c := range cases {
		r, err := parseRule(&Directive{Name: "allow", Args: []string{c.arg}, File: "t", Line: 1})
		if c.err {
			assert.Error(t, err, c.arg)
			continue
		}
		require.NoError(t, err, c.arg)
		got := r.net == nil || r.net.Contains(parseTestIP(c.ip))
		assert.Equal(t, c.match, got, "%s %s", c.arg, c.ip)
	}
}

func parseTestIP(s string) []byte {
	ip := net.ParseIP(s)
	if v4 := ip.To4(); v4 != nil {
		return v4
	}
	return ip
}
