package nginxconf

import (
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// listenAndNames reads the listen and server_name directives of a server block.
func (ld *loader) listenAndNames(d *Directive, srv *Server) error {
	for _, l := range d.Find("listen") {
		ls, err := parseListen(l)
		if err != nil {
			return err
		}
		srv.Listen = append(srv.Listen, ls)
	}
	if len(srv.Listen) == 0 {
		port := "8000"
		if os.Geteuid() == 0 {
			port = "80"
		}
		srv.Listen = []Listen{{Network: "tcp", Addr: ":" + port}}
	}
	for _, n := range d.Find("server_name") {
		for _, name := range n.Args {
			if name == "$hostname" {
				name, _ = os.Hostname()
			}
			if err := srv.names.add(n, name); err != nil {
				return err
			}
			srv.Names = append(srv.Names, name)
		}
	}
	if len(srv.Names) == 0 {
		_ = srv.names.add(d, "")
	}
	return nil
}

// parseListen reads listen address[:port] [default_server] [options].
func parseListen(d *Directive) (Listen, error) {
	l := Listen{Network: "tcp"}
	a := d.Args[0]
	if path, ok := strings.CutPrefix(a, "unix:"); ok {
		l.Network, l.Addr = "unix", path
	} else {
		host, port := a, "80"
		if _, err := strconv.Atoi(a); err == nil {
			host, port = "", a
		} else if h, p, err := net.SplitHostPort(a); err == nil {
			host, port = h, p
		} else if strings.HasPrefix(a, "[") && strings.HasSuffix(a, "]") {
			host = a[1 : len(a)-1]
		}
		if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			return l, d.Errorf("invalid port in %q of the %q directive", a, d.Name)
		}
		switch host {
		case "*", "0.0.0.0":
			host = ""
		}
		if host != "" && net.ParseIP(host) == nil {
			addrs, err := net.LookupHost(host)
			if err != nil || len(addrs) == 0 {
				return l, d.Errorf("host not found in %q of the %q directive", a, d.Name)
			}
			host = addrs[0]
		}
		l.Addr = net.JoinHostPort(host, port)
	}
	for _, opt := range d.Args[1:] {
		switch {
		case opt == "default_server" || opt == "default":
			l.DefaultServer = true
		case opt == "ssl" || opt == "http2" || opt == "quic" || opt == "proxy_protocol":
			return l, d.Errorf("the %q parameter of %q is not supported yet", opt, d.Name)
		case opt == "bind" || opt == "reuseport" || opt == "deferred" || strings.Contains(opt, "="):
		default:
			return l, d.Errorf("invalid parameter %q", opt)
		}
	}
	return l, nil
}

// checkListens refuses two default servers on one address.
func checkListens(servers []*Server) error {
	def := map[string]*Server{}
	for _, s := range servers {
		for _, l := range s.Listen {
			if !l.DefaultServer {
				continue
			}
			key := l.Network + " " + l.Addr
			if def[key] != nil && def[key] != s {
				return &Error{File: s.File, Line: s.Line, Msg: "a duplicate default server for " + l.Addr}
			}
			def[key] = s
		}
	}
	return nil
}

// serverNames are a server's names sorted by how nginx tries them.
type serverNames struct {
	exact []string
	head  []string // "*.example.com" kept as ".example.com"
	tail  []string // "www.example.*" kept as "www.example."
	re    []*capRegex
}

func (sn *serverNames) add(d *Directive, name string) error {
	name = strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "~"):
		re, err := compileRegex(name[1:], false)
		if err != nil {
			return d.Errorf("pcre_compile() failed in %q: %v", name[1:], err)
		}
		sn.re = append(sn.re, re)
	case strings.HasPrefix(name, "*."):
		sn.head = append(sn.head, name[1:])
	case strings.HasPrefix(name, "."):
		sn.exact = append(sn.exact, name[1:])
		sn.head = append(sn.head, name)
	case strings.HasSuffix(name, ".*"):
		sn.tail = append(sn.tail, name[:len(name)-1])
	case strings.Contains(name, "*"):
		return d.Errorf("invalid server name or wildcard %q", name)
	default:
		sn.exact = append(sn.exact, name)
	}
	return nil
}

// vhosts are the servers of one listening address.
type vhosts struct {
	servers []*Server
	def     *Server
}

