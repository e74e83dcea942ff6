//go:build !unix

package stdlib

import "time"

var processStart = time.Now()

// processCPUSeconds approximates C's clock() by the wall time since the process started, where
// getrusage is not available.
func processCPUSeconds() float64 { return time.Since(processStart).Seconds() }
