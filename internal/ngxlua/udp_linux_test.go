//go:build linux

package ngxlua_test

import (
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
	"github.com/goresty/goresty/upstream"
)

// udpEcho starts a UDP (or unixgram) echo server on addr, stopped with the test, and returns
// its address. Every datagram goes back to its sender as it came.
func udpEcho(t *testing.T, network, addr string) net.Addr {
	t.Helper()
	pc, err := net.ListenPacket(network, addr)
	require.NoError(t, err)
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1<<17)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			_, _ = pc.WriteTo(buf[:n], from)
		}
	}()
	return pc.LocalAddr()
}

// udpPort is the port of a UDP address.
func udpPort(a net.Addr) string { return strconv.Itoa(a.(*net.UDPAddr).Port) }

func TestUDPRoundTrip(t *testing.T) {
	port := udpPort(udpEcho(t, "udp", "127.0.0.1:0"))
	run(t, []luaCase{
		{name: "datagrams come back whole", content: `
			local s = ngx.socket.udp()
			s:settimeout(1000)
			ngx.say(s:setpeername("127.0.0.1", ` + port + `))
			ngx.say(s:send("hello"))
			ngx.say(s:receive())
			ngx.say(s:send({"a", 1, {2.5, "b"}}))
			ngx.say(s:receive())
			ngx.say(s:send(nil), s:send(true), s:send(3))
			ngx.say(s:receive(), s:receive(), s:receive())
			ngx.say(s:close())`,
			wantBody: "1\n1\nhello\n1\na12.5b\n111\nniltrue3\n1\n"},
		{name: "port in the host", content: `
			local s = ngx.socket.udp()
			ngx.say(s:setpeername("127.0.0.1:` + port + `"))
			ngx.say(s:send("in host"), " ", s:receive())`,
			wantBody: "1\n1 in host\n"},
		{name: "receive cuts a datagram to its size and drops the rest", content: `
			local s = ngx.socket.udp()
			s:settimeout(50)
			s:setpeername("127.0.0.1", ` + port + `)
			s:send("hello world")
			ngx.say(s:receive(5))
			ngx.say(s:receive())
			s:send("abc") s:send("def")
			ngx.say("[", s:receive(0), "]")
			ngx.say(s:receive("2"))
			s:send("xyz")
			ngx.say(s:receive(-1))
			s:send("xyz")
			ngx.say("[", s:receive(0.9), "]")
			s:send("xyz")
			ngx.say(s:receive(2.9))`,
			wantBody: "hello\nniltimeout\n[]\nde\nxyz\n[]\nxy\n",
			wantLog:  []string{"[error] lua udp socket read timed out"}},
		{name: "largest and empty datagrams", content: `
			local s = ngx.socket.udp()
			s:settimeout(1000)
			s:setpeername("127.0.0.1", ` + port + `)
			local big = string.rep("0123456789", 6550) .. "0123456"
			ngx.say(#big, " ", s:send(big))
			local got = s:receive()
			ngx.say(#got, " ", got == big)
			ngx.say(s:send(""))
			ngx.say("[", s:receive(), "]")`,
			wantBody: "65507 1\n65507 true\n1\n[]\n",
			wantLog:  []string{"[alert] send() returned zero"}},
		{name: "a new peer closes the old socket", content: `
			local s = ngx.socket.udp()
			s:settimeout(1000)
			s:setpeername("127.0.0.1", 1)
			s:send("refused")
			ngx.say(s:setpeername("127.0.0.1", ` + port + `))
			ngx.say(s:send("fresh"), " ", s:receive())`,
			wantBody: "1\n1 fresh\n"},
		{name: "a timer has sockets of its own", content: `
			ngx.timer.at(0, function()
				local s = ngx.socket.udp()
				s:settimeout(1000)
				s:setpeername("127.0.0.1", ` + port + `)
				s:send("from timer")
				ngx.log(ngx.ERR, "timer got ", s:receive())
			end)
			ngx.sleep(0.2)`,
			wantLog: []string{"[error] [lua] content_by_lua(nginx.conf:2):7: timer got from timer"}},
	})
}

