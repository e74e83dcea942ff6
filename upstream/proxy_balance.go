package upstream

import (
	"encoding/binary"
	"hash/crc32"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Balance is an upstream block's balancing method.
type Balance uint8

// The balancing methods of nginx's upstream modules.
const (
	// BalanceRoundRobin is nginx's default, smooth weighted round robin.
	BalanceRoundRobin Balance = iota
	// BalanceLeastConn (least_conn) picks the server with the fewest tries in progress for its
	// weight, ties broken by weighted round robin.
	BalanceLeastConn
	// BalanceIPHash (ip_hash) picks by the first three bytes of the client's IPv4 address (the whole
	// IPv6 address), given as Outgoing.Key.
	BalanceIPHash
	// BalanceHash (hash $key) picks by the CRC32 of Outgoing.Key, as Cache::Memcached does.
	BalanceHash
	// BalanceConsistentHash (hash $key consistent) picks on ketama's continuum: 160 points per
	// weight unit per server, so that adding or removing a server moves few keys.
	BalanceConsistentHash
)

// maxHashTries is how many servers a hashing method looks at before it falls back to round
// robin, as nginx's 20.
const maxHashTries = 20

// hashing is a request's state in a hashing method.
type hashing struct {
	key    string
	hash   uint32 // ip_hash's and hash's running value; the continuum index for consistent
	rehash int    // hash: the iteration, prefixed to the key from the second on
	tries  int
	begun  bool
}

// ketamaPoint is a point of ConsistentHash's continuum.
type ketamaPoint struct {
	hash   uint32
	server string
}

// choose picks a server of tier by the group's method; nil when none is available.
func (g *Group) choose(tier []*member, t *tries, now time.Time) *member {
	switch g.Balance {
	case BalanceLeastConn:
		return g.leastConn(tier, t, now)
	case BalanceIPHash, BalanceHash, BalanceConsistentHash:
		if t.tier == 0 && t.hashing.tries <= maxHashTries && (g.Balance == BalanceIPHash || t.key != "") {
			var p *member
			switch g.Balance {
			case BalanceIPHash:
				p = g.ipHash(tier, t, now)
			case BalanceHash:
				p = g.hashPeer(tier, t, now)
			default:
				p = g.chashPeer(tier, t, now)
			}
			if p != nil || t.hashing.tries <= maxHashTries {
				return p
			}
		}
	}
	return g.best(tier, t, now, "")
}

// leastConn is ngx_http_upstream_get_least_conn_peer.
func (g *Group) leastConn(tier []*member, t *tries, now time.Time) *member {
	var best *member
	bi, many := 0, false
	for i, p := range tier {
		if !t.usable(i, p, now) {
			continue
		}
		switch {
		case best == nil || p.conns*best.weight < best.conns*p.weight:
			best, bi, many = p, i, false
		case p.conns*best.weight == best.conns*p.weight:
			many = true
		}
	}
	if best == nil {
		return nil
	}
	if many {
		total := 0
		for i := bi; i < len(tier); i++ {
			p := tier[i]
			if !t.usable(i, p, now) || p.conns*best.weight != best.conns*p.weight {
				continue
			}
			p.current += p.effective
			total += p.effective
			if p.effective < p.weight {
				p.effective++
			}
			if p.current > best.current {
				best, bi = p, i
			}
		}
		best.current -= total
	}
	if now.Sub(best.checked) > best.failTimeout {
		best.checked = now
	}
	t.mark(bi)
	return best
}

// byWeight returns the server of tier that w falls on when each takes weight slots, and its
// index, as nginx walks its peers.
func byWeight(tier []*member, w uint32) (*member, int) {
	for i, p := range tier {
		if w < uint32(p.weight) {
			return p, i
		}
		w -= uint32(p.weight)
	}
	return tier[len(tier)-1], len(tier) - 1
}

func totalWeight(tier []*member) uint32 {
	var n uint32
	for _, p := range tier {
		n += uint32(p.weight)
	}
	return n
}

// ipHash is ngx_http_upstream_get_ip_hash_peer: the hash goes on from try to try.
func (g *Group) ipHash(tier []*member, t *tries, now time.Time) *member {
	addr := ipHashBytes(t.key)
	if addr == nil {
		t.hashing.tries = maxHashTries + 1 // not an IP address: round robin
		return nil
	}
	if !t.begun {
		t.hash, t.begun = 89, true
	}
	return g.hashed(tier, t, now, func() {
		for _, b := range addr {
			t.hash = (t.hash*113 + uint32(b)) % 6271
		}
	})
}

// ipHashBytes returns the bytes ip_hash hashes: three of an IPv4 address, sixteen of an
// IPv6 one; nil when key is not an address.
func ipHashBytes(key string) []byte {
	ip := net.ParseIP(key)
	if ip == nil {
		return nil
	}
	if v4 := ip.To4(); v4 != nil {
		return v4[:3]
	}
	return ip.To16()
}

// hashPeer is ngx_http_upstream_get_hash_peer: ((crc32([REHASH] KEY) >> 16) & 0x7fff) added
// to the previous value, Cache::Memcached's formula.
func (g *Group) hashPeer(tier []*member, t *tries, now time.Time) *member {
	var num [20]byte
	return g.hashed(tier, t, now, func() {
		var c uint32
		if t.rehash > 0 {
			c = crc32.Update(0, crc32.IEEETable, strconv.AppendInt(num[:0], int64(t.rehash), 10))
		}
		c = crc32.Update(c, crc32.IEEETable, []byte(t.key))
		t.hash += (c >> 16) & 0x7fff
		t.rehash++
	})
}

// hashed is the loop ip_hash and hash share: next moves t.hash on, and the server its value
// falls on by weight is taken when usable; after maxHashTries it gives up (round robin's turn).
func (g *Group) hashed(tier []*member, t *tries, now time.Time, next func()) *member {
	total := totalWeight(tier)
	for {
		next()
		p, i := byWeight(tier, t.hash%total)
		if t.usable(i, p, now) {
			if now.Sub(p.checked) > p.failTimeout {
				p.checked = now
			}
			t.mark(i)
			return p
		}
		if t.hashing.tries++; t.hashing.tries > maxHashTries {
			return nil
		}
	}
}

// chashPeer is ngx_http_upstream_get_chash_peer: from the key's point on the continuum, the
// first point whose server has a usable peer; among a server's peers, weighted round robin.
func (g *Group) chashPeer(tier []*member, t *tries, now time.Time) *member {
	if g.points == nil {
		g.points = ketamaPoints(tier)
	}
	if !t.begun {
		h := crc32.ChecksumIEEE([]byte(t.key))
		i, _ := slices.BinarySearchFunc(g.points, h, func(p ketamaPoint, h uint32) int {
			switch {
			case p.hash < h:
				return -1
			case p.hash > h:
				return 1
			}
			return 0
		})
		t.hash, t.begun = uint32(i), true
	}
	for {
		if p := g.best(tier, t, now, g.points[int(t.hash)%len(g.points)].server); p != nil {
			return p
		}
		t.hash++
		if t.hashing.tries++; t.hashing.tries > maxHashTries {
			return nil
		}
	}
}

// ketamaPoints is ngx_http_upstream_init_chash: weight×160 points per server, each the CRC32
// of "host\0port" and the previous point (little-endian), sorted, equal hashes once.
func ketamaPoints(tier []*member) []ketamaPoint {
	var points []ketamaPoint
	for _, p := range tier {
		host, port := chashHostPort(p.server)
		base := append(append([]byte(host), 0), port...)
		var prev uint32
		buf := make([]byte, len(base)+4)
		copy(buf, base)
		for range p.weight * 160 {
			binary.LittleEndian.PutUint32(buf[len(base):], prev)
			prev = crc32.ChecksumIEEE(buf)
			points = append(points, ketamaPoint{hash: prev, server: p.server})
		}
	}
	slices.SortStableFunc(points, func(a, b ketamaPoint) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		}
		return 0
	})
	return slices.CompactFunc(points, func(a, b ketamaPoint) bool { return a.hash == b.hash })
}

// chashHostPort splits a server's address as nginx does for its points: the digits after the
// last ":" are the port; a unix: address is all host.
func chashHostPort(server string) (host, port string) {
	if len(server) >= 5 && strings.EqualFold(server[:5], "unix:") {
		return server[5:], ""
	}
	for j := len(server) - 1; j >= 0; j-- {
		c := server[j]
		if c == ':' {
			return server[:j], server[j+1:]
		}
		if c < '0' || c > '9' {
			break
		}
	}
	return server, ""
}
