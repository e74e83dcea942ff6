package upstream

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of nginx's upstream module: a server's max_fails and fail_timeout, and the
// keepalive_timeout and keepalive_requests of an upstream block's keepalive cache.
const (
	DefaultMaxFails          = 1
	DefaultFailTimeout       = 10 * time.Second
	DefaultKeepaliveRequests = 1000
)

// NoMaxFails is the Server.MaxFails of nginx's max_fails=0: failures are not counted and the
// server never becomes unavailable for them.
const NoMaxFails = -1

// Server is one server of an upstream group (nginx's "server" inside upstream {}).
type Server struct {
	// Addr is "host:port" (port 80 when omitted) or "unix:/path". A host name is resolved at
	// each connect with Go's resolver, where nginx resolves it once into one server per address.
	Addr string
	// Weight is the server's weight in the round robin; 0 means 1.
	Weight int
	// MaxFails is how many failed tries within FailTimeout make the server unavailable for
	// FailTimeout; 0 means nginx's default 1, NoMaxFails means max_fails=0 (never).
	MaxFails int
	// FailTimeout is the window of MaxFails and how long the server then stays unavailable;
	// 0 means 10s.
	FailTimeout time.Duration
	// Backup servers get requests only when no primary server is available.
	Backup bool
	// Down servers get no requests.
	Down bool
}

// member is a server and its state in the round robin, as ngx_http_upstream_rr_peer_t.
type member struct {
	network, addr string
	name          string // the address as nginx shows it: "host:port", "unix:/path"
	weight        int
	maxFails      int // 0: failures are not counted
	failTimeout   time.Duration
	down          bool

	current, effective int
	fails              int
	conns              int // tries in progress (nginx's peer->conns)
	accessed, checked  time.Time
	server             string // the address as configured: consistent hashing hashes it
}

// Group is an upstream block: its servers, nginx's smooth weighted round robin among them
// (ngx_http_upstream_round_robin.c: each server's current weight grows by its effective
// weight, the largest is chosen and loses the total), max_fails/fail_timeout accounting,
// backup servers used only when every primary server is down or failed, and keepalive
// connections. As in nginx, a group of one primary server and no backup always tries that
// server (unless it is down) and never counts its failures.
//
// Set Keepalive, KeepaliveTimeout and KeepaliveRequests before the group's first request; the
// other fields are NewGroup's and read-only. A Group is safe for concurrent use.
type Group struct {
	// Name is the upstream block's name; a Proxy's default Host field and the address of a
	// "no live upstreams" attempt.
	Name string
	// Servers are the servers as given to NewGroup.
	Servers []Server
	// Keepalive is keepalive's connections: how many idle connections to each server the group
	// keeps (nginx counts them for the whole group); 0 keeps none.
	Keepalive int
	// KeepaliveTimeout is keepalive_timeout: how long an idle connection is kept; 0 means 60s.
	KeepaliveTimeout time.Duration
	// KeepaliveRequests is keepalive_requests: a connection that served that many requests is
	// closed; 0 means 1000.
	KeepaliveRequests int
	// Balance is how servers are chosen (least_conn, ip_hash, hash [consistent]); the zero
	// value is nginx's smooth weighted round robin. The hashing methods never use backup
	// servers (nginx refuses them) and fall back to round robin as nginx does: after 20 tries
	// that found no live server, for a group of one server, and for an empty key.
	Balance Balance

	mu     sync.Mutex
	tiers  [2][]*member  // primary servers, backup servers
	single bool          // one primary server and no backup: nginx's peers->single
	points []ketamaPoint // BalanceConsistentHash's continuum, made on first use
	pools  *Pools
	now    func() time.Time // the clock of failure accounting; tests set it
}

// NewGroup returns the upstream group name of servers, or an error naming what is wrong.
func NewGroup(name string, servers []Server) (*Group, error) {
	if name == "" {
		return nil, errors.New("upstream: group without a name")
	}
	g := &Group{Name: name, Servers: servers, pools: NewPools(), now: time.Now}
	for i, s := range servers {
		p, err := newMember(s)
		if err != nil {
			return nil, fmt.Errorf("upstream %q: server %d (%q): %w", name, i+1, s.Addr, err)
		}
		tier := 0
		if s.Backup {
			tier = 1
		}
		g.tiers[tier] = append(g.tiers[tier], p)
	}
	if len(g.tiers[0]) == 0 {
		return nil, fmt.Errorf("no servers in upstream %q", name)
	}
	g.single = len(g.tiers[0]) == 1 && len(g.tiers[1]) == 0
	return g, nil
}

// newMember checks s and applies its defaults.
func newMember(s Server) (*member, error) {
	p := &member{network: "tcp", weight: s.Weight, maxFails: s.MaxFails, failTimeout: s.FailTimeout, down: s.Down,
		server: s.Addr}
	switch {
	case s.Weight < 0:
		return nil, fmt.Errorf("invalid weight %d", s.Weight)
	case s.Weight == 0:
		p.weight = 1
	}
	switch {
	case s.MaxFails < NoMaxFails:
		return nil, fmt.Errorf("invalid max_fails %d", s.MaxFails)
	case s.MaxFails == NoMaxFails:
		p.maxFails = 0
	case s.MaxFails == 0:
		p.maxFails = DefaultMaxFails
	}
	switch {
	case s.FailTimeout < 0:
		return nil, fmt.Errorf("invalid fail_timeout %v", s.FailTimeout)
	case s.FailTimeout == 0:
		p.failTimeout = DefaultFailTimeout
	}
	p.effective = p.weight
	addr, err := serverAddr(s.Addr)
	if err != nil {
		return nil, err
	}
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		p.network, addr = "unix", path
	}
	p.addr, p.name = addr, addr
	if p.network == "unix" {
		p.name = "unix:" + addr
	}
	return p, nil
}

