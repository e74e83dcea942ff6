//go:build corpus_pending

// The build tag keeps this file out of the build until internal/lua (the engine) exists;
// remove the first line once `go build ./internal/lua/` succeeds.

package corpus

import (
	"context"
	"errors"
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
			if d := lineDiff(want, got); d != "" {
				t.Errorf("%s: engine output differs from %s (-%s +engine):\n%s",
					p.Path(), p.OutPath(), p.Dialect, d)
			}
		})
	}
}

// runEngine compiles and runs one program on a fresh engine and returns what it printed, one
// line per print call. The chunk is named after the file, as the reference names it.
func runEngine(name, src string) (string, error) {
	var (
		mu  sync.Mutex
		out strings.Builder
	)
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
	defer eng.Close()
	printed := func() string { mu.Lock(); defer mu.Unlock(); return out.String() }

	chunk, err := lua.Compile(name, src)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := eng.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer eng.Release(s)
	if err := s.Exec(ctx, chunk, 0); err != nil {
		var lerr *lua.Error
		if errors.As(err, &lerr) && lerr.Traceback != "" {
			return printed(), errors.New(lerr.Message + "\n" + lerr.Traceback)
		}
		return printed(), err
	}
	return printed(), nil
}
