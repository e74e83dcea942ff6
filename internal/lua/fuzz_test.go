package lua

import (
	"context"
	"errors"
	"os"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"
)

// execWithWatchdog runs c and fails the test, with all goroutines' stacks, if Exec does not
// return long after the engine's deadline.
func execWithWatchdog(t *testing.T, s *State, c *Chunk, source string) error {
	done := make(chan error, 1)
	go func() { done <- s.Exec(context.Background(), c, 0) }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 2)
		t.Fatalf("Exec hung on %q", source)
		return nil
	}
}

// FuzzExec runs arbitrary Lua source: whatever the script does, Exec must return (no Go panic
// reaches the caller) with nil, a Lua error, a timeout or an internal error that discarded the
// state, and the engine must stay usable. The seed corpus is testdata/fuzz/FuzzExec.
func FuzzExec(f *testing.F) {
	f.Add(`print(("x"):rep(3) .. 1)`)
	e, err := NewEngine(Config{MaxStates: 1, Timeout: 20 * time.Millisecond, MaxBytes: 1 << 20, Print: func(string) {}})
	if err != nil {
		f.Fatal(err)
	}
	defer e.Close()
	check, err := Compile("check.lua", `return 1 + 1`)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, source string) {
		watch := time.AfterFunc(15*time.Second, func() {
			_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 2)
			panic("fuzz iteration hung on " + strconv.Quote(source))
		})
		defer watch.Stop()
		c, err := Compile("fuzz.lua", source)
		if err != nil {
			var le *Error
			if !errors.As(err, &le) && !errors.Is(err, errTooComplex) {
				t.Fatalf("Compile: unexpected error type %T: %v", err, err)
			}
			return
		}
		s, err := e.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer e.Release(s)
		err = execWithWatchdog(t, s, c, source)
		var le *Error
		switch {
		case err == nil, errors.As(err, &le), errors.Is(err, ErrTimeout):
		case errors.Is(err, errInternal):
			t.Logf("internal error (state discarded): %v", err)
			return
		default:
			t.Fatalf("Exec: unexpected error %T: %v", err, err)
		}
		if err := s.Exec(context.Background(), check, 1); err != nil {
			t.Fatalf("state unusable after the script: %v", err)
		}
	})
}
