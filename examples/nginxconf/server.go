package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty/nginxconf"
)

// shutdownTimeout bounds how long a stop waits for requests in flight.
const shutdownTimeout = 30 * time.Second

// generation is one loaded configuration. It counts its users, the server while it is
// current and each request it serves; the last one to let go closes its log files.
type generation struct {
	cfg     *nginxconf.Config
	handler http.Handler
	refs    atomic.Int64
}

func newGeneration(c *nginxconf.Config) *generation {
	g := &generation{cfg: c, handler: c.Handler()}
	g.refs.Store(1)
	return g
}

// acquire takes a reference unless the generation is already released.
func (g *generation) acquire() bool {
	for {
		n := g.refs.Load()
		if n == 0 {
			return false
		}
		if g.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

func (g *generation) release() {
	if g.refs.Add(-1) == 0 {
		g.cfg.Close()
	}
}

// server runs the listeners of a configuration and swaps configurations on reload.
type server struct {
	opts   options
	stderr io.Writer
	cur    atomic.Pointer[generation]
	mu     sync.Mutex // listeners
	ls     map[string]*listener
}

type listener struct {
	addr nginxconf.Listen
	l    net.Listener
	srv  *http.Server
	done chan struct{}
}

func newServer(o options, stderr io.Writer) *server {
	return &server{opts: o, stderr: stderr, ls: map[string]*listener{}}
}

// load loads the configuration of o and applies its env directives. prev is the configuration
// being replaced, whose shared dicts the new one keeps; nil at start.
func load(o options, prev *nginxconf.Config) (*nginxconf.Config, error) {
	c, err := nginxconf.Load(o.conf, nginxconf.LoadOptions{Prefix: o.prefix, Previous: prev})
	if err != nil {
		return nil, err
	}
	for _, e := range c.Env {
		if name, value, ok := strings.Cut(e, "="); ok {
			os.Setenv(name, value)
		}
	}
	return c, nil
}

// logf writes a message of the process to the main error log of the current configuration,
// as nginx does, or to standard error before one is loaded.
func (s *server) logf(level, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	lv, _ := ngx.ParseLevel(level)
	if g := s.cur.Load(); g != nil {
		g.cfg.Logger().Log(context.Background(), lv.Slog(), msg, "level", level)
		return
	}
	fmt.Fprintf(s.stderr, "%s [%s] %d#0: %s\n", time.Now().Format("2006/01/02 15:04:05"), level,
		os.Getpid(), msg)
}

// ServeHTTP serves a request with the current configuration; a reload does not disturb it.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g := s.cur.Load()
	for !g.acquire() {
		g = s.cur.Load() // swapped out and released meanwhile
	}
	defer g.release()
	g.handler.ServeHTTP(w, r)
}

func (s *server) start() error {
	c, err := load(s.opts, nil)
	if err != nil {
		return err
	}
	g := newGeneration(c)
	if err := s.listen(c); err != nil {
		c.Close()
		return err
	}
	s.cur.Store(g)
	s.serve()
	return nil
}

// listen opens the addresses of c that are not open yet.
func (s *server) listen(c *nginxconf.Config) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var opened []string
	for _, a := range c.Addresses() {
		key := a.Network + " " + a.Addr
		if s.ls[key] != nil {
			continue
		}
		l, err := net.Listen(a.Network, a.Addr)
		if err != nil {
			for _, k := range opened {
				s.ls[k].l.Close()
				delete(s.ls, k)
			}
			return fmt.Errorf("bind() to %s failed (%w)", a.Addr, err)
		}
		if n := c.WorkerConnections; n > 0 {
			l = limitListener(l, n)
		}
		srv := &http.Server{Handler: s, IdleTimeout: keepalive(c, a), ReadHeaderTimeout: 60 * time.Second}
		if keepalive(c, a) == 0 {
			srv.SetKeepAlivesEnabled(false)
		}
		s.ls[key] = &listener{addr: a, l: l, srv: srv}
		opened = append(opened, key)
	}
	return nil
}

// keepalive is the keepalive_timeout of the first server listening on a.
func keepalive(c *nginxconf.Config, a nginxconf.Listen) time.Duration {
	for _, srv := range c.Servers {
		for _, l := range srv.Listen {
			if l.Network == a.Network && l.Addr == a.Addr {
				return srv.KeepaliveTimeout
			}
		}
	}
	return c.Servers[0].KeepaliveTimeout
}

// serve starts serving on the listeners that are not served yet.
func (s *server) serve() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.ls {
		if l.done != nil {
			continue
		}
		l.done = make(chan struct{})
		go func(l *listener) {
			defer close(l.done)
			if err := l.srv.Serve(l.l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.logf("alert", "serving %s: %v", l.addr.Addr, err)
			}
		}(l)
		s.logf("notice", "listening on %s %s", l.addr.Network, l.l.Addr())
	}
}

// Addrs returns the addresses the server listens on.
func (s *server) Addrs() []net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []net.Addr
	for _, l := range s.ls {
		out = append(out, l.l.Addr())
	}
	return out
}

// reload loads the configuration again and swaps it in; requests in flight finish on the old
// one, whose log files are closed once they are done.
func (s *server) reload() {
	s.logf("notice", "signal %d (%v) received, reconfiguring", 1, "SIGHUP")
	c, err := load(s.opts, s.cur.Load().cfg)
	if err != nil {
		s.logf("emerg", "%v", err)
		return
	}
	if err := s.listen(c); err != nil {
		s.logf("emerg", "%v", err)
		c.Close()
		return
	}
	old := s.cur.Swap(newGeneration(c))
	s.serve()
	s.closeUnused(c)
	old.release()
}

// closeUnused stops the listeners the configuration c no longer names, gracefully.
func (s *server) closeUnused(c *nginxconf.Config) {
	keep := map[string]bool{}
	for _, a := range c.Addresses() {
		keep[a.Network+" "+a.Addr] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, l := range s.ls {
		if keep[key] {
			continue
		}
		delete(s.ls, key)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
			defer cancel()
			_ = l.srv.Shutdown(ctx)
		}()
	}
}

func (s *server) reopen() {
	if err := s.cur.Load().cfg.ReopenLogs(); err != nil {
		s.logf("alert", "reopening logs: %v", err)
	}
}

// stop closes the listeners and waits for the requests in flight; the last one closes the logs.
func (s *server) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	s.mu.Lock()
	ls := s.ls
	s.ls = map[string]*listener{}
	s.mu.Unlock()
	var first error
	for _, l := range ls {
		if err := l.srv.Shutdown(ctx); err != nil && first == nil {
			first = err
		}
		<-l.done
	}
	s.cur.Load().release()
	return first
}

// limitListener accepts at most n connections at once (worker_connections).
func limitListener(l net.Listener, n int) net.Listener {
	return &limited{Listener: l, sem: make(chan struct{}, n), closed: make(chan struct{})}
}

type limited struct {
	net.Listener
	sem    chan struct{}
	closed chan struct{}
	once   sync.Once
}

func (l *limited) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.closed:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limited) Close() error {
	l.once.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
