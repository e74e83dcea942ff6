package golden

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = `Free text before the cases
is kept.
=== first
out(1)
--- want
1
=== second [fork]
out("a")
out("b")
--- want
a
b
=== empty want
out()
--- want
`

func TestLoadSaveRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cases.txt")
	require.NoError(t, os.WriteFile(path, []byte(sample), 0o644))
	f := Load(t, path)
	assert.Equal(t, "Free text before the cases\nis kept.\n", f.Header)
	assert.Equal(t, []Case{
		{Name: "first", Code: "out(1)\n", Want: "1\n"},
		{Name: "second", Fork: true, Code: "out(\"a\")\nout(\"b\")\n", Want: "a\nb\n"},
		{Name: "empty want", Code: "out()\n"},
	}, f.Cases)
	f.Save(t)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, sample, string(data))
}

func TestRunNginx(t *testing.T) {
	got := RunNginx(t, []string{
		`ngx.say("hello")`,
		`ngx.say(pcall(error, "x"))`,
	})
	assert.Equal(t, []string{"hello\n", "falsex\n"}, got)
}
