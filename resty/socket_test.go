package resty_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// redisLua is a minimal RESP client over a cosocket, as lua-resty-redis speaks it: cmd sends a
// command and returns the reply's first line.
const redisLua = `
local function cmd(sock, ...)
	local args = {...}
	local req = {"*", #args, "\r\n"}
	for _, a in ipairs(args) do
		a = tostring(a)
		req[#req + 1] = {"$", #a, "\r\n", a, "\r\n"}
	end
	local n, err = sock:send(req)
	if not n then return nil, err end
	return sock:receive()
end
local sock = ngx.socket.tcp()
sock:settimeout(5000)
local ok, err = sock:connect("127.0.0.1", tonumber(ngx.var.arg_port))
if not ok then ngx.say("connect: ", err) return end
`

// clients returns how many connections redis has, less the caller's own.
func clients(t *testing.T, rc *redis.Client) int {
	list, err := rc.ClientList(context.Background()).Result()
	require.NoError(t, err)
	return strings.Count(list, "\n") - 1
}

// TestLuaCosocketRedis: Lua code talks RESP to a real redis-server through ngx.socket.tcp and
// keeps its connections alive: 8 clients x 25 requests get every INCR result exactly once, the
// connections are reused across requests and VMs, and at most the pool's size stay open.
func TestLuaCosocketRedis(t *testing.T) {
	addr := servertest.StartRedis(t)
	_, port, _ := net.SplitHostPort(addr)
	rc := redis.NewClient(&redis.Options{Addr: addr})
	defer rc.Close()
	h := restytest.NewHandler(t, resty.Config{
		Lua: resty.LuaConfig{Workers: 3},
		Locations: []resty.Location{{Match: "= /incr", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, redisLua+`
			local n = cmd(sock, "INCR", "counter")
			local reused = sock:getreusedtimes()
			assert(sock:setkeepalive(10000, 4))
			ngx.say(n, " ", reused)`)}}},
	})
	seen := make(map[string]bool)
	reused := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 25 {
				body := restytest.Body(restytest.Get(h, "/incr?port="+port))
				f := strings.Fields(body)
				if !assert.Len(t, f, 2, body) {
					return
				}
				mu.Lock()
				assert.False(t, seen[f[0]], "reply %s twice", f[0])
				seen[f[0]] = true
				if f[1] != "0" {
					reused++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for i := 1; i <= 200; i++ {
		assert.True(t, seen[":"+strconv.Itoa(i)], "reply :%d missing", i)
	}
	assert.Greater(t, reused, 100, "most requests reuse a kept connection")
	assert.Eventually(t, func() bool { return clients(t, rc) <= 4 }, 2*time.Second, 10*time.Millisecond,
		"the pool keeps at most 4 idle connections (redis sees the others close)")
}

// TestLuaCosocketLifetime: a connection a request leaves open is closed when the request ends;
// one kept alive closes after its idle timeout; Handler.Close closes the idle ones.
func TestLuaCosocketLifetime(t *testing.T) {
	addr := servertest.StartRedis(t)
	_, port, _ := net.SplitHostPort(addr)
	rc := redis.NewClient(&redis.Options{Addr: addr})
	defer rc.Close()
	h, err := resty.New(resty.Config{
		Locations: []resty.Location{
			{Match: "= /leave", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, redisLua+`ngx.say(cmd(sock, "PING"))`)}},
			{Match: "= /keep", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, redisLua+`
				ngx.say(cmd(sock, "PING"))
				ngx.say(sock:setkeepalive(tonumber(ngx.var.arg_idle)))`)}},
		},
	})
	require.NoError(t, err)

	restytest.AssertBody(t, restytest.Get(h, "/leave?port="+port), "+PONG\n")
	assert.Eventually(t, func() bool { return clients(t, rc) == 0 }, 2*time.Second, 10*time.Millisecond,
		"closed at the end of the request")

	restytest.AssertBody(t, restytest.Get(h, "/keep?idle=300&port="+port), "+PONG\n1\n")
	assert.Equal(t, 1, clients(t, rc), "kept alive")
	assert.Eventually(t, func() bool { return clients(t, rc) == 0 }, 2*time.Second, 10*time.Millisecond,
		"closed after its idle timeout")

	restytest.AssertBody(t, restytest.Get(h, "/keep?idle=0&port="+port), "+PONG\n1\n")
	assert.Equal(t, 1, clients(t, rc), "kept alive with no timeout")
	h.Close()
	assert.Eventually(t, func() bool { return clients(t, rc) == 0 }, 2*time.Second, 10*time.Millisecond,
		"closed with the Handler")
}

