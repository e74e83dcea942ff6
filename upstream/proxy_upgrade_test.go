package upstream

import (
	"bufio"
	"context"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponseUpgrade(t *testing.T) {
	got := make(chan string, 1)
	b := startRawBackend(t, "", func(c net.Conn, br *bufio.Reader, _ []byte) {
		// The bytes after the head come in the same write: they are buffered by the reader.
		_, _ = io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\nhi\n")
		line, _ := br.ReadString('\n')
		got <- line
	})
	p := newTestProxy(t, Server{Addr: b.addr()})
	p.Group.Keepalive = 4
	p.HTTPVersion = "1.1"
	resp, err := p.Do(context.Background(), &Outgoing{Header: []Field{{"Upgrade", "x"}, {"Connection", "upgrade"}}})
	require.NoError(t, err)
	require.Equal(t, 101, resp.Status)
	u, err := resp.Upgrade()
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close(), "closing the body after Upgrade does nothing")
	line, err := bufio.NewReader(u).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "hi\n", line)
	_, err = io.WriteString(u, "from the client\n")
	require.NoError(t, err)
	assert.Equal(t, "from the client\n", <-got)
	require.NoError(t, u.Close())
	assert.False(t, p.Group.pools.HasIdle(b.addr()), "an upgraded connection is never kept")

	ok := startRawBackend(t, okResponse, nil)
	p2 := newTestProxy(t, Server{Addr: ok.addr()})
	resp, err = p2.Do(context.Background(), &Outgoing{})
	require.NoError(t, err)
	defer resp.Body.Close()
	_, err = resp.Upgrade()
	assert.ErrorContains(t, err, "Upgrade of a response with status OK")
}