// pick returns the server for host, with nginx's order: exact name, longest "*." wildcard,
// longest ".*" wildcard, first regex, default server.
func (v *vhosts) pick(host string) *Server {
	for _, s := range v.servers {
		for _, n := range s.names.exact {
			if n == host {
				return s
			}
		}
	}
	if s := v.longest(host, func(sn *serverNames) []string { return sn.head }, strings.HasSuffix); s != nil {
		return s
	}
	if s := v.longest(host, func(sn *serverNames) []string { return sn.tail }, strings.HasPrefix); s != nil {
		return s
	}
	for _, s := range v.servers {
		for _, re := range s.names.re {
			if _, ok := re.match(host); ok {
				return s
			}
		}
	}
	return v.def
}

func (v *vhosts) longest(host string, list func(*serverNames) []string, fits func(s, w string) bool) *Server {
	var best *Server
	n := 0
	for _, s := range v.servers {
		for _, w := range list(&s.names) {
			if len(w) > n && len(host) > len(w) && fits(host, w) {
				best, n = s, len(w)
			}
		}
	}
	return best
}

// dispatcher picks the server of a request by the address it came to and its Host.
type dispatcher struct {
	byAddr map[string]*vhosts // "network addr" of each listen
	all    *vhosts            // requests on addresses no listen names (tests)
}

// Handler returns the http.Handler that serves every server of the configuration: it picks
// the server as nginx does, by the address the connection came to (an exact address first,
// then the wildcard of its port) and then by Host among that address's servers (exact name,
// longest "*.example.com", longest "www.example.*", first regex, else the default_server or
// the first server listening there). Connections on addresses no listen names (httptest
// servers) choose among all servers.
func (c *Config) Handler() http.Handler {
	d := &dispatcher{byAddr: map[string]*vhosts{}, all: &vhosts{}}
	for _, s := range c.Servers {
		d.all.servers = append(d.all.servers, s)
		for _, l := range s.Listen {
			key := l.Network + " " + l.Addr
			v := d.byAddr[key]
			if v == nil {
				v = &vhosts{}
				d.byAddr[key] = v
			}
			v.servers = append(v.servers, s)
			if v.def == nil || l.DefaultServer && !v.defExplicit(l) {
				v.def = s
			}
		}
	}
	d.all.def = c.Servers[0]
	for _, s := range c.Servers {
		for _, l := range s.Listen {
			if l.DefaultServer {
				d.all.def = s
				return d
			}
		}
	}
	return d
}

// defExplicit reports whether the address's default is already an explicit default_server.
func (v *vhosts) defExplicit(l Listen) bool {
	for _, ls := range v.def.Listen {
		if ls.Network == l.Network && ls.Addr == l.Addr && ls.DefaultServer {
			return true
		}
	}
	return false
}

func (d *dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.group(r).pick(requestHost(r)).Handler.ServeHTTP(w, r)
}

func (d *dispatcher) group(r *http.Request) *vhosts {
	a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return d.all
	}
	if a.Network() == "unix" {
		if v := d.byAddr["unix "+a.String()]; v != nil {
			return v
		}
		return d.all
	}
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return d.all
	}
	if v := d.byAddr["tcp "+net.JoinHostPort(host, port)]; v != nil {
		return v
	}
	wild := "tcp :" + port
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		if v := d.byAddr["tcp [::]:"+port]; v != nil {
			return v
		}
	}
	if v := d.byAddr[wild]; v != nil {
		return v
	}
	return d.all
}

// requestHost is the Host nginx matches server names with: lower case, without port or a
// trailing dot.
func requestHost(r *http.Request) string {
	h := r.Host
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// Addresses returns the distinct addresses to listen on. As nginx binds them, an address on a
// port that also has the wildcard address (listen 80) is served by the wildcard's socket.
func (c *Config) Addresses() []Listen {
	seen := map[string]bool{}
	wildPorts := map[string]bool{}
	for _, s := range c.Servers {
		for _, l := range s.Listen {
			if h, p, _ := net.SplitHostPort(l.Addr); l.Network == "tcp" && h == "" {
				wildPorts[p] = true
			}
		}
	}
	var out []Listen
	for _, s := range c.Servers {
		for _, l := range s.Listen {
			h, p, _ := net.SplitHostPort(l.Addr)
			if l.Network == "tcp" && h != "" && wildPorts[p] && net.ParseIP(h).To4() != nil {
				continue
			}
			key := l.Network + " " + l.Addr
			if !seen[key] {
				seen[key] = true
				out = append(out, Listen{Network: l.Network, Addr: l.Addr})
			}
		}
	}
	return out
}
