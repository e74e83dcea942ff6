package stdlib

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A diffCase runs src under the reference interpreter ref and under go-lua with Open; the printed
// output must be identical (after normalize).
type diffCase struct {
	name, ref, src string
}

// Reference interpreters and the Debian packages that install them.
var referenceBinaries = map[string]string{"lua5.2": "lua5.2", "luajit": "luajit2"}

var (
	// locationPrefix is "chunkname:line: " before an error message; the chunk names differ.
	locationPrefix = regexp.MustCompile(`[^\s"]+:\d+: `)
	// argumentFunction is the function named in a "bad argument" error: go-lua says '?' where the
	// reference names it (see funcName).
	argumentFunction = regexp.MustCompile(`(bad argument #\d+ to )'[^']*'`)
)

func normalize(s string) string {
	s = locationPrefix.ReplaceAllString(s, "")
	return argumentFunction.ReplaceAllString(s, "$1'?'")
}

func TestDifferential(t *testing.T) {
	require.GreaterOrEqual(t, len(diffCases), 60)
	paths := map[string]string{}
	for ref, pkg := range referenceBinaries {
		if p, err := exec.LookPath(ref); err == nil {
			paths[ref] = p
		} else {
			paths[ref] = "missing: apt-get install " + pkg
		}
	}
	dir := t.TempDir()
	for _, c := range diffCases {
		t.Run(c.ref+"/"+c.name, func(t *testing.T) {
			path := paths[c.ref]
			if strings.HasPrefix(path, "missing") {
				t.Skip(c.ref + " not found: " + strings.TrimPrefix(path, "missing: "))
			}
			want := runReference(t, path, filepath.Join(dir, "snippet.lua"), c.src)
			got, errMsg := runLua(t, Options{}, c.src)
			require.Empty(t, errMsg)
			require.Equal(t, normalize(want), normalize(got))
		})
	}
}

// runReference runs src with the interpreter at path (TZ=UTC, C locale) and returns its output
// without the final newline.
func runReference(t *testing.T, path, file, src string) string {
	t.Helper()
	require.NoError(t, os.WriteFile(file, []byte(src), 0o600))
	cmd := exec.Command(path, file)
	cmd.Env = append(os.Environ(), "TZ=UTC", "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "reference failed: %s", stderr.String())
	return strings.TrimSuffix(string(out), "\n")
}
