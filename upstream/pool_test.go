package upstream

import (
	"bufio"
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// peer is a TCP server for the tests: it keeps every connection it accepts, answers each line
// with "<n> <line>" where n numbers its connections from 1, and can close them.
type peer struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newPeer(t *testing.T) *peer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &peer{ln: ln}
	t.Cleanup(func() { _ = ln.Close(); p.closeAll() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, c)
			n := len(p.conns)
			p.mu.Unlock()
			go func() {
				s := bufio.NewScanner(c)
				for s.Scan() {
					_, _ = c.Write([]byte(itoa(n) + " " + s.Text() + "\n"))
				}
			}()
		}
	}()
	return p
}

func itoa(n int) string { return string(rune('0' + n)) }

func (p *peer) addr() string { return p.ln.Addr().String() }

func (p *peer) accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

func (p *peer) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		_ = c.Close()
	}
}

// ask sends line and returns the answer.
func ask(t *testing.T, c *Conn, line string) string {
	t.Helper()
	_, err := c.Write([]byte(line + "\n"))
	require.NoError(t, err)
	got, err := c.ReadLine()
	require.NoError(t, err)
	return string(got)
}

func dial(t *testing.T, ps *Pools, addr string, o DialOptions) *Conn {
	t.Helper()
	if o.Backlog == 0 {
		o.Backlog = -1
	}
	c, err := ps.Dial(context.Background(), "tcp", addr, o)
	require.NoError(t, err)
	return c
}

func TestKeepaliveReusesTheConnection(t *testing.T) {
	p := newPeer(t)
	ps := NewPools()
	defer ps.Close()

	c := dial(t, ps, p.addr(), DialOptions{})
	assert.Nil(t, ps.Pool(p.addr()), "a plain connect makes no pool")
	assert.Equal(t, 0, c.Reused())
	assert.Equal(t, "1 a", ask(t, c, "a"))
	require.NoError(t, c.Keepalive(ps, time.Minute, 0))
	pool := ps.Pool(p.addr())
	require.NotNil(t, pool, "keepalive makes the pool")
	assert.Equal(t, DefaultPoolSize, pool.Size())
	assert.Equal(t, 1, pool.Idle())

	for i := 1; i <= 3; i++ {
		c = dial(t, ps, p.addr(), DialOptions{})
		assert.Equal(t, i, c.Reused())
		assert.Equal(t, "1 b", ask(t, c, "b"), "the same connection")
		require.NoError(t, c.Keepalive(ps, time.Minute, 0))
	}
	assert.Equal(t, 1, p.accepted())

	c = dial(t, ps, p.addr(), DialOptions{Pool: "other"})
	assert.Equal(t, 0, c.Reused(), "another pool name, another connection")
	assert.Equal(t, "2 c", ask(t, c, "c"))
	c.Close()
}

func TestKeepaliveClosesTheLeastRecentlyUsed(t *testing.T) {
	p := newPeer(t)
	ps := NewPools()
	defer ps.Close()
	var cs []*Conn
	for range 3 {
		cs = append(cs, dial(t, ps, p.addr(), DialOptions{}))
	}
	for i, c := range cs {
		assert.Equal(t, itoa(i+1)+" x", ask(t, c, "x"))
	}
	for _, c := range cs {
		require.NoError(t, c.Keepalive(ps, time.Minute, 2))
	}
	assert.Equal(t, 2, ps.Pool(p.addr()).Idle())
	// The most recently kept comes first; the first kept was closed.
	a := dial(t, ps, p.addr(), DialOptions{})
	b := dial(t, ps, p.addr(), DialOptions{})
	assert.Equal(t, "3 y", ask(t, a, "y"))
	assert.Equal(t, "2 y", ask(t, b, "y"))
	a.Close()
	b.Close()
	_, err := cs[0].conn.Read(make([]byte, 1))
	assert.Error(t, err, "closed")
}

func TestIdleTimeoutClosesTheConnection(t *testing.T) {
	p := newPeer(t)
	ps := NewPools()
	defer ps.Close()
	c := dial(t, ps, p.addr(), DialOptions{})
	require.NoError(t, c.Keepalive(ps, 30*time.Millisecond, 0))
	assert.Eventually(t, func() bool { return ps.Pool(p.addr()).Idle() == 0 }, 2*time.Second, 10*time.Millisecond)
	c = dial(t, ps, p.addr(), DialOptions{})
	assert.Equal(t, 0, c.Reused())
	c.Close()
}

