package upstream

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// balanceGroup is the upstream block of the oracle case px_balance: servers 127.0.0.1:1 to :4
// with weights 1, 2, 1, 3.
func balanceGroup(t *testing.T, b Balance) *Group {
	t.Helper()
	var servers []Server
	for i, w := range []int{1, 2, 1, 3} {
		servers = append(servers, Server{Addr: fmt.Sprintf("127.0.0.1:%d", i+1), Weight: w, MaxFails: NoMaxFails})
	}
	g, err := NewGroup("b", servers)
	require.NoError(t, err)
	g.Balance = b
	t.Cleanup(g.Close)
	return g
}

// picks returns the port of the server each key picks, one request after the other.
func picks(g *Group, keys []string) string {
	var out []string
	for _, k := range keys {
		tr := g.newTries(0, k)
		m := g.pick(tr, time.Now())
		g.free(m, tr, false, time.Now())
		out = append(out, strings.TrimPrefix(m.addr, "127.0.0.1:"))
	}
	return strings.Join(out, " ")
}

// TestBalanceLikeNginx pins each method's choices for keys key1..key12 to what nginx 1.22
// chose (the oracle case px_balance).
func TestBalanceLikeNginx(t *testing.T) {
	var keys []string
	for i := 1; i <= 12; i++ {
		keys = append(keys, fmt.Sprint("key", i))
	}
	ip := make([]string, 12)
	for i := range ip {
		ip[i] = "127.0.0.1"
	}
	for _, tc := range []struct {
		name string
		b    Balance
		keys []string
		want string
	}{
		{"round robin", BalanceRoundRobin, keys, "4 2 1 4 3 2 4 4 2 1 4 3"},
		{"least_conn", BalanceLeastConn, keys, "4 2 1 4 3 2 4 4 2 1 4 3"},
		{"ip_hash", BalanceIPHash, ip, "2 2 2 2 2 2 2 2 2 2 2 2"},
		{"hash", BalanceHash, keys, "2 3 3 2 4 4 3 4 4 1 4 3"},
		{"hash consistent", BalanceConsistentHash, keys, "4 4 2 4 4 4 4 4 3 2 3 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, picks(balanceGroup(t, tc.b), tc.keys))
		})
	}
}

func TestLeastConnPrefersIdleServers(t *testing.T) {
	g := balanceGroup(t, BalanceLeastConn)
	now := time.Now()
	var held []*member
	for range 7 { // as many tries in flight as the weights add up to
		held = append(held, g.pick(g.newTries(0, ""), now))
	}
	count := map[string]int{}
	for _, m := range held {
		count[m.addr]++
	}
	assert.Equal(t, map[string]int{"127.0.0.1:1": 1, "127.0.0.1:2": 2, "127.0.0.1:3": 1, "127.0.0.1:4": 3}, count,
		"connections in proportion to the weights")
	tr := g.newTries(0, "")
	g.free(held[0], tr, false, now) // one finishes: its server is now the least busy
	next := g.pick(g.newTries(0, ""), now)
	assert.Equal(t, held[0].addr, next.addr)
}

func TestHashFallsBackAndMovesOn(t *testing.T) {
	g := balanceGroup(t, BalanceHash)
	now := time.Now()
	// An empty key is round robin's.
	assert.Equal(t, "4 2 1", picks(g, []string{"", "", ""}))
	// A failed try goes on to another server, never the same one twice.
	tr := g.newTries(0, "key1")
	seen := map[string]bool{}
	for range 4 {
		m := g.pick(tr, now)
		require.NotNil(t, m)
		assert.False(t, seen[m.addr], "tried twice: %s", m.addr)
		seen[m.addr] = true
		g.free(m, tr, true, now)
	}
	assert.Nil(t, g.pick(tr, now), "every server tried")

	ip := balanceGroup(t, BalanceIPHash)
	a := picks(ip, []string{"10.1.2.3", "10.1.2.200", "::1"})
	assert.Equal(t, strings.Fields(a)[0], strings.Fields(a)[1], "ip_hash hashes the first three bytes of IPv4")
	assert.Equal(t, "4 2", picks(ip, []string{"not-an-ip", "not-an-ip"})[:3], "not an address: round robin")
}

func TestKetamaPoints(t *testing.T) {
	g := balanceGroup(t, BalanceConsistentHash)
	points := ketamaPoints(g.tiers[0])
	assert.Len(t, points, (1+2+1+3)*160) // no equal hashes here
	for i := 1; i < len(points); i++ {
		require.Less(t, points[i-1].hash, points[i].hash)
	}
	for _, tc := range [][3]string{{"127.0.0.1:80", "127.0.0.1", "80"}, {"backend", "backend", ""},
		{"[::1]:8080", "[::1]", "8080"}, {"unix:/tmp/s", "/tmp/s", ""}} {
		host, port := chashHostPort(tc[0])
		assert.Equal(t, [2]string{tc[1], tc[2]}, [2]string{host, port}, tc[0])
	}
}
