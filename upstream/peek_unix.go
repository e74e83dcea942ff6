//go:build unix

package upstream

import (
	"net"
	"syscall"
)

// peek tells, without waiting or consuming anything, whether c has bytes to read, has been
// closed by its peer (and has nothing before the end), or neither.
func peek(c net.Conn) peerState {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return peerQuiet
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return peerClosed
	}
	st := peerQuiet
	var b [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, _, rerr := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK:
		case rerr != nil || n == 0:
			st = peerClosed
		default:
			st = peerReadable
		}
		return true
	})
	if err != nil {
		return peerClosed
	}
	return st
}
