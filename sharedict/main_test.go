package sharedict

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that every Dict a test creates is closed: a Dict runs ristretto's goroutines.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
