package nginxconf

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var nginxMessage = regexp.MustCompile(`\[(?:emerg|alert|crit|error)\] (?:\d+#\d+: )?(.*)$`)

// nginxTest runs "nginx -t" on the configuration file conf and returns the
// first error it reports, "" when nginx accepts the file.
func nginxTest(t *testing.T, bin, conf string) string {
	t.Helper()
	prefix := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(prefix, "logs"), 0o755))
	abs, err := filepath.Abs(conf)
	require.NoError(t, err)
	cmd := exec.Command(bin, "-t", "-q", "-p", prefix+"/", "-c", abs,
		"-g", "pid "+filepath.Join(prefix, "nginx.pid")+";")
	out, runErr := cmd.CombinedOutput()
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if m := nginxMessage.FindStringSubmatch(sc.Text()); m != nil {
			return m[1]
		}
	}
	require.NoError(t, runErr, "nginx failed without an error line:\n%s", out)
	return ""
}

// nginxSkip returns the reason given on a "# nginx: skip (reason)" line at the
// top of a test file, or "".
func nginxSkip(t *testing.T, conf string) string {
	t.Helper()
	data, err := os.ReadFile(conf)
	require.NoError(t, err)
	first, _, _ := strings.Cut(string(data), "\n")
	if rest, ok := strings.CutPrefix(first, "# nginx: skip"); ok {
		return strings.TrimSpace(rest)
	}
	return ""
}

// TestGoldenAgainstNginx runs every golden case through the real nginx: a file
// we accept nginx must accept, and a file we reject nginx must reject with the
// same message at the same place.
func TestGoldenAgainstNginx(t *testing.T) {
	bin := servertest.Nginx(t)
	testdata, err := filepath.Abs("testdata")
	require.NoError(t, err)
	for _, conf := range goldenCases(t) {
		t.Run(filepath.Base(conf), func(t *testing.T) {
			if reason := nginxSkip(t, conf); reason != "" {
				t.Skip(reason)
			}
			want := ""
			if _, err := ParseFile(conf); err != nil {
				want = err.Error()
			}
			got := strings.ReplaceAll(nginxTest(t, bin, conf), testdata+"/", "testdata/")
			assert.Equal(t, want, got)
		})
	}
}
