//go:build unix

package upstream

import (
	"syscall"
)

// sockopts are the options tcpsock:setoption and getoption know, as (level, name).
var sockopts = map[string][2]int{
	"keepalive":   {syscall.SOL_SOCKET, syscall.SO_KEEPALIVE},
	"reuseaddr":   {syscall.SOL_SOCKET, syscall.SO_REUSEADDR},
	"tcp-nodelay": {syscall.IPPROTO_TCP, syscall.TCP_NODELAY},
	"sndbuf":      {syscall.SOL_SOCKET, syscall.SO_SNDBUF},
	"rcvbuf":      {syscall.SOL_SOCKET, syscall.SO_RCVBUF},
}

// control runs f on the connection's socket.
func (c *Conn) control(f func(fd int) error) error {
	sc, ok := c.plain.(syscall.Conn)
	if !ok {
		return ErrUnsupportedOption
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := raw.Control(func(fd uintptr) { ferr = f(int(fd)) }); err != nil {
		return err
	}
	return ferr
}

// Option returns the value of a socket option: "keepalive", "reuseaddr", "tcp-nodelay",
// "sndbuf" or "rcvbuf" (tcpsock:getoption).
func (c *Conn) Option(name string) (int, error) {
	o, ok := sockopts[name]
	if !ok {
		return 0, ErrUnsupportedOption
	}
	var v int
	err := c.control(func(fd int) (err error) {
		v, err = syscall.GetsockoptInt(fd, o[0], o[1])
		return err
	})
	return v, err
}

// SetOption sets a socket option (tcpsock:setoption); Option lists them.
func (c *Conn) SetOption(name string, v int) error {
	o, ok := sockopts[name]
	if !ok {
		return ErrUnsupportedOption
	}
	if name == "tcp-nodelay" {
		c.nodelay = true // set by hand: the first send leaves it
	}
	return c.control(func(fd int) error { return syscall.SetsockoptInt(fd, o[0], o[1], v) })
}
