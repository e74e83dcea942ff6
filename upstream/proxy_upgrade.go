package upstream

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// Upgraded is the connection of a response that switched protocols (101, a WebSocket say),
// taken over from its Response by Upgrade to be tunnelled to the client as nginx does.
type Upgraded struct {
	c *Conn
}

// Upgrade takes over the connection of a 101 Switching Protocols response: what the server
// sends after the response head (some of it may be buffered already) is read from the
// Upgraded, and what is written to it goes to the server. The Response's Body is then done
// with (closing it does nothing) and the connection is never kept alive. It fails for any
// other response.
func (resp *Response) Upgrade() (*Upgraded, error) {
	b, ok := resp.Body.(*body)
	switch {
	case resp.Status != http.StatusSwitchingProtocols:
		return nil, errors.New("upstream: Upgrade of a response with status " + http.StatusText(resp.Status))
	case !ok || b.closed:
		return nil, errors.New("upstream: Upgrade of a response whose body was closed")
	}
	b.guard.release()
	b.closed, b.reuse = true, false
	b.end()
	_ = b.c.SetReadDeadline(time.Time{})
	_ = b.c.SetWriteDeadline(time.Time{})
	return &Upgraded{c: b.c}, nil
}

// Read reads what the server sent.
func (u *Upgraded) Read(p []byte) (int, error) { return u.c.Reader().Read(p) }

// Write sends p to the server.
func (u *Upgraded) Write(p []byte) (int, error) { return u.c.Conn().Write(p) }

// SetReadDeadline bounds the next reads.
func (u *Upgraded) SetReadDeadline(t time.Time) error { return u.c.SetReadDeadline(t) }

// SetWriteDeadline bounds the next writes.
func (u *Upgraded) SetWriteDeadline(t time.Time) error { return u.c.SetWriteDeadline(t) }

// CloseWrite tells the server nothing more will be sent, when the connection can (TCP).
func (u *Upgraded) CloseWrite() error {
	if cw, ok := u.c.Conn().(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// Close closes the connection.
func (u *Upgraded) Close() error {
	u.c.Close()
	return nil
}

var _ io.ReadWriteCloser = (*Upgraded)(nil)
