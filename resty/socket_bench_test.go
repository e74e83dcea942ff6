package resty_test

import (
	"bufio"
	"context"
	"net"
	"testing"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/upstream"
)

// echoServer answers every line with the same line, for the cosocket benchmarks.
func echoServer(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadSlice('\n')
					if err != nil {
						return
					}
					if _, err := c.Write(line); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// BenchmarkLuaCosocket serves requests whose Lua content hook takes a kept-alive connection,
// sends a line, reads it back and keeps the connection alive again: the round trip of a
// Redis or memcached call through ngx.socket.tcp.
func BenchmarkLuaCosocket(b *testing.B) {
	addr := echoServer(b)
	host, port, _ := net.SplitHostPort(addr)
	benchServe(b, mustNew(b, resty.Config{Next: helloApp, Locations: []resty.Location{{
		Match: "= /hello",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local sock = ngx.socket.tcp()
			assert(sock:connect("`+host+`", `+port+`))
			sock:send("hello\n")
			ngx.print(sock:receive())
			sock:setkeepalive()`)},
	}}}))
}

// BenchmarkGoPooledConn is BenchmarkLuaCosocket's baseline: a Go content hook does the same
// round trip on package upstream's pool directly.
func BenchmarkGoPooledConn(b *testing.B) {
	addr := echoServer(b)
	ps := upstream.NewPools()
	b.Cleanup(ps.Close)
	benchServe(b, mustNew(b, resty.Config{Next: helloApp, Locations: []resty.Location{{
		Match: "= /hello",
		Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
			c, err := ps.Dial(context.Background(), "tcp", addr, upstream.DialOptions{Backlog: -1})
			if err != nil {
				return err
			}
			if _, err := c.Write([]byte("hello\n")); err != nil {
				return err
			}
			line, err := c.ReadLine()
			if err != nil {
				return err
			}
			if err := c.Keepalive(ps, 0, 0); err != nil {
				return err
			}
			return r.Print(string(line))
		})},
	}}}))
}
