package oracletest

import (
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from live nginx")

// TestOracle runs every case of testdata/*.cases on goresty and compares the result with live
// nginx when it is installed, else with the golden recording of nginx.
func TestOracle(t *testing.T) {
	pattern := "testdata/*.cases"
	if p := os.Getenv("ORACLETEST_CASES"); p != "" {
		pattern = p // explore: ORACLETEST_CASES=/tmp/x.cases go test -run TestOracle -update
	}
	cases, err := LoadCases(pattern)
	require.NoError(t, err)
	setup := Setup{LuaDir: "testdata/lua", RedisAddr: redisFor(t, cases)}
	var live *Nginx
	switch {
	case servertest.HaveNginx() && os.Getenv("ORACLETEST_NO_NGINX") == "":
		live = StartNginx(t, cases, setup)
	case *update:
		t.Skip("-update needs nginx: " + servertest.NginxHint)
	default:
		t.Log("nginx not found, comparing with the golden recordings only: " + servertest.NginxHint)
	}
	g := StartGoresty(t, cases, setup)
	byFile := map[string][]*Case{}
	var files []string
	for _, c := range cases {
		if byFile[c.File] == nil {
			files = append(files, c.File)
		}
		byFile[c.File] = append(byFile[c.File], c)
	}
	for _, f := range files {
		golden := strings.TrimSuffix(f, ".cases") + ".golden"
		goldens, err := ReadGoldens(golden)
		require.NoError(t, err)
		recorded := map[string]*Result{}
		for _, c := range byFile[f] {
			t.Run(c.Name, func(t *testing.T) {
				want := goldens[c.Name]
				if live != nil {
					got, err := live.Run(c)
					require.NoError(t, err, "nginx")
					recorded[c.Name] = got
					if d := diffOrMissing(want, got); d != "" && !*update {
						t.Logf("nginx differs from %s (another nginx version? go test -update rewrites it):\n%s", golden, d)
					}
					want = got
				}
				if want == nil {
					t.Fatalf("no recording of %s in %s: run go test -update with nginx installed", c.Name, golden)
				}
				// ORACLETEST_RUN_SKIPPED=1 compares the skipped cases too, to see which pass now.
				if c.Skip != "" && os.Getenv("ORACLETEST_RUN_SKIPPED") == "" {
					t.Skip(c.Skip)
				}
				got, err := g.Run(c)
				require.NoError(t, err, "goresty")
				if d := Diff(want, got); d != "" {
					t.Errorf("goresty differs from nginx, %s %s (%s:%d):\n%s", c.Method, c.Target, c.File, c.Line, d)
				}
			})
		}
		if *update {
			require.NoError(t, WriteGoldens(golden, byFile[f], recorded))
		}
	}
}

func diffOrMissing(want, got *Result) string {
	if want == nil {
		return "(not recorded)"
	}
	return Diff(want, got)
}

// redisModule is Debian's lua-resty-redis (package lua-nginx-redis), which the cases that
// talk to redis-server require as "nginx.redis".
const redisModule = "/usr/share/lua/5.1/nginx/redis.lua"

// redisFor starts a redis-server when a case names its port (@REDIS_PORT@) and returns its
// address; without redis-server or lua-nginx-redis those cases are skipped, saying what to
// install.
func redisFor(t *testing.T, cases []*Case) string {
	var uses []*Case
	for _, c := range cases {
		if strings.Contains(c.Config+c.HTTPConfig, "@REDIS_PORT@") {
			uses = append(uses, c)
		}
	}
	if len(uses) == 0 {
		return ""
	}
	_, errBin := exec.LookPath("redis-server")
	_, errMod := os.Stat(redisModule)
	if errBin != nil || errMod != nil {
		for _, c := range uses {
			c.Skip = "needs redis-server and lua-resty-redis: apt-get install redis-server lua-nginx-redis"
		}
		return ""
	}
	return servertest.StartRedis(t)
}
