package servertest

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fatalRecorder is a testing.TB whose Fatal records the message and ends the goroutine, so
// that a test can check how a start fails.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Fatal(args ...any) {
	f.msg = args[0].(string)
	runtime.Goexit()
}

// failure runs start with a fatalRecorder and returns the message it failed with ("" if it
// did not fail).
func failure(t *testing.T, start func(t testing.TB)) string {
	f := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		start(f)
	}()
	<-done
	return f.msg
}

func TestStartNginx(t *testing.T) {
	prefix := t.TempDir()
	addr := FreeAddr(t)
	StartNginx(t, prefix, LoadModules+`daemon off; master_process off;
events {}
http { server { listen `+addr+`; location / { content_by_lua_block { ngx.log(ngx.ERR, "seen") ngx.say("hi") } } } }
`, Get("http://"+addr+"/"))
	resp, err := http.Get("http://" + addr + "/x")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "hi\n", string(body))
	log, err := os.ReadFile(filepath.Join(prefix, "logs", "error.log"))
	require.NoError(t, err)
	assert.Contains(t, string(log), "seen")
}

func TestStartNginxFailsWithItsError(t *testing.T) {
	Nginx(t)
	msg := failure(t, func(tb testing.TB) {
		StartNginx(tb, t.TempDir(), "daemon off; master_process off; events {} http { bogus; }\n",
			func() error { return os.ErrNotExist })
	})
	assert.Contains(t, msg, "nginx exited")
	assert.Contains(t, msg, `unknown directive "bogus"`)

	defer func(d time.Duration) { startTimeout = d }(startTimeout)
	startTimeout = 200 * time.Millisecond
	msg = failure(t, func(tb testing.TB) {
		StartNginx(tb, t.TempDir(), "daemon off; master_process off; events {} http {}\n",
			func() error { return os.ErrNotExist })
	})
	assert.Contains(t, msg, "nginx is not ready after 200ms (file does not exist)")
}

func TestStartRedis(t *testing.T) {
	addr := StartRedis(t, "--maxmemory", "1mb")
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	got, err := c.ConfigGet(context.Background(), "maxmemory").Result()
	require.NoError(t, err)
	assert.Equal(t, "1048576", got["maxmemory"])
	assert.Contains(t, failure(t, func(tb testing.TB) { StartRedis(tb, "--no-such-option") }),
		"redis-server exited")
}
