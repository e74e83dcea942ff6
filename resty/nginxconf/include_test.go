package nginxconf

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeFiles creates files (path relative to dir: content) under a new
// temporary directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	return dir
}

func names(ds []*Directive) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return out
}

func TestIncludeGlobOrderAndHiddenFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"nginx.conf":       "include conf.d/*.conf;",
		"conf.d/b.conf":    "b;",
		"conf.d/a.conf":    "a;",
		"conf.d/B.conf":    "B;",
		"conf.d/.h.conf":   "hidden;",
		"conf.d/c.conf.bk": "backup;",
	})
	ds, err := ParseFile(filepath.Join(dir, "nginx.conf"))
	require.NoError(t, err)
	assert.Equal(t, []string{"B", "a", "b"}, names(ds), "byte order, dot files and non-matches left out")
	assert.Equal(t, filepath.Join(dir, "conf.d/B.conf"), ds[0].File)
	assert.Equal(t, 1, ds[0].Line)
}

func TestIncludeGlobOrderIsOverWholePaths(t *testing.T) {
	// glob(3) sorts whole paths: "a-b/x" < "a/x" because '-' < '/'.
	dir := writeFiles(t, map[string]string{
		"nginx.conf": "include */x.conf;",
		"a/x.conf":   "a;",
		"a-b/x.conf": "ab;",
	})
	ds, err := ParseFile(filepath.Join(dir, "nginx.conf"))
	require.NoError(t, err)
	assert.Equal(t, []string{"ab", "a"}, names(ds))
}

func TestIncludeGlobNegatedClass(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"nginx.conf": "include [!b]*.inc;",
		"a.inc":      "a;",
		"b.inc":      "b;",
	})
	ds, err := ParseFile(filepath.Join(dir, "nginx.conf"))
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, names(ds))
}

func TestIncludeGlobSyntax(t *testing.T) {
	// Files named after the odd glob(3) cases, plus decoys.
	files := map[string]string{"[a": "open_bracket;", "*.x": "star_x;", "a.x": "a_x;",
		"]": "close;", "-": "dash;", "b": "b;"}
	tests := []struct {
		pattern string
		want    []string
	}{
		{"[a", []string{"open_bracket"}},
		{`\*.x`, []string{"star_x"}},
		{"*.x", []string{"star_x", "a_x"}},
		{"[]]", []string{"close"}},
		{"[!]]", []string{"dash", "b"}},
		{"[-b]", []string{"dash", "b"}},
		{"[b-]", []string{"dash", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			files := maps.Clone(files)
			files["nginx.conf"] = "include '" + tt.pattern + "';"
			dir := writeFiles(t, files)
			ds, err := ParseFile(filepath.Join(dir, "nginx.conf"))
			require.NoError(t, err)
			assert.Equal(t, tt.want, names(ds))
		})
	}
}

func TestIncludeRelativeToConfPrefix(t *testing.T) {
	// Relative includes resolve against the main file's directory, even
	// from a file in another directory.
	dir := writeFiles(t, map[string]string{
		"nginx.conf":       "http { include sites/site.conf; }",
		"sites/site.conf":  "server { include snippets/x.conf; }",
		"snippets/x.conf":  "listen 80;",
		"sites/snippets/x": "never;",
	})
	ds, err := ParseFile(filepath.Join(dir, "nginx.conf"))
	require.NoError(t, err)
	listen := ds[0].Block[0].Block[0]
	assert.Equal(t, "listen", listen.Name)
	assert.Equal(t, filepath.Join(dir, "snippets/x.conf"), listen.File)
}

func TestIncludeWithConfPrefix(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"conf/nginx.conf":  "include mime.types;",
		"other/mime.types": "types {}",
	})
	ds, err := ParseFile(filepath.Join(dir, "conf/nginx.conf"), WithConfPrefix(filepath.Join(dir, "other")))
	require.NoError(t, err)
	assert.Equal(t, []string{"types"}, names(ds))
}

func TestIncludeAbsolutePath(t *testing.T) {
	other := writeFiles(t, map[string]string{"x.conf": "x;"})
	dir := writeFiles(t, map[string]string{"nginx.conf": "include " + filepath.Join(other, "x.conf") + ";"})
	ds, err := ParseFile(filepath.Join(dir, "nginx.conf"))
	require.NoError(t, err)
	assert.Equal(t, []string{"x"}, names(ds))
}

func TestKeepIncludes(t *testing.T) {
	dir := writeFiles(t, map[string]string{"nginx.conf": "include missing.conf;"})
	ds, err := ParseFile(filepath.Join(dir, "nginx.conf"), KeepIncludes())
	require.NoError(t, err)
	assert.Equal(t, []string{"include"}, names(ds))
}

func TestIncludeMissingFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"nginx.conf": "a;\ninclude missing.conf;"})
	_, err := ParseFile(filepath.Join(dir, "nginx.conf"))
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	want := `open() "` + filepath.Join(dir, "missing.conf") + `" failed (2: No such file or directory) in ` +
		filepath.Join(dir, "nginx.conf") + ":2"
	assert.EqualError(t, err, want)
}

func TestParseFileMissing(t *testing.T) {
	_, err := ParseFile("/nonexistent/nginx.conf")
	assert.EqualError(t, err, `open() "/nonexistent/nginx.conf" failed (2: No such file or directory)`)
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestIncludeDirectory(t *testing.T) {
	dir := writeFiles(t, map[string]string{"nginx.conf": "include sub;", "sub/x": ""})
	_, err := ParseFile(filepath.Join(dir, "nginx.conf"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `read() "`+filepath.Join(dir, "sub")+`" failed (21: Is a directory)`)
}

func TestIncludeSameFileTwiceIsNotACycle(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"nginx.conf": "a { include x.conf; } b { include x.conf; }",
		"x.conf":     "x;",
	})
	ds, err := ParseFile(filepath.Join(dir, "nginx.conf"))
	require.NoError(t, err)
	assert.Equal(t, []string{"x"}, names(ds[1].Block))
}

func TestIncludeCycleThroughSymlink(t *testing.T) {
	dir := writeFiles(t, map[string]string{"nginx.conf": "include link.conf;"})
	require.NoError(t, os.Symlink(filepath.Join(dir, "nginx.conf"), filepath.Join(dir, "link.conf")))
	_, err := ParseFile(filepath.Join(dir, "nginx.conf"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "include cycle: ")
	var perr *Error
	require.True(t, errors.As(err, &perr))
	assert.Equal(t, filepath.Join(dir, "nginx.conf"), perr.File)
}

func TestIncludeKeepsScope(t *testing.T) {
	// "server" in a file included inside upstream is an upstream server;
	// a "}" in an included file cannot close the includer's block.
	dir := writeFiles(t, map[string]string{
		"nginx.conf": "upstream u { include servers; }\nhttp { include closer; }",
		"servers":    "server 127.0.0.1:1;",
		"closer":     "}",
	})
	_, err := ParseFile(filepath.Join(dir, "nginx.conf"))
	require.Error(t, err)
	assert.EqualError(t, err, `unexpected "}" in `+filepath.Join(dir, "closer")+":1")
}
