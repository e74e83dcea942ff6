package corpus

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/lua"
)

func TestMain(m *testing.M) {
	// The .out files were produced with TZ=UTC; os.date and os.time must agree.
	if err := os.Setenv("TZ", "UTC"); err != nil {
		panic(err)
	}
	time.Local = time.UTC
	os.Exit(m.Run())
}

// knownDifferences are programs the engine cannot match without forking go-lua, each with the
// reason. A listed program is still run: the test fails if it starts to match (then remove it
// from the list) or differs in another way than the one recorded here.
var knownDifferences = map[string]struct{ reason, line string }{
	"num_nan": {
		reason: "go-lua's compiler folds ^ of literal numbers with Go's math.Pow, so (-8)^(1/3) prints nan where lua5.2 prints -nan",
		line:   "-nan",
	},
}

// TestEngine runs every corpus program under goresty's engine and compares what it prints
// with the reference interpreter's committed output.
func TestEngine(t *testing.T) {
	progs, err := Programs(root)
	require.NoError(t, err)
	for _, p := range progs {
		t.Run(p.Name, func(t *testing.T) {
			src, err := p.Source()
			require.NoError(t, err)
			want, err := p.Expected()
			require.NoError(t, err)
			got, err := runEngine(p.File, src)
			if err != nil {
				t.Fatalf("%s failed under the engine: %v\n-expected +printed before the error:\n%s",
					p.Path(), err, lineDiff(want, got))
			}
			d := lineDiff(want, got)
			if known, ok := knownDifferences[p.Name]; ok {
				if d == "" {
					t.Fatalf("%s now matches: remove it from knownDifferences", p.Name)
				}
				if !onlyDiffersIn(d, known.line) {
					t.Fatalf("%s differs beyond its known difference (%s):\n%s", p.Name, known.reason, d)
				}
				t.Skip("known difference: " + known.reason)
			}
			if d != "" {
				t.Errorf("%s: engine output differs from %s (-%s +engine):\n%s",
					p.Path(), p.OutPath(), p.Dialect, d)
			}
		})
	}
}

// onlyDiffersIn reports whether every expected line missing from the engine's output contains
// marker.
func onlyDiffersIn(diff, marker string) bool {
	for _, line := range strings.Split(diff, "\n") {
		if strings.HasPrefix(line, "-") && !strings.Contains(line, marker) {
			return false
		}
	}
	return true
}

// hangLimit bounds a whole program run; past it the run is reported as hung and abandoned,
// so that one program the engine's deadline cannot stop does not stall the rest of the corpus.
const hangLimit = 15 * time.Second

// runEngine compiles and runs one program on a fresh engine and returns what it printed, one
// line per print call. The chunk is named after the file, as the reference names it.
func runEngine(name, src string) (string, error) {
	var (
		mu  sync.Mutex
		out strings.Builder
	)
	printed := func() string { mu.Lock(); defer mu.Unlock(); return out.String() }
	eng, err := lua.NewEngine(lua.Config{
		Timeout: 5 * time.Second,
		Print: func(line string) {
			mu.Lock()
			defer mu.Unlock()
			out.WriteString(line)
			out.WriteByte('\n')
		},
	})
	if err != nil {
		return "", err
	}
	chunk, err := lua.Compile(name, src)
	if err != nil {
		eng.Close()
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- execChunk(eng, chunk) }()
	select {
	case err := <-done:
		eng.Close()
		return printed(), err
	case <-time.After(hangLimit):
		return printed(), fmt.Errorf("Exec did not return within %v (Config.Timeout is 5s); run abandoned", hangLimit)
	}
}

func execChunk(eng *lua.Engine, chunk *lua.Chunk) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := eng.Acquire(ctx)
	if err != nil {
		return err
	}
	defer eng.Release(s)
	if err := s.Exec(ctx, chunk, 0); err != nil {
		var lerr *lua.Error
		if errors.As(err, &lerr) && lerr.Traceback != "" {
			return fmt.Errorf("%w\n%s", err, lerr.Traceback)
		}
		return err
	}
	return nil
}
