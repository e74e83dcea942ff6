package lua

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// printer collects what Lua's print writes.
type printer struct {
	mu    sync.Mutex
	lines []string
}

func (p *printer) print(line string) {
	p.mu.Lock()
	p.lines = append(p.lines, line)
	p.mu.Unlock()
}

func (p *printer) take() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.lines) == 0 {
		return ""
	}
	out := strings.Join(p.lines, "\n") + "\n"
	p.lines = nil
	return out
}

// newTestEngine returns an engine whose print output goes to the returned printer; it is closed
// when the test ends.
func newTestEngine(t testing.TB, c Config) (*Engine, *printer) {
	t.Helper()
	p := &printer{}
	if c.Print == nil {
		c.Print = p.print
	}
	e, err := NewEngine(c)
	require.NoError(t, err)
	t.Cleanup(e.Close)
	return e, p
}

// runLua runs source as chunk name on e and returns what it printed and the error of Exec.
func runLua(t testing.TB, e *Engine, p *printer, name, source string) (string, error) {
	t.Helper()
	c, err := Compile(name, source)
	if err != nil {
		return "", err
	}
	s, err := e.Acquire(context.Background())
	require.NoError(t, err)
	defer e.Release(s)
	err = s.Exec(context.Background(), c, 0)
	return p.take(), err
}

// run runs source on a fresh default engine, requiring success, and returns its output.
func run(t testing.TB, source string) string {
	t.Helper()
	e, p := newTestEngine(t, Config{MaxStates: 1})
	out, err := runLua(t, e, p, "t.lua", source)
	require.NoError(t, err)
	return out
}

// reference runs source with the named interpreter (lua5.2, luajit) as file t.lua and returns
// its standard output; the test is skipped when the interpreter is missing.
func reference(t testing.TB, interpreter, source string) string {
	t.Helper()
	path, err := exec.LookPath(interpreter)
	if err != nil {
		t.Skipf("%s not found: apt-get install %s", interpreter, interpreter)
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "t.lua"), []byte(source), 0o644))
	cmd := exec.Command(path, "t.lua")
	cmd.Dir = dir
	out, err := cmd.Output()
	require.NoError(t, err, "%s failed", interpreter)
	return string(out)
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}
