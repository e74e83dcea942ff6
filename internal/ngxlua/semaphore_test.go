package ngxlua_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// semaphoreHandler serves /wait (S:wait(2)), /post (S:post()) and /count on the semaphore S
// that init_by_lua made, in one VM, as one nginx worker.
func semaphoreHandler(t *testing.T, logs *logBuffer) *resty.Handler {
	loc := func(path, src string) resty.Location {
		return resty.Location{Match: "= " + path, Hooks: []resty.Hook{content(src)}}
	}
	return restytest.NewHandler(t, resty.Config{
		Logger: slog.New(logs),
		Lua:    resty.LuaConfig{Workers: 1},
		Hooks:  []resty.Hook{resty.LuaHook(ngx.PhaseInit, `S = require("ngx.semaphore").new(0)`)},
		Locations: []resty.Location{
			loc("/wait", `local ok, err = S:wait(2) ngx.say(ok, " ", err, " ", S:count())`),
			loc("/post", `ngx.say(S:post(), " ", S:count())`),
			loc("/count", `ngx.say(S:count())`),
		},
	})
}

// waiting waits until the semaphore has n waiters.
func waiting(t *testing.T, h *resty.Handler, n string) {
	t.Helper()
	require.Eventually(t, func() bool {
		return restytest.Body(restytest.Get(h, "/count")) == n+"\n"
	}, 5*time.Second, time.Millisecond)
}

// A request waits on a semaphore while other requests run on its VM; a post wakes it.
func TestSemaphoreAcrossRequests(t *testing.T) {
	h := semaphoreHandler(t, &logBuffer{})
	done := make(chan string)
	go func() { done <- restytest.Body(restytest.Get(h, "/wait")) }()
	waiting(t, h, "-1")
	assert.Equal(t, "true 0\n", restytest.Body(restytest.Get(h, "/post")))
	assert.Equal(t, "true nil 0\n", <-done)
}

// A waiter whose client goes away leaves the queue (nginx's 499), and a resource posted to it as
// it went is given back.
func TestSemaphoreWaitClientGone(t *testing.T) {
	logs := &logBuffer{}
	h := semaphoreHandler(t, logs)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		restytest.Do(h, restytest.NewRequest(http.MethodGet, "/wait", nil).WithContext(ctx))
		close(done)
	}()
	waiting(t, h, "-1")
	cancel()
	<-done
	assert.Contains(t, logs.String(), "[info] client prematurely closed connection")
	assert.Equal(t, "0\n", restytest.Body(restytest.Get(h, "/count")))
}
