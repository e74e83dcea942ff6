package upstream

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoundRobinOrder(t *testing.T) {
	for _, tc := range []struct {
		name    string
		weights []int
		want    string
	}{
		{"5,1,1", []int{5, 1, 1}, "aabacaa" + "aabacaa"},
		{"equal", []int{1, 1, 1}, "abcabc"},
		{"2,1", []int{2, 1}, "aba" + "aba"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var servers []Server
			for i, w := range tc.weights {
				servers = append(servers, Server{Addr: string(rune('a'+i)) + ":1", Weight: w})
			}
			g, err := NewGroup("rr", servers)
			require.NoError(t, err)
			defer g.Close()
			var got strings.Builder
			for range len(tc.want) {
				tr := g.newTries(0, "")
				m := g.pick(tr, time.Now())
				g.free(m, tr, false, time.Now())
				got.WriteByte(m.addr[0])
			}
			assert.Equal(t, tc.want, got.String())
		})
	}
}

func TestMaxFailsAndFailTimeout(t *testing.T) {
	g, err := NewGroup("mf", []Server{{Addr: "a:1", MaxFails: 2, FailTimeout: 10 * time.Second}, {Addr: "b:1"},
		{Addr: "c:1", MaxFails: NoMaxFails}})
	require.NoError(t, err)
	defer g.Close()
	now := time.Unix(1000, 0)
	a, c := g.tiers[0][0], g.tiers[0][2]
	fail := func(m *member) { g.free(m, g.newTries(0, ""), true, now) }
	picks := func() string {
		var s strings.Builder
		for range 6 {
			tr := g.newTries(0, "")
			m := g.pick(tr, now)
			g.free(m, tr, false, now)
			s.WriteByte(m.addr[0])
		}
		return s.String()
	}
	fail(a)
	assert.Contains(t, picks(), "a", "one failure of max_fails=2")
	fail(a)
	fail(a)
	assert.NotContains(t, picks(), "a", "max_fails reached within fail_timeout")
	for range 5 {
		fail(c)
	}
	assert.Contains(t, picks(), "c", "max_fails=0 counts no failure")
	now = now.Add(11 * time.Second)
	assert.Contains(t, picks(), "a", "fail_timeout passed")
	assert.Equal(t, 0, a.fails, "a success after fail_timeout makes the server live")
}

func TestNewGroupErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		servers []Server
		want    string
	}{
		{"no servers", nil, `no servers in upstream "g"`},
		{"all backup", []Server{{Addr: "a:1", Backup: true}}, `no servers in upstream "g"`},
		{"bad addr", []Server{{Addr: "a:b:c"}}, `server 1 ("a:b:c"): invalid address`},
		{"bad port", []Server{{Addr: "a:1"}, {Addr: "a:99999"}}, `server 2 ("a:99999"): invalid port`},
		{"empty addr", []Server{{Addr: ""}}, `invalid address`},
		{"weight", []Server{{Addr: "a", Weight: -1}}, `invalid weight -1`},
		{"max_fails", []Server{{Addr: "a", MaxFails: -2}}, `invalid max_fails -2`},
		{"fail_timeout", []Server{{Addr: "a", FailTimeout: -time.Second}}, `invalid fail_timeout -1s`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewGroup("g", tc.servers)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	g, err := NewGroup("g", []Server{{Addr: "example.com"}, {Addr: "[::1]"}, {Addr: "unix:/tmp/s"}})
	require.NoError(t, err)
	defer g.Close()
	assert.Equal(t, []string{"example.com:80", "[::1]:80", "/tmp/s"},
		[]string{g.tiers[0][0].addr, g.tiers[0][1].addr, g.tiers[0][2].addr})
	assert.Equal(t, "unix", g.tiers[0][2].network)
}
