package nginxconf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadGolden loads each testdata/load/*.conf (prefix testdata/load) and compares the
// servers it builds, or the error, with its .golden file. go test -update rewrites them.
func TestLoadGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/load/*.conf")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	dir, err := filepath.Abs("testdata/load")
	require.NoError(t, err)
	for _, conf := range files {
		t.Run(filepath.Base(conf), func(t *testing.T) {
			got := renderLoad(dir, filepath.Base(conf))
			golden := strings.TrimSuffix(conf, ".conf") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create it")
			assert.Equal(t, string(want), got)
		})
	}
}

// renderLoad is the golden form of loading file: the error, or each server with its listen
// addresses, names and flattened locations.
func renderLoad(dir, file string) string {
	c, err := Load(file, LoadOptions{Prefix: dir, ErrorLog: discard{}})
	if err != nil {
		return "error: " + strings.ReplaceAll(err.Error(), dir, "$DIR") + "\n"
	}
	defer c.Close()
	var b strings.Builder
	for _, sd := range c.SharedDicts {
		fmt.Fprintf(&b, "lua_shared_dict %s %d\n", sd.Name, sd.Size)
	}
	for _, s := range c.Servers {
		fmt.Fprintf(&b, "server line %d keepalive %v names %q\n", s.Line, s.KeepaliveTimeout, s.Names)
		for _, l := range s.Listen {
			fmt.Fprintf(&b, "  listen %s %s default=%v\n", l.Network, l.Addr, l.DefaultServer)
		}
		for _, m := range s.matches {
			fmt.Fprintf(&b, "  location %s\n", m)
		}
	}
	for _, a := range c.Addresses() {
		fmt.Fprintf(&b, "bind %s %s\n", a.Network, a.Addr)
	}
	return b.String()
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