// TestLuaCosocketTLS: sslhandshake over a cosocket to an HTTPS server, with and without
// verification, and on a kept-alive TLS connection (no second handshake).
func TestLuaCosocketTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("secure"))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "https://"))
	logs := &servertest.SyncBuffer{}
	locations := []resty.Location{{Match: "= /tls", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local sock = ngx.socket.tcp()
			assert(sock:connect("127.0.0.1", tonumber(ngx.var.arg_port)))
			local reused = sock:getreusedtimes()
			local sess, err = sock:sslhandshake(nil, "example.com", ngx.var.arg_verify == "1")
			if err then ngx.say("handshake: ", err) return end
			ngx.say(reused, " ", type(sess))
			sock:send("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")
			ngx.say(sock:receive())
			local head = sock:receiveuntil("\r\n\r\n")
			head()
			ngx.say(sock:receive(6))
			assert(sock:setkeepalive())`)}}}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	h := restytest.NewHandler(t, resty.Config{Logger: logger, Locations: locations})
	restytest.AssertBody(t, restytest.Get(h, "/tls?port="+port), "0 userdata\nHTTP/1.1 200 OK\nsecure\n")
	restytest.AssertBody(t, restytest.Get(h, "/tls?port="+port), "1 nil\nHTTP/1.1 200 OK\nsecure\n",
		"a kept TLS connection needs no handshake: sslhandshake returns its first argument")
	restytest.AssertBody(t, restytest.Get(h, "/tls?port="+port+"&verify=1"), "2 nil\nHTTP/1.1 200 OK\nsecure\n",
		"verification belongs to the handshake, which a kept connection made already")

	h2 := restytest.NewHandler(t, resty.Config{Logger: logger, Locations: locations})
	restytest.AssertBody(t, restytest.Get(h2, "/tls?port="+port+"&verify=1"), "handshake: 18: self-signed certificate\n",
		"nothing is trusted without lua_ssl_trusted_certificate")
	assert.Contains(t, logs.String(), "lua ssl certificate verify error: (18: self-signed certificate)")
}

// TestLuaReqSocket: ngx.req.socket streams a request body in pieces (here 300 KB in 64 KB
// receives) without holding it whole, and takes it over: the wrapped handler then gets none.
func TestLuaReqSocket(t *testing.T) {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "app got %d bytes", len(b))
	})
	h := restytest.NewHandler(t, resty.Config{
		Next: app,
		Locations: []resty.Location{
			{Match: "= /count", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
				local sock = assert(ngx.req.socket())
				local n, pieces, last = 0, 0, ""
				while true do
					local data, err, partial = sock:receive(65536)
					data = data or partial
					n, pieces = n + #data, pieces + 1
					if #data > 0 then last = data:sub(-1) end
					if err then break end
				end
				ngx.say(n, " ", pieces, " ", last, " ", tostring(ngx.req.get_body_data()))`)}},
			{Match: "= /take", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseAccess, `
				local sock = assert(ngx.req.socket())
				ngx.req.set_header("X-First", sock:receive(3))`)}},
		},
	})
	body := strings.Repeat("0123456789", 30000) + "!"
	restytest.AssertBody(t, restytest.Post(h, "/count", "application/octet-stream", body), "300001 5 ! nil\n")
	restytest.AssertBody(t, restytest.Post(h, "/take", "text/plain", "abcdef"), "app got 0 bytes")
}
