//go:build !unix

package pattern

import "time"

// processCPU is not available here; benchmarks compare wall time instead.
func processCPU() (time.Duration, bool) { return 0, false }
