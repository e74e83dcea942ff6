package upstream

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/puddle/v2"
)

// Defaults of lua-nginx-module's cosocket directives: lua_socket_pool_size,
// lua_socket_keepalive_timeout and the connect, send and read timeouts.
const (
	DefaultPoolSize         = 30
	DefaultKeepaliveTimeout = 60 * time.Second
	DefaultTimeout          = 60 * time.Second
)

// Settings are lua-nginx-module's cosocket directives, as a server's http block sets them.
// Zero values mean nginx's defaults.
type Settings struct {
	ConnectTimeout   time.Duration // lua_socket_connect_timeout
	SendTimeout      time.Duration // lua_socket_send_timeout
	ReadTimeout      time.Duration // lua_socket_read_timeout
	KeepaliveTimeout time.Duration // lua_socket_keepalive_timeout; negative: never
	PoolSize         int           // lua_socket_pool_size
	// TrustedCertificate is lua_ssl_trusted_certificate: a PEM file of the CA certificates
	// sslhandshake trusts when it verifies; empty trusts none.
	TrustedCertificate string
	// VerifyDepth is lua_ssl_verify_depth: how many intermediate certificates a verified
	// chain may have; 0 means 1.
	VerifyDepth int
}

// orDefault returns d, or def when d is zero.
func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Timeouts returns the connect, send and read timeouts, defaults applied.
func (s Settings) Timeouts() (connect, send, read time.Duration) {
	return orDefault(s.ConnectTimeout, DefaultTimeout), orDefault(s.SendTimeout, DefaultTimeout),
		orDefault(s.ReadTimeout, DefaultTimeout)
}

// Keepalive returns the idle timeout of kept connections (0: never) and the pool size,
// defaults applied.
func (s Settings) Keepalive() (time.Duration, int) {
	idle := orDefault(s.KeepaliveTimeout, DefaultKeepaliveTimeout)
	if idle < 0 {
		idle = 0
	}
	size := s.PoolSize
	if size <= 0 {
		size = DefaultPoolSize
	}
	return idle, size
}

// Errors of Pools.Dial and Conn.Keepalive; their texts are lua-nginx-module's.
var (
	// ErrTooManyWaiting: a pool with a backlog has pool_size connections open and backlog
	// connects waiting already.
	ErrTooManyWaiting = errors.New("too many waiting connect operations")
	// ErrTimeout: a connect waited in a pool's backlog for its whole connect timeout.
	ErrTimeout = errors.New("timeout")
	// ErrClosed: the Pools were closed.
	ErrClosed = errors.New("closed")
)

// Pools holds the keepalive connection pools of one server (a resty.Handler) by name, as an
// nginx worker holds the pools of its cosockets. A pool is made by the first connect that asks
// for one (with a pool size or a backlog) or by the first connection kept alive under its name.
// Each is a github.com/jackc/puddle/v2 pool of *Conn.
type Pools struct {
	// Settings are the cosocket directives' values; set them before the first Dial.
	Settings Settings
	// RootCAs are the certificates sslhandshake trusts (Settings.TrustedCertificate, loaded);
	// nil trusts none, as nginx without lua_ssl_trusted_certificate.
	RootCAs *x509.CertPool

	mu     sync.Mutex
	pools  map[string]*Pool
	closed bool
}

// NewPools returns an empty set of pools.
func NewPools() *Pools { return &Pools{pools: make(map[string]*Pool)} }

// Close closes every idle connection and every pool; connections in use are closed when they
// are closed or kept alive, and Dial fails with ErrClosed from then on.
func (ps *Pools) Close() {
	ps.mu.Lock()
	ps.closed = true
	pools := ps.pools
	ps.pools = nil
	ps.mu.Unlock()
	for _, p := range pools {
		p.close()
	}
}

// Refuses reports the error a Dial to the pool named name would fail with at once, without
// waiting: ErrTooManyWaiting when the pool has a backlog that is full. nil means a Dial may
// proceed (and may still fail).
func (ps *Pools) Refuses(name string) error {
	p := ps.Pool(name)
	if p == nil || p.backlog < 0 {
		return nil
	}
	st := p.p.Stat()
	if st.IdleResources() == 0 && int(st.TotalResources()) >= p.size && int(p.waiting.Load()) >= p.backlog {
		return ErrTooManyWaiting
	}
	return nil
}

// HasIdle reports whether the pool named name has an idle connection, which a Dial takes
// without waiting.
func (ps *Pools) HasIdle(name string) bool {
	p := ps.Pool(name)
	return p != nil && p.Idle() > 0
}

// Pool returns the pool named name, or nil.
func (ps *Pools) Pool(name string) *Pool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.pools[name]
}

// pool returns the pool named name, making it with the given limits when there is none and
// make is true.
func (ps *Pools) pool(name string, make bool, size, backlog int) (*Pool, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.closed {
		return nil, ErrClosed
	}
	if p := ps.pools[name]; p != nil || !make {
		return p, nil
	}
	p, err := newPool(name, size, backlog)
	if err != nil {
		return nil, err
	}
	ps.pools[name] = p
	return p, nil
}

// Pool is one keepalive pool: up to Size idle connections, the least recently used closed first
// to make room, each closed after its idle timeout or when its peer closes it. A pool made with
// a backlog also limits the connections open through it to Size, and lets at most Backlog
// connects wait for one to close.
type Pool struct {
	name    string
	size    int
	backlog int // -1: no limit on open connections
	p       *puddle.Pool[*Conn]
	waiting atomic.Int32
	closing atomic.Bool

	trimming sync.Mutex // one trim at a time
	mu       sync.Mutex // guards reaper and due
	reaper   *time.Timer
	due      time.Time // when reaper fires; zero when it is not armed
}

