package upstream_test

import (
	"bufio"
	"context"
	"fmt"
	"net"

	"github.com/goresty/goresty/upstream"
)

// echo serves lines back on a loopback port.
func echo() (addr string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
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
					_, _ = c.Write(line)
				}
			}()
		}
	}()
	return ln.Addr().String(), func() { _ = ln.Close() }
}

// A connection kept alive goes back to its pool (named after the address) and the next Dial
// takes it again, as tcpsock:setkeepalive and connect do.
func ExamplePools_Dial() {
	addr, stop := echo()
	defer stop()
	pools := upstream.NewPools()
	defer pools.Close()

	for range 3 {
		c, err := pools.Dial(context.Background(), "tcp", addr, upstream.DialOptions{Backlog: -1})
		if err != nil {
			panic(err)
		}
		_, _ = c.Write([]byte("ping\n"))
		line, _ := c.ReadLine()
		fmt.Println(string(line), c.Reused())
		if err := c.Keepalive(pools, 0, 10); err != nil { // no idle timeout, 10 idle at most
			panic(err)
		}
	}
	fmt.Println(pools.Pool(addr).Idle(), "idle")
	// Output:
	// ping 0
	// ping 1
	// ping 2
	// 1 idle
}
