//go:build unix

package pattern

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used, as lua5.2's
// os.clock does, so that the two are compared on the same clock even when
// other processes compete for the CPU.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
