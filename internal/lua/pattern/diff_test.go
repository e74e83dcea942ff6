package pattern

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// caseEnd separates the output of the cases in lua5.2's run.
const caseEnd = "\n--8<-- end of case --8<--\n"

// lua52 runs every source under /usr/bin/lua5.2 in one process, each with
// the driver, and returns what each printed.
func lua52(t *testing.T, sources []string) []string {
	t.Helper()
	bin, err := exec.LookPath("lua5.2")
	if err != nil {
		t.Skip("lua5.2 not found: apt-get install lua5.2")
	}
	var prog strings.Builder
	prog.WriteString("local cases = {\n")
	for _, src := range sources {
		prog.WriteString(luaQuote(src) + ",\n")
	}
	prog.WriteString("}\nfor _, src in ipairs(cases) do\nSRC = src\n" + driver +
		"\nio.write(" + luaQuote(caseEnd) + ")\nend\n")
	file := filepath.Join(t.TempDir(), "cases.lua")
	require.NoError(t, os.WriteFile(file, []byte(prog.String()), 0o600))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, file).Output()
	require.NoError(t, err, "lua5.2 failed to run the cases")
	outs := strings.Split(string(out), caseEnd)
	require.Len(t, outs, len(sources)+1, "lua5.2 printed an unexpected number of cases")
	return outs[:len(sources)]
}

func TestDifferentialAgainstLua52(t *testing.T) {
	require.GreaterOrEqual(t, len(diffCases), 80)
	sources := make([]string, len(diffCases))
	for i, c := range diffCases {
		sources[i] = c.src
	}
	want := lua52(t, sources)
	for i, c := range diffCases {
		t.Run(c.name, func(t *testing.T) {
			got := runGo(t, Options{}, c.src)
			if c.knownDiff != "" {
				require.NotEqual(t, want[i], got, "known difference is gone; drop knownDiff")
				t.Skipf("known difference: %s\nlua5.2: %sgo-lua: %s", c.knownDiff, want[i], got)
			}
			require.Equal(t, want[i], got, "source:\n%s", c.src)
		})
	}
}
