package limit

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientIP returns the address of the client that sent r, the middleware's default key. It is
// the host of r.RemoteAddr, unless that peer is in one of the trusted proxy networks: then it is
// the rightmost address of X-Forwarded-For that is not trusted (the leftmost when all are), or,
// without X-Forwarded-For, X-Real-IP. Headers from untrusted peers are ignored, so a client
// cannot choose its own key. IPv4-mapped IPv6 addresses are reported as IPv4.
func ClientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for hop := range strings.SplitSeq(v, ",") {
			if hop = strings.TrimSpace(hop); hop != "" {
				hops = append(hops, hop)
			}
		}
	}
	if len(hops) > 0 {
		for i := len(hops) - 1; i >= 0; i-- {
			hop := hops[i]
			addr, err := netip.ParseAddr(hop)
			if err != nil {
				return hop
			}
			if addr = addr.Unmap(); !isTrusted(addr, trusted) || i == 0 {
				return addr.String()
			}
		}
	}
	if real, err := netip.ParseAddr(strings.TrimSpace(r.Header.Get("X-Real-IP"))); err == nil {
		return real.Unmap().String()
	}
	return peer.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
