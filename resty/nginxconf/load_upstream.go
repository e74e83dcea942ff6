package nginxconf

import (
	"strconv"
	"strings"
	"time"

	"github.com/goresty/goresty/cache"
	"github.com/goresty/goresty/upstream"
)

// upstreamBlock reads an upstream block into a Group of package upstream.
func (ld *loader) upstreamBlock(d *Directive) error {
	name := d.Args[0]
	if _, dup := ld.groups[name]; dup {
		return d.Errorf("duplicate upstream %q", name)
	}
	var servers []upstream.Server
	keepalive, kaTimeout, kaRequests := 0, time.Duration(0), 0
	balance, key := upstream.BalanceRoundRobin, (*tmpl)(nil)
	for _, c := range d.Block {
		switch c.Name {
		case "server":
			s, err := upstreamServer(c)
			if err != nil {
				return err
			}
			if s.Backup && balance >= upstream.BalanceIPHash {
				return c.Errorf("balancing method does not support parameter \"backup\"")
			}
			servers = append(servers, s)
		case "keepalive", "keepalive_requests":
			if len(c.Args) != 1 || c.Block != nil {
				return c.Errorf("invalid number of arguments in %q directive", c.Name)
			}
			n, err := strconv.Atoi(c.Args[0])
			if err != nil || n <= 0 {
				return c.Errorf("invalid value %q in %q directive", c.Args[0], c.Name)
			}
			if c.Name == "keepalive" {
				keepalive = n
			} else {
				kaRequests = n
			}
		case "keepalive_timeout":
			if len(c.Args) != 1 || c.Block != nil {
				return c.Errorf("invalid number of arguments in %q directive", c.Name)
			}
			t, err := parseTime(c, c.Args[0])
			if err != nil {
				return err
			}
			kaTimeout = t
		case "least_conn", "ip_hash":
			if len(c.Args) != 0 || c.Block != nil {
				return c.Errorf("invalid number of arguments in %q directive", c.Name)
			}
			balance = map[string]upstream.Balance{"least_conn": upstream.BalanceLeastConn,
				"ip_hash": upstream.BalanceIPHash}[c.Name]
			key = nil
			if c.Name == "ip_hash" {
				key, _ = ld.compile(c, "$remote_addr", nil)
			}
		case "hash":
			if len(c.Args) < 1 || len(c.Args) > 2 || c.Block != nil {
				return c.Errorf("invalid number of arguments in %q directive", c.Name)
			}
			balance = upstream.BalanceHash
			if len(c.Args) == 2 {
				if c.Args[1] != "consistent" {
					return c.Errorf("invalid parameter %q", c.Args[1])
				}
				balance = upstream.BalanceConsistentHash
			}
			var err error
			if key, err = ld.compile(c, c.Args[0], nil); err != nil {
				return err
			}
		case "random", "zone", "ntlm", "sticky", "resolver",
			"resolver_timeout", "keepalive_time", "queue", "balancer_by_lua_block", "balancer_by_lua_file":
			return c.Errorf("%q directive is not supported yet", c.Name)
		default:
			return c.Errorf("unknown directive %q", c.Name)
		}
	}
	if len(servers) == 0 {
		return d.Errorf("no servers are inside upstream")
	}
	g, err := upstream.NewGroup(name, servers)
	if err != nil {
		return d.Errorf("%v", err)
	}
	g.Keepalive, g.KeepaliveTimeout, g.KeepaliveRequests = keepalive, kaTimeout, kaRequests
	g.Balance = balance
	if key != nil {
		ld.dyn.keys[g] = key
	}
	ld.groups[name] = g
	ld.cfg.groups = append(ld.cfg.groups, g)
	return nil
}

// upstreamServer reads "server address [weight=N] [max_fails=N] [fail_timeout=T] [backup]
// [down]" inside an upstream block.
func upstreamServer(d *Directive) (upstream.Server, error) {
	if len(d.Args) == 0 || d.Block != nil {
		return upstream.Server{}, d.Errorf("invalid number of arguments in %q directive", d.Name)
	}
	s := upstream.Server{Addr: d.Args[0]}
	if strings.HasPrefix(s.Addr, "unix:") {
		return s, d.Errorf("unix: servers are not supported yet")
	}
	for _, a := range d.Args[1:] {
		name, val, _ := strings.Cut(a, "=")
		var err error
		switch name {
		case "weight", "max_fails":
			var n int
			n, err = strconv.Atoi(val)
			switch {
			case err != nil || n < 0 || name == "weight" && n == 0:
				err = d.Errorf("invalid parameter %q", a)
			case name == "weight":
				s.Weight = n
			case n == 0:
				s.MaxFails = upstream.NoMaxFails
			default:
				s.MaxFails = n
			}
		case "fail_timeout":
			s.FailTimeout, err = parseTime(d, val)
			if err != nil {
				err = d.Errorf("invalid parameter %q", a)
			}
		case "backup":
			s.Backup = val == "" || a == "backup"
		case "down":
			s.Down = true
		case "max_conns", "resolve", "service", "slow_start", "route", "drain":
			err = d.Errorf("server parameter %q is not supported yet", name)
		default:
			err = d.Errorf("invalid parameter %q", a)
		}
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// cachePath reads "proxy_cache_path path keys_zone=name:size [max_size=size]
// [inactive=time] ...": the zone becomes a cache.Responses held in memory; the path and the
// parameters about files (levels, use_temp_path, manager_*, loader_*, min_free) mean nothing
// here and are checked for form only.
func (ld *loader) cachePath(d *Directive) error {
	var name string
	var o cache.ResponsesOptions
	for _, a := range d.Args[1:] {
		key, val, _ := strings.Cut(a, "=")
		var err error
		switch key {
		case "keys_zone":
			zone, size, ok := strings.Cut(val, ":")
			if !ok || zone == "" {
				return d.Errorf("invalid keys zone size %q", a)
			}
			if _, err = parseSize(&Directive{Name: d.Name, Args: []string{size}, File: d.File, Line: d.Line}); err != nil {
				return d.Errorf("invalid keys zone size %q", a)
			}
			name = zone
		case "max_size":
			o.MaxSize, err = parseSize(&Directive{Name: d.Name, Args: []string{val}, File: d.File, Line: d.Line})
			if err != nil || o.MaxSize == 0 {
				return d.Errorf("invalid max_size value %q", a)
			}
		case "inactive":
			o.Inactive, err = parseTime(d, val)
			if err != nil || o.Inactive == 0 {
				return d.Errorf("invalid inactive value %q", a)
			}
		case "levels", "use_temp_path", "manager_files", "manager_sleep", "manager_threshold",
			"loader_files", "loader_sleep", "loader_threshold", "min_free", "purger", "purger_files",
			"purger_sleep", "purger_threshold":
		default:
			return d.Errorf("invalid parameter %q", a)
		}
	}
	if name == "" {
		return d.Errorf("%q must have \"keys_zone\" parameter", d.Name)
	}
	if _, dup := ld.caches[name]; dup {
		return d.Errorf("duplicate zone %q", name)
	}
	rc, err := cache.NewResponses(o)
	if err != nil {
		return d.Errorf("%v", err)
	}
	ld.caches[name] = rc
	ld.cfg.caches = append(ld.cfg.caches, rc)
	return nil
}
