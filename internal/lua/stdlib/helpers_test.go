package stdlib

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	// The reference interpreters run with TZ=UTC; tests of other zones pass a *time.Location.
	time.Local = time.UTC
	os.Exit(m.Run())
}

// fixedNow is the clock of the test states: 2023-11-14 22:13:20 UTC.
var fixedNow = time.Unix(1700000000, 0)

// newState returns a go-lua state with the standard libraries and Open(o); print appends to out.
func newState(t testing.TB, o Options, out *[]string) *glua.State {
	t.Helper()
	l := glua.NewState()
	glua.OpenLibraries(l)
	if o.Print == nil && out != nil {
		o.Print = func(line string) { *out = append(*out, line) }
	}
	if o.Now == nil {
		o.Now = func() time.Time { return fixedNow }
	}
	Open(l, o)
	require.Equal(t, 0, l.Top(), "Open must leave the stack as it found it")
	return l
}

// funcName matches the function name in "bad argument #n to 'name'": go-lua names the function
// '?' in most calls (it looks at the instruction after the call), lua5.2 names it.
var funcName = regexp.MustCompile(`(bad argument #\d+ to )'[^']*'`)

// runLua runs src on a fresh state and returns what it printed, one line per print call, joined
// by newlines, and the error message (without go-lua's "runtime error: " prefix) if it failed.
func runLua(t testing.TB, o Options, src string) (string, string) {
	t.Helper()
	var out []string
	l := newState(t, o, &out)
	errMsg := ""
	if err := doString(l, src); err != nil {
		errMsg = funcName.ReplaceAllString(strings.TrimPrefix(err.Error(), "runtime error: "), "$1'?'")
	}
	return strings.Join(out, "\n"), errMsg
}

// luaCase is one table-driven case: src prints want (or fails with wantErr).
type luaCase struct {
	name, src, want, wantErr string
}

// runCases runs every case with options o.
func runCases(t *testing.T, o Options, cases []luaCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, errMsg := runLua(t, o, c.src)
			if c.wantErr != "" {
				require.Contains(t, errMsg, c.wantErr)
				return
			}
			require.Empty(t, errMsg)
			require.Equal(t, c.want, got)
		})
	}
}

// doString runs src, named "test" in error messages, on l and returns its error.
func doString(l *glua.State, src string) error {
	if err := glua.LoadBuffer(l, src, "=test", "t"); err != nil {
		return err
	}
	return l.ProtectedCall(0, glua.MultipleReturns, 0)
}

// fmtSscan is fmt.Sscan, named so that tests read as what they check.
var fmtSscan = fmt.Sscan
