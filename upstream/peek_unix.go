//go:build unix

package upstream

import "syscall"

// peeker looks at a connection's socket without waiting or consuming anything. It is made once
// per connection, so that a look allocates nothing.
type peeker struct {
	raw   syscall.RawConn
	look  func(fd uintptr) bool
	state peerState
	buf   [1]byte
}

// peek tells whether c has bytes to read, has been closed by its peer (and has nothing before
// the end), or neither.
func (c *Conn) peek() peerState {
	pk := c.peeker
	if pk == nil {
		sc, ok := c.plain.(syscall.Conn)
		if !ok {
			return peerQuiet
		}
		raw, err := sc.SyscallConn()
		if err != nil {
			return peerClosed
		}
		pk = &peeker{raw: raw}
		pk.look = func(fd uintptr) bool {
			n, _, err := syscall.Recvfrom(int(fd), pk.buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
			switch {
			case err == syscall.EAGAIN || err == syscall.EWOULDBLOCK:
				pk.state = peerQuiet
			case err != nil || n == 0:
				pk.state = peerClosed
			default:
				pk.state = peerReadable
			}
			return true
		}
		c.peeker = pk
	}
	if err := pk.raw.Read(pk.look); err != nil {
		return peerClosed
	}
	return pk.state
}
