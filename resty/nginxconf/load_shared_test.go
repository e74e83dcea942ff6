package nginxconf

import (
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/sharedict"
)

const dictConf = `events {}
http {
    access_log off;
    lua_shared_dict store %s;
    server {
        listen 127.0.0.1:8001;
        location = /set { content_by_lua_block { ngx.shared.store:set("k", ngx.var.arg_v) } }
        location = /get { content_by_lua_block { ngx.say(ngx.shared.store:get("k")) } }
    }
}`

func writeDictConf(t *testing.T, dir, size string) string {
	t.Helper()
	path := filepath.Join(dir, "nginx.conf")
	require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf(dictConf, size)), 0o644))
	return path
}

func TestSharedDictsAcrossReloads(t *testing.T) {
	dir := t.TempDir()
	path := writeDictConf(t, dir, "1m")
	first, err := Load(path, LoadOptions{Prefix: dir, ErrorLog: io.Discard})
	require.NoError(t, err)
	get := func(c *Config, target string) string {
		rec := httptest.NewRecorder()
		c.Handler().ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		return rec.Body.String()
	}
	get(first, "/set?v=one")
	assert.Equal(t, "one\n", get(first, "/get"))
	require.NotNil(t, first.SharedDict("store"))
	v, _, err := first.SharedDict("store").Get("k")
	require.NoError(t, err)
	assert.Equal(t, sharedict.String("one"), v, "Go sees what Lua stored")

	second, err := Load(path, LoadOptions{Prefix: dir, ErrorLog: io.Discard, Previous: first})
	require.NoError(t, err)
	assert.Same(t, first.SharedDict("store"), second.SharedDict("store"), "same name and size: kept")
	require.NoError(t, first.Close())
	assert.Equal(t, "one\n", get(second, "/get"), "closing the old configuration keeps the dict")

	writeDictConf(t, dir, "2m")
	third, err := Load(path, LoadOptions{Prefix: dir, ErrorLog: io.Discard, Previous: second})
	require.NoError(t, err)
	assert.NotSame(t, second.SharedDict("store"), third.SharedDict("store"), "size changed: a new dict")
	assert.Equal(t, "nil\n", get(third, "/get"))
	require.NoError(t, second.Close())
	require.NoError(t, third.Close())
	assert.Nil(t, third.SharedDict("store"))
}
