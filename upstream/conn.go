package upstream

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/netip"
	"time"

	"github.com/jackc/puddle/v2"
)

// BufferSize is the size of a connection's read buffer, lua_socket_buffer_size's default.
const BufferSize = 4096

// Conn is one upstream connection as a cosocket holds it: the net.Conn, a read buffer, and
// the pool it came from or goes to.
type Conn struct {
	conn   net.Conn // the connection: plain, or TLS after Handshake
	plain  net.Conn // the connection as dialed, which peek looks at
	r      *bufio.Reader
	name   string // the pool it is kept in
	reused int
	res    *puddle.Resource[*Conn] // while it belongs to pool
	pool   *Pool
	idle   time.Duration // idle timeout, while idle
	fresh  bool          // dialed by a pool's acquire, not handed out yet
	peeker *peeker       // made by the first peek, on the connection as dialed
	// nodelay is set once TCP_NODELAY was set: nginx sets it at a connection's first send
	// (tcp_nodelay on), and Go at once, which dial undoes.
	nodelay bool
}

// DialOptions are connect's options.
type DialOptions struct {
	// Pool names the keepalive pool; "" means the address ("host:port", or the socket path).
	Pool string
	// PoolSize, when positive, makes the pool (if there is none yet) with that size.
	PoolSize int
	// Backlog, when not negative, makes the pool (if there is none yet) limit its open
	// connections to its size, with at most Backlog connects waiting. -1 means no backlog.
	Backlog int
	// Timeout bounds making the connection, or the wait in a backlog; 0 means none.
	Timeout time.Duration
	// LocalAddr, when valid, is the local address a new TCP connection binds to (tcpsock:bind).
	LocalAddr netip.Addr
}

// dialer makes one connection.
type dialer struct {
	ctx     context.Context
	network string
	addr    string
	timeout time.Duration
	local   netip.Addr
}

func (d *dialer) dial() (*Conn, error) {
	nd := net.Dialer{Timeout: d.timeout, KeepAlive: -1} // nginx sets no SO_KEEPALIVE unless asked
	if d.local.IsValid() && d.network == "tcp" {
		nd.LocalAddr = &net.TCPAddr{IP: d.local.AsSlice()}
	}
	c, err := nd.DialContext(d.ctx, d.network, d.addr)
	if err != nil {
		return nil, err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(false) // until the first send, as nginx
	}
	return &Conn{conn: c, plain: c, r: bufio.NewReaderSize(c, BufferSize), fresh: true}, nil
}

// Dial returns a connection to addr on network ("tcp" or "unix"): an idle one of the pool
// named by o.Pool (or addr) when there is one, else a new one. ctx cancels the dial.
func (ps *Pools) Dial(ctx context.Context, network, addr string, o DialOptions) (*Conn, error) {
	name := o.Pool
	if name == "" {
		name = addr
	}
	size := o.PoolSize
	if size <= 0 {
		_, size = ps.Settings.Keepalive()
	}
	p, err := ps.pool(name, o.PoolSize > 0 || o.Backlog >= 0, size, o.Backlog)
	if err != nil {
		return nil, err
	}
	d := &dialer{ctx: ctx, network: network, addr: addr, timeout: o.Timeout, local: o.LocalAddr}
	var c *Conn
	if p != nil {
		c, err = p.acquire(d)
	} else if c, err = d.dial(); err == nil {
		c.fresh = false
	}
	if err != nil {
		return nil, err
	}
	c.name = name
	return c, nil
}

// WrapConn makes a Conn of a connection made elsewhere (a client's, taken over from
// net/http for ngx.req.socket(true)), reading through r, which may hold bytes already read
// from c. It belongs to no pool: Keepalive refuses it and Close closes c.
func WrapConn(c net.Conn, r *bufio.Reader) *Conn {
	if r == nil {
		r = bufio.NewReaderSize(c, BufferSize)
	}
	return &Conn{conn: c, plain: c, r: r, nodelay: true}
}

// Reader returns the connection's read buffer.
func (c *Conn) Reader() *bufio.Reader { return c.r }

// Conn returns the network connection.
func (c *Conn) Conn() net.Conn { return c.conn }

// Reused returns how many times the connection was taken from a pool.
func (c *Conn) Reused() int { return c.reused }

// Write writes b. The first write sets TCP_NODELAY, as nginx's tcp_nodelay does.
func (c *Conn) Write(b []byte) (int, error) {
	if !c.nodelay {
		c.nodelay = true
		if tc, ok := c.plain.(*net.TCPConn); ok {
			_ = tc.SetNoDelay(true)
		}
	}
	return c.conn.Write(b)
}

// SetReadDeadline and SetWriteDeadline set the connection's deadlines.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.conn.SetReadDeadline(t) }

// SetWriteDeadline sets the deadline of writes.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.conn.SetWriteDeadline(t) }

// ErrUnsupportedOption is Option's and SetOption's error for an option they do not know (or
// on a system where they know none).
var ErrUnsupportedOption = errors.New("unsupported option")

// Keepalive's refusals, lua-nginx-module's texts. The connection stays the caller's.
var (
	// ErrUnreadData: data was received and not read.
	ErrUnreadData = errors.New("unread data in buffer")
	// ErrPeerClosed: the peer closed the connection.
	ErrPeerClosed = errors.New("closed")
	// ErrDubious: the peer sent data that has not even reached the read buffer.
	ErrDubious = errors.New("connection in dubious state")
)

// peerState is what peek finds on a connection.
type peerState int

const (
	peerQuiet    peerState = iota // nothing to read, not closed
	peerReadable                  // bytes to read
	peerClosed                    // closed by the peer (or broken)
)

// Keepalive puts the connection, which the caller no longer uses, in its pool as an idle
// connection that closes after idle (0: never); the pool is made with size (0: the Settings'
// PoolSize) when there is none. A connection its peer closed, or with data received and
// not read, is refused (ErrPeerClosed, ErrUnreadData, ErrDubious) and stays the caller's.
func (c *Conn) Keepalive(ps *Pools, idle time.Duration, size int) error {
	switch st := c.peek(); {
	case st == peerClosed:
		return ErrPeerClosed
	case c.r.Buffered() > 0:
		return ErrUnreadData
	case st == peerReadable:
		return ErrDubious
	}
	if size <= 0 {
		_, size = ps.Settings.Keepalive()
	}
	p, err := ps.pool(c.name, true, size, -1)
	if err != nil {
		c.Close()
		return err
	}
	_ = c.conn.SetDeadline(time.Time{})
	return p.put(c, idle)
}

// Close closes the connection.
func (c *Conn) Close() {
	if c.res != nil {
		c.res.Destroy()
		c.res = nil
		return
	}
	_ = c.conn.Close()
}

// reusable reports whether an idle connection can be handed out: its peer has not closed it
// nor sent anything meanwhile, as nginx closes an idle connection that becomes readable.
func (c *Conn) reusable() bool {
	return c.r.Buffered() == 0 && c.peek() == peerQuiet
}

// PoolName returns the name of the pool the connection is kept in.
func (c *Conn) PoolName() string { return c.name }
