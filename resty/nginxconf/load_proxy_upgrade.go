package nginxconf

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/upstream"
)

// tunnel passes a 101 Switching Protocols response (a WebSocket, say) to the client and then
// the bytes both ways, as nginx's upgraded upstream: the header goes through the header
// filters with "Connection: upgrade", the upstream's reads time out after proxy_read_timeout
// without data (the client may stay silent while the upstream talks), and the first side to
// end ends both.
func (pp *proxyPass) tunnel(r *ngx.Request, w http.ResponseWriter, resp *upstream.Response, t *proxyTarget) error {
	up, err := resp.Upgrade()
	if err != nil {
		return err
	}
	defer up.Close()
	dst := w.Header()
	upstream.CopyHeader(dst, resp.Header, pp.hide, pp.pass)
	dst["Connection"] = []string{"upgrade"}
	if _, ok := dst["Content-Type"]; !ok {
		dst["Content-Type"] = nil
	}
	w.WriteHeader(http.StatusSwitchingProtocols)
	client, buf, err := http.NewResponseController(r.UnderlyingWriter()).Hijack()
	if err != nil {
		r.Log(ngx.LevelErr, "cannot upgrade the client's connection: "+err.Error())
		return nil
	}
	defer client.Close()
	r.MarkDone()
	if err := buf.Flush(); err != nil {
		return nil
	}
	idle := pp.proxy.ReadTimeout
	if idle <= 0 {
		idle = 60 * time.Second
	}
	var once sync.Once
	stop := func() { once.Do(func() { client.Close(); up.Close() }) }
	var wg sync.WaitGroup
	wg.Go(func() {
		defer stop()
		copyIdle(up, &readerConn{buf.Reader, client}, 0) // nginx times only the upstream's reads
	})
	timedOut := copyIdle(client, up, idle)
	stop()
	wg.Wait()
	if timedOut {
		r.Log(ngx.LevelErr, "upstream timed out (110: Connection timed out) while proxying upgraded connection",
			slog.String("upstream", t.scheme+resp.Attempts[len(resp.Attempts)-1].Addr+t.uri))
	}
	return nil
}

// deadlineReader is a connection whose reads can be bounded.
type deadlineReader interface {
	io.Reader
	SetReadDeadline(time.Time) error
}

// copyIdle copies src to dst until either ends or src is silent for idle (0: never); it
// reports whether it ended for silence.
func copyIdle(dst io.Writer, src deadlineReader, idle time.Duration) (timedOut bool) {
	buf := make([]byte, 16<<10)
	for {
		if idle > 0 {
			_ = src.SetReadDeadline(time.Now().Add(idle))
		}
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return false
			}
		}
		if err != nil {
			var ne net.Error
			return errors.As(err, &ne) && ne.Timeout()
		}
	}
}

// readerConn reads the client's connection through the buffer net/http read it with.
type readerConn struct {
	r *bufio.Reader
	c net.Conn
}

func (rc *readerConn) Read(p []byte) (int, error)        { return rc.r.Read(p) }
func (rc *readerConn) SetReadDeadline(t time.Time) error { return rc.c.SetReadDeadline(t) }