func TestIdleConnectionClosedByThePeerIsNotReused(t *testing.T) {
	p := newPeer(t)
	ps := NewPools()
	defer ps.Close()
	c := dial(t, ps, p.addr(), DialOptions{})
	assert.Equal(t, "1 a", ask(t, c, "a"))
	require.NoError(t, c.Keepalive(ps, 0, 0))
	p.closeAll()
	time.Sleep(20 * time.Millisecond) // the FIN arrives
	c = dial(t, ps, p.addr(), DialOptions{})
	assert.Equal(t, 0, c.Reused())
	assert.Equal(t, "2 b", ask(t, c, "b"))
	c.Close()
}

func TestUnreadDataIsRefused(t *testing.T) {
	p := newPeer(t)
	ps := NewPools()
	defer ps.Close()
	c := dial(t, ps, p.addr(), DialOptions{})
	_, err := c.Write([]byte("a\nb\n"))
	require.NoError(t, err)
	line, err := c.ReadLine()
	require.NoError(t, err)
	assert.Equal(t, "1 a", string(line))
	_, _ = c.r.Peek(4) // "1 b\n" arrives in the buffer
	assert.ErrorIs(t, c.Keepalive(ps, 0, 0), ErrUnreadData)
	c.Close()
}

func TestBacklog(t *testing.T) {
	p := newPeer(t)
	ps := NewPools()
	defer ps.Close()
	o := DialOptions{PoolSize: 1, Backlog: 1, Timeout: 5 * time.Second}
	held := dial(t, ps, p.addr(), o)
	assert.Equal(t, 1, ps.Pool(p.addr()).Open())

	got := make(chan *Conn)
	go func() {
		c, err := ps.Dial(context.Background(), "tcp", p.addr(), o)
		assert.NoError(t, err)
		got <- c
	}()
	require.Eventually(t, func() bool { return ps.Pool(p.addr()).waiting.Load() == 1 }, 2*time.Second, time.Millisecond)
	_, err := ps.Dial(context.Background(), "tcp", p.addr(), o)
	assert.ErrorIs(t, err, ErrTooManyWaiting)

	require.NoError(t, held.Keepalive(ps, 0, 0))
	c := <-got
	assert.Equal(t, 1, c.Reused(), "the waiting connect gets the kept connection")
	assert.Equal(t, "1 x", ask(t, c, "x"), "the first connection (the peer has accepted it)")
	assert.Equal(t, 1, p.accepted(), "and no other")

	o.Timeout = 30 * time.Millisecond
	_, err = ps.Dial(context.Background(), "tcp", p.addr(), o)
	assert.ErrorIs(t, err, ErrTimeout, "a wait in the backlog ends at the connect timeout")
	c.Close()
	c = dial(t, ps, p.addr(), o)
	assert.Equal(t, 0, c.Reused(), "closing made room for a new connection")
	c.Close()
}

func TestPoolsClose(t *testing.T) {
	p := newPeer(t)
	ps := NewPools()
	c := dial(t, ps, p.addr(), DialOptions{})
	assert.Equal(t, "1 a", ask(t, c, "a"))
	require.NoError(t, c.Keepalive(ps, 0, 0))
	ps.Close()
	_, err := ps.Dial(context.Background(), "tcp", p.addr(), DialOptions{Backlog: -1})
	assert.ErrorIs(t, err, ErrClosed)
	assert.Eventually(t, func() bool {
		_, err := c.conn.Read(make([]byte, 1))
		return err != nil
	}, 2*time.Second, 10*time.Millisecond, "the idle connection is closed")
}

func TestIdleTimeoutsOfSeveralConnections(t *testing.T) {
	p := newPeer(t)
	ps := NewPools()
	defer ps.Close()
	var cs []*Conn
	for range 3 {
		cs = append(cs, dial(t, ps, p.addr(), DialOptions{}))
	}
	require.NoError(t, cs[0].Keepalive(ps, time.Hour, 0))            // arms the reaper for an hour
	require.NoError(t, cs[1].Keepalive(ps, 300*time.Millisecond, 0)) // brings it forward
	require.NoError(t, cs[2].Keepalive(ps, 0, 0))                    // never
	pool := ps.Pool(p.addr())
	assert.Equal(t, 3, pool.Idle())
	assert.Eventually(t, func() bool { return pool.Idle() == 2 }, 2*time.Second, 5*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	assert.Equal(t, 2, pool.Idle(), "the others stay")
}
