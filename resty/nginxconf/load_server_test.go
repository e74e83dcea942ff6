package nginxconf

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServerHeader checks the Server header: LoadOptions.ServerTokens ("goresty" by default),
// its name alone with server_tokens off, as nginx sends "nginx" for "nginx/1.22.1". Lua
// replaces it and add_header adds a second one, as in nginx 1.22.1 (checked with the oracle).
func TestServerHeader(t *testing.T) {
	const ret = `return 200 "x";`
	cases := []struct {
		name, tokens, server, location string
		want                           []string
	}{
		{"default", "", "", ret, []string{"goresty"}},
		{"named", "nginx/1.22.1", "", ret, []string{"nginx/1.22.1"}},
		{"tokens off", "nginx/1.22.1", "server_tokens off;", ret, []string{"nginx"}},
		{"add_header", "", "", "add_header Server mine; " + ret, []string{"goresty", "mine"}},
		{"Lua content", "", "", `content_by_lua_block { ngx.header.Server = "lua" ngx.say("x") }`, []string{"lua"}},
		{"Lua filter", "", "", `header_filter_by_lua_block { ngx.header.Server = "hf" } ` + ret, []string{"hf"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, err := LoadSnippet(c.server+` location = /x { `+c.location+` }`, "",
				LoadOptions{ServerTokens: c.tokens, ErrorLog: io.Discard})
			require.NoError(t, err)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
			assert.Equal(t, c.want, rec.Header().Values("Server"))
		})
	}
}

// TestLuaCodeCacheOff checks that lua_code_cache off, at server or location level, compiles a
// changed Lua file again for the next request, and that it stays compiled once by default.
func TestLuaCodeCacheOff(t *testing.T) {
	cases := []struct {
		name, server string
		reloads      bool
	}{
		{"default", `location = /f { content_by_lua_file lua/f.lua; }`, false},
		{"server", `lua_code_cache off; location = /f { content_by_lua_file lua/f.lua; }`, true},
		{"location", `location = /f { lua_code_cache off; content_by_lua_file lua/f.lua; }`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := t.TempDir()
			file := filepath.Join(prefix, "lua", "f.lua")
			require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
			require.NoError(t, os.WriteFile(file, []byte(`ngx.say("one")`), 0o644))
			h, err := LoadSnippet(c.server, "", LoadOptions{Prefix: prefix, ErrorLog: io.Discard})
			require.NoError(t, err)
			get := func() string {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", "/f", nil))
				return rec.Body.String()
			}
			require.Equal(t, "one\n", get())
			require.NoError(t, os.WriteFile(file, []byte(`ngx.say("two!")`), 0o644))
			want := "one\n"
			if c.reloads {
				want = "two!\n"
			}
			assert.Equal(t, want, get())
		})
	}
}