func TestUDPIPv6(t *testing.T) {
	pc, err := net.ListenPacket("udp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	pc.Close()
	port := udpPort(udpEcho(t, "udp", "[::1]:0"))
	run(t, []luaCase{
		{name: "bracketed address", content: `
			local s = ngx.socket.udp()
			s:settimeout(1000)
			ngx.say(s:setpeername("[::1]", ` + port + `))
			ngx.say(s:send("six"), " ", s:receive())
			ngx.say(s:setpeername("[::1]:` + port + `"))
			ngx.say(s:send("six again"), " ", s:receive())`,
			wantBody: "1\n1 six\n1\n1 six again\n"},
	})
}

// TestUDPHostName resolves localhost with Go's resolver (nginx would need a resolver
// directive), from /etc/hosts: an echo server listens on the same port of 127.0.0.1 and ::1,
// as nginx picks one of the name's addresses at random.
func TestUDPHostName(t *testing.T) {
	var port string
	for range 20 {
		a := udpEcho(t, "udp", "127.0.0.1:0")
		pc, err := net.ListenPacket("udp", "[::1]:"+udpPort(a))
		if err == nil {
			pc.Close()
			port = udpPort(udpEcho(t, "udp", "[::1]:"+udpPort(a)))
			break
		}
	}
	if port == "" {
		t.Skip("no IPv6 loopback port to match an IPv4 one")
	}
	run(t, []luaCase{
		{name: "localhost", content: `
			local s = ngx.socket.udp()
			s:settimeout(1000)
			for i = 1, 5 do
				ngx.say(s:setpeername("localhost", ` + port + `), " ", s:send("name " .. i), " ", s:receive())
			end`,
			wantBody: "1 1 name 1\n1 1 name 2\n1 1 name 3\n1 1 name 4\n1 1 name 5\n"},
	})
}

func TestUDPUnix(t *testing.T) {
	path := filepath.Join(t.TempDir(), "echo.sock")
	udpEcho(t, "unixgram", path)
	run(t, []luaCase{
		{name: "an autobound socket gets answers", content: `
			local s = ngx.socket.udp()
			s:settimeout(1000)
			ngx.say(s:setpeername("unix:` + path + `"))
			ngx.say(s:send({"un", "ix"}), " ", s:receive())
			ngx.say(s:close())`,
			wantBody: "1\n1 unix\n1\n"},
	})
}

// TestUDPReadTimeoutSetting checks that lua_socket_read_timeout (Config.Sockets) is receive's
// timeout when settimeout set none, or set 0 or less.
func TestUDPReadTimeoutSetting(t *testing.T) {
	logs := &logBuffer{}
	h := restytest.NewHandler(t, resty.Config{Logger: slog.New(logs), ServerTokens: "nginx",
		Lua: resty.LuaConfig{Sockets: upstream.Settings{ReadTimeout: 30 * time.Millisecond}},
		Locations: []resty.Location{{Match: "/t", Hooks: []resty.Hook{content(`
			local s = ngx.socket.udp()
			s:setpeername("127.0.0.1", 9)
			local t0 = ngx.now()
			ngx.say(s:receive())
			s:settimeout(0)
			ngx.say(s:receive())
			s:settimeout(-1)
			ngx.say(s:receive())
			ngx.update_time()
			ngx.say(ngx.now() - t0 < 5)`)}}}})
	resp := restytest.Get(h, "/t")
	restytest.AssertBody(t, resp, "niltimeout\nniltimeout\nniltimeout\ntrue\n")
	assert.Equal(t, 3, strings.Count(logs.String(), "[error] lua udp socket read timed out"), logs.String())
}

// TestUDPClosedWithRequest checks that a socket is closed when the request that set its peer
// ends: a later request that finds it (package.loaded) sees it closed, and may not reuse it.
func TestUDPClosedWithRequest(t *testing.T) {
	port := udpPort(udpEcho(t, "udp", "127.0.0.1:0"))
	logs := &logBuffer{}
	h := newHandler(t, logs, content(`
		local s = package.loaded["udp test socket"]
		if not s then
			s = ngx.socket.udp()
			s:settimeout(1000)
			ngx.say(s:setpeername("127.0.0.1", `+port+`), " ", s:send("first"), " ", s:receive())
			package.loaded["udp test socket"] = s
			return
		end
		ngx.say(s:send("second"))
		ngx.say(s:receive())
		ngx.say(s:close())
		ngx.say(pcall(s.setpeername, s, "127.0.0.1", `+port+`))`))
	restytest.AssertBody(t, restytest.Get(h, "/t"), "1 1 first\n")
	restytest.AssertBody(t, restytest.Get(h, "/t"), "nilclosed\nnilclosed\nnilclosed\nfalsebad request\n")
	assertLog(t, logs, []string{"attempt to send data on a closed socket", "attempt to receive data on a closed socket"})
}

// TestUDPKilledThread checks that killing a light thread that waits in receive ends its wait
// at once, and closes the socket, as nginx's cleanup does.
func TestUDPKilledThread(t *testing.T) {
	port := udpPort(udpEcho(t, "udp", "127.0.0.1:0"))
	start := time.Now()
	run(t, []luaCase{
		{name: "kill", content: `
			local s = ngx.socket.udp()
			s:settimeout(5000)
			s:setpeername("127.0.0.1", ` + port + `)
			local th = ngx.thread.spawn(function() return s:receive() end)
			ngx.say(s:send("busy"))
			ngx.say(ngx.thread.kill(th))
			ngx.say(s:send("x"))
			ngx.say(s:setpeername("127.0.0.1", ` + port + `))
			ngx.say(s:send("again"), " ", s:receive())
			local th2 = ngx.thread.spawn(function() return s:receive() end)
			ngx.say(ngx.thread.kill(th2))`,
			wantBody: "nilsocket busy\n1\nnilclosed\n1\n1 again\n1\n",
			wantLog:  []string{"attempt to send data on a closed socket"}},
	})
	assert.Less(t, time.Since(start), 3*time.Second, "a killed thread's receive should end at once")
}

// TestUDPConcurrent runs requests in parallel, each with its own round trips, while the VM is
// given up during receive.
func TestUDPConcurrent(t *testing.T) {
	port := udpPort(udpEcho(t, "udp", "127.0.0.1:0"))
	logs := &logBuffer{}
	h := newHandler(t, logs, content(`
		local s = ngx.socket.udp()
		s:settimeout(2000)
		s:setpeername("127.0.0.1", `+port+`)
		local id = ngx.var.arg_id
		for i = 1, 20 do
			s:send(id .. ":" .. i)
			local got, err = s:receive()
			if got ~= id .. ":" .. i then ngx.say("bad ", got, " ", err) return end
		end
		ngx.say("ok ", id)`))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := restytest.Get(h, fmt.Sprintf("/t?id=%d", i))
			restytest.AssertBody(t, resp, fmt.Sprintf("ok %d\n", i))
		}()
	}
	wg.Wait()
}
