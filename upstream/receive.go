package upstream

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// The reads of tcpsock:receive and receiveany, on a connection's read buffer or any other
// (the request body of ngx.req.socket). Each returns what it read so far with its error; the
// caller sets the read deadline.

// ReadLine is the package's ReadLine on the connection.
func (c *Conn) ReadLine() ([]byte, error) { return ReadLine(c.r) }

// ReadAll is the package's ReadAll on the connection.
func (c *Conn) ReadAll() ([]byte, error) { return ReadAll(c.r) }

// ReadN is the package's ReadN on the connection.
func (c *Conn) ReadN(n int) ([]byte, error) { return ReadN(c.r, n) }

// ReadAny is the package's ReadAny on the connection.
func (c *Conn) ReadAny(max int) ([]byte, error) { return ReadAny(c.r, max) }

// ReadLine reads a line, as receive("*l"): the bytes before the next LF, without it and without
// any CR. At the end of the stream it returns io.EOF with the line read so far.
func ReadLine(r *bufio.Reader) (line []byte, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		line = appendNoCR(line, chunk)
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, io.EOF) && len(chunk) == 0 && line == nil:
			return []byte{}, io.EOF
		case errors.Is(err, io.EOF):
			return line, io.EOF
		case !errors.Is(err, bufio.ErrBufferFull):
			return line, err
		}
	}
}

// appendNoCR appends b to dst without its CR bytes.
func appendNoCR(dst, b []byte) []byte {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		b = b[i+1:]
	}
}

// ReadAll reads to the end of the stream, as receive("*a"); the end is not an error.
func ReadAll(r *bufio.Reader) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// ReadN reads exactly n bytes, as receive(n); at the end of the stream it returns io.EOF with
// the bytes read.
func ReadN(r *bufio.Reader, n int) ([]byte, error) {
	buf := make([]byte, n)
	got, err := io.ReadFull(r, buf)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return buf[:got], err
}

// ReadAny returns what is buffered, up to max bytes, or waits for the next bytes to arrive, as
// receiveany(max).
func ReadAny(r *bufio.Reader, max int) ([]byte, error) {
	if r.Buffered() == 0 {
		if _, err := r.Peek(1); err != nil {
			return nil, err
		}
	}
	buf := make([]byte, min(max, r.Buffered()))
	n, _ := r.Read(buf)
	return buf[:n], nil
}
