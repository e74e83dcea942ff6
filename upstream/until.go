package upstream

import (
	"bufio"
	"bytes"
	"errors"
)

// ErrEmptyPattern is what NewUntil returns for an empty pattern; its text is the error string
// tcpsock:receiveuntil returns (nil, "pattern is empty").
var ErrEmptyPattern = errors.New("pattern is empty")

// untilFound is the state of an iterator whose size-limited call reached the pattern: its next
// call reports the end (Lua: nil, nil) without reading and puts the iterator back to state 0.
const untilFound = -1

// Until is the reader behind one iterator returned by tcpsock:receiveuntil(pattern, options?),
// with lua-nginx-module 0.10.23's results.
//
// It scans the stream with lua-nginx-module's matcher: a state counts the bytes of the pattern
// matched so far, and those bytes are held back (not part of any result) until the match
// either completes, which consumes them, or fails, which releases them into the data. The
// matcher's fallback edges (see compileUntil) make it find every occurrence, overlapping
// prefixes included; the state survives from one call to the next and across read errors.
//
// An Until is not safe for concurrent use; a socket reads with one call at a time anyway.
type Until struct {
	pattern   []byte
	inclusive bool
	// recover[s-2] lists, for a partial match of s bytes (2 <= s < len(pattern)), the bytes
	// that do not continue the match but start a shorter one, with the state they lead to.
	recover [][]untilEdge
	// state is the number of pattern bytes matched and held back, or untilFound.
	state int
}

// untilEdge is one fallback edge of the matcher: in its state, byte c leads to state next.
type untilEdge struct {
	c    byte
	next int
}

// NewUntil returns the reader of one receiveuntil iterator. An empty pattern is an error whose
// text is lua-nginx-module's: "pattern is empty".
func NewUntil(pattern string, inclusive bool) (*Until, error) {
	if pattern == "" {
		return nil, ErrEmptyPattern
	}
	p := []byte(pattern)
	return &Until{pattern: p, inclusive: inclusive, recover: compileUntil(p)}, nil
}

// compileUntil builds the fallback edges the way ngx_http_lua_socket_compile_pattern does.
// For each shift i of the pattern against itself whose first byte agrees, it extends the
// agreement to k bytes; where the agreement breaks before the pattern's end, a partial match
// of i+k bytes followed by p[k] is also a partial match of k+1 bytes (the shifted copy), so it
// records that edge, keeping the longest target when two shifts give the same state and byte.
// Patterns of one or two bytes need no edges: a failed partial match of one byte starts over.
func compileUntil(p []byte) [][]untilEdge {
	n := len(p)
	if n <= 2 {
		return nil
	}
	var rec [][]untilEdge
	for i := 1; i < n-1; i++ {
		if p[0] != p[i] {
			continue
		}
		k := 1
		for k <= n-i-1 && p[k] == p[i+k] {
			k++
		}
		if k > n-i-1 {
			continue // the shifted copy agrees up to the end: no edge
		}
		if rec == nil {
			rec = make([][]untilEdge, n-2)
		}
		from, c, to := i+k, p[k], k+1
		edges := rec[from-2]
		found := false
		for j := range edges {
			if edges[j].c == c {
				edges[j].next = max(edges[j].next, to)
				found = true
				break
			}
		}
		if !found {
			rec[from-2] = append(edges, untilEdge{c: c, next: to})
		}
	}
	return rec
}

// fallback returns the state that byte c leads to from a partial match of state bytes, when c
// does not continue the match but starts a shorter one.
func (u *Until) fallback(state int, c byte) (int, bool) {
	if u.recover == nil || state < 2 {
		return 0, false
	}
	for _, e := range u.recover[state-2] {
		if e.c == c {
			return e.next, true
		}
	}
	return 0, false
}

// Read returns the iterator's next result, reading bytes from r.
//
//   - size <= 0: the data up to the next occurrence of the pattern (with the pattern appended
//     when inclusive), consuming the pattern.
//   - size > 0: lua-nginx-module's iterator mode: pieces of the data before the pattern; when
//     the pattern is reached, the call that reaches it returns what is left before it (with
//     the pattern appended when inclusive), and the following call, whatever its size, returns
//     done = true (Lua: nil, nil) without reading, after which the iterator starts over.
//
// In iterator mode a piece counts the bytes it releases as lua-nginx-module does, so it can be
// longer than size: a data byte counts one; a failed partial match of s bytes releases all s
// at once and, when they reach the limit, ends the piece before the byte that broke the match
// (the iterator starts over on it next time); a byte that turns a partial match into a shorter
// one releases and counts the bytes that fell out of the match, and when they reach the limit
// the piece ends there, the shorter partial match still held back for the next call.
//
// On a read error (io.EOF, or a net.Error timeout from the connection's deadline) it returns
// err and partial, never nil: the data this call released before the error, which the Lua side
// returns as its third value (nil, err, partial). Bytes held back by a partial match are not in
// partial; the iterator keeps them, and its state, so that after a timeout the next call goes
// on matching where this one stopped and never returns partial's bytes again. (After any other
// error lua-nginx-module closes the socket's reading side, and the iterator's next calls
// return nil, "closed" without reaching the reader; that is the socket's part.)
func (u *Until) Read(r *bufio.Reader, size int) (data []byte, done bool, partial []byte, err error) {
	if u.state == untilFound {
		u.state = 0
		return nil, true, nil, nil
	}
	p := u.pattern
	limited := size > 0
	rest := size // bytes left in this piece, when limited
	out := []byte{}
	for {
		if r.Buffered() == 0 {
			if _, err := r.Peek(1); err != nil {
				return nil, false, out, err
			}
		}
		buf, _ := r.Peek(r.Buffered())
		i := 0
		for i < len(buf) {
			c := buf[i]
			if c == p[u.state] {
				i++
				u.state++
				if u.state == len(p) {
					_, _ = r.Discard(i)
					u.state = 0
					if limited {
						u.state = untilFound
					}
					if u.inclusive {
						out = append(out, p...)
					}
					return out, false, nil, nil
				}
				continue
			}
			if u.state == 0 {
				// A run of data bytes, up to the next byte that could start the pattern.
				j := bytes.IndexByte(buf[i+1:], p[0])
				run := len(buf) - i
				if j >= 0 {
					run = j + 1
				}
				if limited && run >= rest {
					out = append(out, buf[i:i+rest]...)
					_, _ = r.Discard(i + rest)
					return out, false, nil, nil
				}
				out = append(out, buf[i:i+run]...)
				i += run
				if limited {
					rest -= run
				}
				continue
			}
			if next, ok := u.fallback(u.state, c); ok {
				// c starts a shorter partial match: release the bytes that fell out of it.
				released := u.state + 1 - next
				out = append(out, p[:released]...)
				i++
				u.state = next
				if limited {
					if rest <= released {
						_, _ = r.Discard(i)
						return out, false, nil, nil
					}
					rest -= released
				}
				continue
			}
			// The partial match failed: release it and look at c again from state 0.
			out = append(out, p[:u.state]...)
			if limited {
				if rest <= u.state {
					u.state = 0
					_, _ = r.Discard(i)
					return out, false, nil, nil
				}
				rest -= u.state
			}
			u.state = 0
		}
		_, _ = r.Discard(i)
	}
}
