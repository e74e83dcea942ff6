package ngxlua_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves goroutines behind (pools, light threads,
// timers, watchers of pending socket operations).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
