package corpus

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const root = "testdata"

func TestProgramsHaveOutputs(t *testing.T) {
	progs, err := Programs(root)
	require.NoError(t, err)
	for _, p := range progs {
		_, err := os.Stat(p.OutPath())
		assert.NoError(t, err, "%s has no committed output: run go generate", p.Name)
	}
}

func TestNoOrphanOutputs(t *testing.T) {
	for _, dir := range []string{root, filepath.Join(root, "luajit")} {
		outs, err := filepath.Glob(filepath.Join(dir, "*.out"))
		require.NoError(t, err)
		for _, out := range outs {
			_, err := os.Stat(strings.TrimSuffix(out, ".out") + ".lua")
			assert.NoError(t, err, "%s has no program", out)
		}
	}
}

func TestProgramsListing(t *testing.T) {
	progs, err := Programs(root)
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, p := range progs {
		assert.False(t, seen[p.Name], "duplicate program %s", p.Name)
		seen[p.Name] = true
		wantDialect := Lua52
		if strings.HasPrefix(p.Name, "luajit/") {
			wantDialect = LuaJIT
		}
		assert.Equal(t, wantDialect, p.Dialect, p.Name)
	}
	_, err = Programs(t.TempDir())
	assert.Error(t, err, "an empty corpus directory must be an error")
}

// TestReferenceOutputs re-runs the reference interpreters and checks the committed outputs,
// so that an edited program cannot keep a stale .out file.
func TestReferenceOutputs(t *testing.T) {
	progs, err := Programs(root)
	require.NoError(t, err)
	interpreters := map[Dialect]string{}
	missing := map[Dialect]error{}
	for _, d := range []Dialect{Lua52, LuaJIT} {
		interp, err := Interpreter(context.Background(), d)
		if err != nil {
			require.ErrorIs(t, err, ErrNoReference)
			missing[d] = err
			continue
		}
		interpreters[d] = interp
	}
	for _, p := range progs {
		t.Run(p.Name, func(t *testing.T) {
			if err := missing[p.Dialect]; err != nil {
				t.Skip(err.Error())
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			got, err := Reference(ctx, interpreters[p.Dialect], p)
			require.NoError(t, err)
			want, err := p.Expected()
			require.NoError(t, err)
			if d := lineDiff(want, got); d != "" {
				t.Errorf("%s no longer matches %s (run go generate); -committed +reference:\n%s",
					p.OutPath(), p.Dialect, d)
			}
		})
	}
}

func TestInterpreterMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Interpreter(context.Background(), Lua52)
	require.True(t, errors.Is(err, ErrNoReference), "got %v", err)
	assert.Contains(t, err.Error(), "apt-get install lua5.2")
	_, err = Interpreter(context.Background(), LuaJIT)
	require.ErrorIs(t, err, ErrNoReference)
	assert.Contains(t, err.Error(), "apt-get install luajit2")
}
