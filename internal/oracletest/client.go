package oracletest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// requestTimeout bounds one case's request.
const requestTimeout = 10 * time.Second

// rawRequest returns the bytes of c's request: written by hand, so that both servers receive
// exactly the same header lines in the same order (no User-Agent or Accept-Encoding added).
func rawRequest(c *Case) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: localhost\r\n", c.Method, c.Target)
	for _, h := range c.Headers {
		b.WriteString(h + "\r\n")
	}
	if c.HasBody {
		b.WriteString("Content-Length: " + strconv.Itoa(len(c.Body)) + "\r\n")
	}
	b.WriteString("\r\n")
	b.WriteString(c.Body)
	return b.Bytes()
}

// do sends c's request to addr on a new connection and reads the response.
func do(addr string, c *Case) (*Result, error) {
	conn, err := net.DialTimeout("tcp", addr, requestTimeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(requestTimeout)); err != nil {
		return nil, err
	}
	if _, err := conn.Write(rawRequest(c)); err != nil {
		return nil, err
	}
	if c.AbortAfter != "" {
		d, err := time.ParseDuration(c.AbortAfter)
		if err != nil {
			return nil, fmt.Errorf("abort_after %q: %w", c.AbortAfter, err)
		}
		time.Sleep(d)
		return &Result{Aborted: true}, nil
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, &http.Request{Method: c.Method})
	if err == nil && resp.StatusCode == http.StatusSwitchingProtocols {
		// What follows a 101 is the new protocol's, until the server closes: it is the body.
		resp.Body = io.NopCloser(br)
	}
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isReset(err) {
			return &Result{Aborted: true}, nil
		}
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	r := &Result{Status: resp.StatusCode, Header: headerLines(resp.Header), Body: hidePort(string(body))}
	for i, h := range r.Header {
		r.Header[i] = hidePort(h)
	}
	if err != nil {
		if !errors.Is(err, io.ErrUnexpectedEOF) && !isReset(err) {
			return nil, err
		}
		r.Aborted = true
	}
	return r, nil
}

var hostPort = regexp.MustCompile(`\b(localhost|127\.0\.0\.1):\d+`)

// hidePort replaces the port after the server's host names (absolute redirects, $host:port) by
// "PORT": the two servers listen on different free ports.
func hidePort(s string) string { return hostPort.ReplaceAllString(s, "$1:PORT") }

var pointer = regexp.MustCompile(`\b([uc]):([0-9A-F]{16})\b`)

// hidePointers replaces the addresses in cosocket log lines ("u:00007F6742A70060, c:...") by
// "PTR", keeping null ones: the two servers' memory differs, whether a pointer is null does not.
func hidePointers(s string) string {
	return pointer.ReplaceAllStringFunc(s, func(m string) string {
		if strings.Trim(m[2:], "0") == "" {
			return m
		}
		return m[:2] + "PTR"
	})
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}
