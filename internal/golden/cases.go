package golden

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Case is one golden case of a case file.
type Case struct {
	Name string
	Fork bool // not run on nginx: the want is written by hand
	Code string
	Want string
}

// File is a parsed case file.
type File struct {
	Path   string
	Header string // the text before the first case
	Cases  []Case
}

// Load parses the case file at path.
func Load(t testing.TB, path string) *File {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	f := &File{Path: path}
	var cur *Case
	inWant := false
	for _, line := range strings.SplitAfter(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "=== "):
			name := strings.TrimSpace(line[4:])
			f.Cases = append(f.Cases, Case{Name: strings.TrimSuffix(name, " [fork]"), Fork: strings.HasSuffix(name, "[fork]")})
			cur, inWant = &f.Cases[len(f.Cases)-1], false
		case cur == nil:
			f.Header += line
		case line == "--- want\n":
			inWant = true
		case inWant:
			cur.Want += line
		default:
			cur.Code += line
		}
	}
	return f
}

// Save writes f back to its path.
func (f *File) Save(t testing.TB) {
	t.Helper()
	var b strings.Builder
	b.WriteString(f.Header)
	for _, c := range f.Cases {
		fork := ""
		if c.Fork {
			fork = " [fork]"
		}
		fmt.Fprintf(&b, "=== %s%s\n%s--- want\n%s", c.Name, fork, c.Code, c.Want)
	}
	require.NoError(t, os.WriteFile(f.Path, []byte(b.String()), 0o644))
}

// Replay runs every case of the file at path through run, which returns the case's output, and
// compares it with the recorded want. The file must hold at least minCases cases.
func Replay(t *testing.T, path string, minCases int, run func(code string) string) {
	f := Load(t, path)
	require.GreaterOrEqual(t, len(f.Cases), minCases)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			require.NotEmpty(t, c.Want, "no recorded output: run go test -run TestGoldenAgainstOracle -update")
			assert.Equal(t, c.Want, run(c.Code))
		})
	}
}

// AgainstNginx runs every case of the file at path that is not a fork on real nginx, each as
// the program wrap(code) in a content_by_lua_file location, and checks the recorded wants or,
// with update, rewrites them. It skips the test when nginx or its lua module is missing.
func AgainstNginx(t *testing.T, path string, update bool, wrap func(code string) string) {
	f := Load(t, path)
	var programs []string
	for _, c := range f.Cases {
		if !c.Fork {
			programs = append(programs, wrap(c.Code))
		}
	}
	got := RunNginx(t, programs)
	i := 0
	for k := range f.Cases {
		if f.Cases[k].Fork {
			continue
		}
		if update {
			f.Cases[k].Want = got[i]
		} else {
			assert.Equal(t, f.Cases[k].Want, got[i], f.Cases[k].Name)
		}
		i++
	}
	if update {
		f.Save(t)
	}
}