// serverAddr returns addr with port 80 when it has none, or an error when it is not
// "host[:port]" or "unix:/path".
func serverAddr(addr string) (string, error) {
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		if path == "" {
			return "", errors.New("no path in unix address")
		}
		return addr, nil
	}
	if addr == "" || strings.Contains(addr, "/") {
		return "", fmt.Errorf("invalid address %q", addr)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		// No port: "host" or "[v6]".
		host, port = strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]"), "80"
		if strings.ContainsAny(host, "[]") || (strings.Contains(host, ":") && !strings.HasPrefix(addr, "[")) {
			return "", fmt.Errorf("invalid address %q", addr)
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("invalid port in %q", addr)
	}
	if host == "" {
		return "", fmt.Errorf("no host in %q", addr)
	}
	return net.JoinHostPort(host, port), nil
}

// Close closes the group's idle keepalive connections; connections in use close when their
// Response bodies are closed, and requests fail from then on.
func (g *Group) Close() { g.pools.Close() }

// tries is one request's state in the group: nginx's rrp->tried and pc->tries.
type tries struct {
	tier   int      // 0 primary, 1 backup
	tried  []uint64 // bit i: server i of the tier was tried
	inline [1]uint64
	left   int // tries left
	hashing
}

// newTries starts a request; limit is proxy_next_upstream_tries (0: none); key is the
// request's balancing key (Outgoing.Key).
func (g *Group) newTries(limit int, key string) *tries {
	t := &tries{hashing: hashing{key: key}}
	n := max(len(g.tiers[0]), len(g.tiers[1]))
	if n <= 64 {
		t.tried = t.inline[:]
	} else {
		t.tried = make([]uint64, (n+63)/64)
	}
	for _, tier := range g.tiers {
		for _, p := range tier {
			if !p.down {
				t.left++
			}
		}
	}
	if limit > 0 && t.left > limit {
		t.left = limit
	}
	return t
}

// pick chooses the server of the request's next try, nginx's get_round_robin_peer; nil
// means none is available ("no live upstreams").
func (g *Group) pick(t *tries, now time.Time) *member {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		tier := g.tiers[t.tier]
		if g.single {
			if !tier[0].down {
				tier[0].conns++
				return tier[0]
			}
		} else if p := g.choose(tier, t, now); p != nil {
			p.conns++
			return p
		}
		if t.tier == 1 || len(g.tiers[1]) == 0 {
			return nil
		}
		t.tier = 1
		clear(t.tried)
	}
}

// best is nginx's ngx_http_upstream_get_peer: smooth weighted round robin among the servers
// of tier not tried, not down and not failed; server, when not "", keeps to the members
// configured with that address (hash consistent's choice among a name's addresses).
func (g *Group) best(tier []*member, t *tries, now time.Time, server string) *member {
	var best *member
	bi, total := 0, 0
	for i, p := range tier {
		if !t.usable(i, p, now) || server != "" && p.server != server {
			continue
		}
		p.current += p.effective
		total += p.effective
		if p.effective < p.weight {
			p.effective++
		}
		if best == nil || p.current > best.current {
			best, bi = p, i
		}
	}
	if best == nil {
		return nil
	}
	t.mark(bi)
	best.current -= total
	if now.Sub(best.checked) > best.failTimeout {
		best.checked = now
	}
	return best
}

// usable reports whether server i of the request's tier, p, may be tried: not tried yet,
// not down, not failed max_fails times within fail_timeout.
func (t *tries) usable(i int, p *member, now time.Time) bool {
	return t.tried[i/64]&(1<<(i%64)) == 0 && !p.down &&
		!(p.maxFails > 0 && p.fails >= p.maxFails && now.Sub(p.checked) <= p.failTimeout)
}

// mark records that server i of the request's tier was tried.
func (t *tries) mark(i int) { t.tried[i/64] |= 1 << (i % 64) }

// free ends a try of p, nginx's free_round_robin_peer: failed counts a failure; a try that
// did not fail makes a server that failed before fail_timeout passed live again. It reports
// whether the failure made p unavailable (max_fails reached).
func (g *Group) free(p *member, t *tries, failed bool, now time.Time) (disabled bool) {
	g.mu.Lock()
	p.conns--
	if g.single {
		g.mu.Unlock()
		t.left = 0
		return false
	}
	if failed {
		p.fails++
		p.accessed, p.checked = now, now
		if p.maxFails > 0 {
			p.effective -= p.weight / p.maxFails
			disabled = p.fails >= p.maxFails
		}
		p.effective = max(p.effective, 0)
	} else if p.accessed.Before(p.checked) {
		p.fails = 0
	}
	g.mu.Unlock()
	if t.left > 0 {
		t.left--
	}
	return disabled
}

// keepalive returns the idle timeout and the count of the connections kept.
func (g *Group) keepalive() (idle time.Duration, requests int) {
	idle = orDefault(g.KeepaliveTimeout, DefaultKeepaliveTimeout)
	requests = g.KeepaliveRequests
	if requests <= 0 {
		requests = DefaultKeepaliveRequests
	}
	return idle, requests
}