// newPool makes a pool; backlog < 0 means none.
func newPool(name string, size, backlog int) (*Pool, error) {
	p := &Pool{name: name, size: size, backlog: backlog}
	max := int32(math.MaxInt32)
	if backlog >= 0 {
		max = int32(min(size, math.MaxInt32))
	}
	pp, err := puddle.NewPool(&puddle.Config[*Conn]{
		Constructor: p.construct,
		Destructor:  func(c *Conn) { _ = c.conn.Close() },
		MaxSize:     max,
	})
	if err != nil {
		return nil, err
	}
	p.p = pp
	return p, nil
}

// Name returns the pool's name.
func (p *Pool) Name() string { return p.name }

// Size returns how many idle connections the pool keeps at most.
func (p *Pool) Size() int { return p.size }

// Idle returns how many idle connections the pool holds.
func (p *Pool) Idle() int { return int(p.p.Stat().IdleResources()) }

// Open returns how many connections of the pool are open: idle, in use or connecting.
func (p *Pool) Open() int { return int(p.p.Stat().TotalResources()) }

// dialKey carries, in the context of a puddle Acquire, how to make a new connection (a
// *dialer), or the connection a keepalive hands over (a *Conn).
type dialKey struct{}

// construct is the pool's puddle constructor.
func (p *Pool) construct(ctx context.Context) (*Conn, error) {
	switch v := ctx.Value(dialKey{}).(type) {
	case *Conn:
		return v, nil
	case *dialer:
		return v.dial()
	}
	return nil, errors.New("upstream: connection constructed without a dialer")
}

// acquire returns an idle connection of the pool, or a new one from d. In a pool with a
// backlog it waits, up to d's connect timeout, for a connection to close when Size are open.
func (p *Pool) acquire(d *dialer) (*Conn, error) {
	ctx := context.WithValue(d.ctx, dialKey{}, d)
	if p.backlog >= 0 {
		st := p.p.Stat()
		if st.IdleResources() == 0 && int(st.TotalResources()) >= p.size {
			if int(p.waiting.Add(1)) > p.backlog {
				p.waiting.Add(-1)
				return nil, ErrTooManyWaiting
			}
			defer p.waiting.Add(-1)
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d.timeout)
			defer cancel()
		}
	}
	for {
		res, err := p.p.Acquire(ctx)
		switch {
		case errors.Is(err, context.DeadlineExceeded) && d.ctx.Err() == nil:
			return nil, ErrTimeout
		case errors.Is(err, puddle.ErrClosedPool):
			return nil, ErrClosed
		case err != nil:
			return nil, err
		}
		c := res.Value()
		c.res, c.pool = res, p
		if c.fresh { // dialed for this acquire
			c.fresh = false
			return c, nil
		}
		if c.reusable() {
			c.reused++
			return c, nil
		}
		res.Destroy()
	}
}

// put makes c, which the caller no longer uses, an idle connection of the pool that closes
// after idle (0: never), then closes the least recently used idle connections beyond Size.
func (p *Pool) put(c *Conn, idle time.Duration) error {
	c.idle = idle
	if c.res != nil && c.pool == p {
		c.res.Release()
	} else {
		c.res, c.pool = nil, p
		// puddle makes every resource through the constructor: hand it c.
		ctx := context.WithValue(context.Background(), dialKey{}, c)
		if err := p.p.CreateResource(ctx); err != nil {
			_ = c.conn.Close()
			return err
		}
	}
	if int(p.p.Stat().IdleResources()) > p.size {
		p.trim()
	}
	if idle > 0 {
		p.reapIn(idle)
	}
	return nil
}

// reapIn makes sure that the pool's reaper runs within d.
func (p *Pool) reapIn(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	due := time.Now().Add(d)
	switch {
	case p.reaper == nil:
		p.reaper = time.AfterFunc(d, p.reap)
	case !p.due.IsZero() && !p.due.After(due):
		return // due sooner already
	default:
		p.reaper.Reset(d)
	}
	p.due = due
}

// reap closes the idle connections whose idle timeout passed and runs again when the next
// one is due: one timer per pool, however many connections it keeps.
func (p *Pool) reap() {
	p.mu.Lock()
	p.due = time.Time{}
	p.mu.Unlock()
	if next := p.trim(); next > 0 {
		p.reapIn(next)
	}
}

// trim closes the idle connections whose idle timeout passed and, beyond Size, the least
// recently used ones, and returns how long until the next idle timeout of those it keeps (0:
// none). Idle connections are taken out of the pool meanwhile and put back most recently used
// last, so that puddle hands out the most recently used first, as nginx does.
func (p *Pool) trim() (next time.Duration) {
	p.trimming.Lock()
	defer p.trimming.Unlock()
	idle := p.p.AcquireAllIdle()
	slices.SortFunc(idle, func(a, b *puddle.Resource[*Conn]) int {
		return cmp.Compare(b.LastUsedNanotime(), a.LastUsedNanotime()) // most recent first
	})
	kept := idle[:0]
	for _, res := range idle {
		c := res.Value()
		left := c.idle - res.IdleDuration()
		if len(kept) >= p.size || (c.idle > 0 && left <= 0) {
			res.Destroy()
			continue
		}
		if c.idle > 0 && (next == 0 || left < next) {
			next = left
		}
		kept = append(kept, res)
	}
	for i := len(kept) - 1; i >= 0; i-- {
		kept[i].ReleaseUnused()
	}
	return next
}

// close closes the pool: its idle connections at once, the others when released.
func (p *Pool) close() {
	p.mu.Lock()
	if p.reaper != nil {
		p.reaper.Stop()
	}
	p.mu.Unlock()
	if p.closing.CompareAndSwap(false, true) {
		go p.p.Close() // puddle's Close waits for the connections in use
	}
}
