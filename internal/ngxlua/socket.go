package ngxlua

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/upstream"
)

// ngx.socket.tcp is lua-nginx-module's TCP cosocket: a table whose metatable holds the methods,
// with the Go side (a *tcpSocket) at [1] once connected and the timeouts settimeout set at
// [2], [3] and [4] (connect, send, read), as lua-nginx-module keeps them. Every wait (connect,
// send, receive) gives the VM up, as a cosocket yields. Connections come from and go back to
// the Handler's keepalive pools (package upstream, on puddle); a connection the request did
// not close or keep alive is closed when the request ends.
//
// Differences, documented in package upstream: host names are resolved by Go's resolver (nginx
// needs a resolver directive); setclientcert is not provided. UDP cosockets are in udp.go,
// the request socket in reqsocket.go.

// Indexes of a cosocket table.
const (
	sockCtxIndex = 1 + iota
	sockConnectTimeoutIndex
	sockSendTimeoutIndex
	sockReadTimeoutIndex
)

// tcpSocket is a cosocket's Go side.
type tcpSocket struct {
	ps                      *upstream.Pools
	c                       *upstream.Conn
	body                    *bufio.Reader // ngx.req.socket's read side: the request body
	readClosed, writeClosed bool
	eof                     bool
	connectTO, sendTO       time.Duration
	readTO                  time.Duration
	owner                   *lua.State // the State whose release closes c
	bind                    netip.Addr // the local address of the next connect (bind)
}

// openSocket pushes the ngx.socket table. Its functions hold the socket metatable as their
// upvalue and, with connect, ps in their Go closure, so that no call looks anything up in
// the registry.
func openSocket(l *glua.State, ps *upstream.Pools) {
	connect := func(l *glua.State) int { return sockConnect(l, ps) }
	methods := []glua.RegistryFunction{
		{Name: "connect", Function: connect},
		{Name: "send", Function: sockSend},
		{Name: "receive", Function: sockReceive},
		{Name: "receiveany", Function: sockReceiveAny},
		{Name: "receiveuntil", Function: sockReceiveUntil},
		{Name: "close", Function: sockClose},
		{Name: "settimeout", Function: sockSetTimeout},
		{Name: "settimeouts", Function: sockSetTimeouts},
		{Name: "setkeepalive", Function: sockSetKeepalive},
		{Name: "getreusedtimes", Function: sockGetReusedTimes},
		{Name: "setoption", Function: sockSetOption},
		{Name: "getoption", Function: sockGetOption},
		{Name: "bind", Function: sockBind},
		{Name: "sslhandshake", Function: sockSSLHandshake},
	}
	l.CreateTable(0, 3)
	l.CreateTable(0, len(methods)+1) // the metatable, its own __index
	l.PushValue(-1)
	l.SetField(-2, "__index")
	glua.SetFunctions(l, methods, 0)
	glua.SetFunctions(l, []glua.RegistryFunction{
		{Name: "tcp", Function: socketTCP},
		{Name: "stream", Function: socketTCP},
		{Name: "connect", Function: func(l *glua.State) int { return socketConnect(l, ps) }},
	}, 1)
	openUDP(l, ps)
}

// cosocketPhases are where cosockets work.
const cosocketPhases = inOutput | inTimer

// socketTCP is ngx.socket.tcp().
func socketTCP(l *glua.State) int {
	if n := l.Top(); n != 0 {
		glua.Errorf(l, "expecting zero arguments, but got %d", n)
	}
	checkPhase(l, cosocketPhases)
	newSocket(l)
	return 1
}

// newSocket pushes a new cosocket object; the running function's upvalue is the metatable.
func newSocket(l *glua.State) {
	l.CreateTable(4, 0)
	l.PushValue(glua.UpValueIndex(1))
	l.SetMetaTable(-2)
}

// socketConnect is ngx.socket.connect(host, port?, options?): a new socket, connected.
func socketConnect(l *glua.State, ps *upstream.Pools) int {
	n := l.Top()
	if n < 1 || n > 3 {
		// lua-nginx-module's ngx.socket.connect is Lua code calling sock:connect(...).
		lua.RaisePlain(l, "ngx.socket.connect:1: ngx.socket connect: expecting 2, 3, or 4 arguments (including the object), but seen "+strconv.Itoa(n+1))
	}
	checkPhase(l, cosocketPhases)
	newSocket(l)
	l.Insert(1)
	if sockConnect(l, ps) == 2 {
		return 2
	}
	l.PushValue(1)
	return 1
}

// ownSocket returns the Go side of the cosocket at index 1, giving it one if it has none.
func ownSocket(l *glua.State) *tcpSocket {
	s := socketOf(l)
	if s == nil {
		s = &tcpSocket{}
		l.PushUserData(s)
		l.RawSetInt(1, sockCtxIndex)
	}
	return s
}

// socketOf returns the Go side of the cosocket at index 1, nil when it has none.
func socketOf(l *glua.State) *tcpSocket {
	glua.CheckType(l, 1, glua.TypeTable)
	l.RawGetInt(1, sockCtxIndex)
	s, _ := l.ToUserData(-1).(*tcpSocket)
	l.Pop(1)
	return s
}

// timeoutAt reads the timeout settimeout stored at idx of the socket table (0: the default).
func timeoutAt(l *glua.State, idx int) time.Duration {
	l.RawGetInt(1, idx)
	ms, _ := l.ToInteger(-1)
	l.Pop(1)
	return time.Duration(ms) * time.Millisecond
}

// timeouts returns the socket's connect, send and read timeouts: its own (settimeout), else
// the server's lua_socket_*_timeout.
func (s *tcpSocket) timeouts() (connect, send, read time.Duration) {
	connect, send, read = s.ps.Settings.Timeouts()
	pick := func(own, def time.Duration) time.Duration {
		if own > 0 {
			return own
		}
		return def
	}
	return pick(s.connectTO, connect), pick(s.sendTO, send), pick(s.readTO, read)
}

// logClosed logs lua-nginx-module's line for an operation on a closed socket.
func logClosed(l *glua.State, s *tcpSocket, op string) {
	var c uintptr
	eof := 0
	if s != nil {
		switch {
		case s.c != nil:
			c = uintptr(unsafe.Pointer(s.c))
		case s.body != nil: // a request socket's connection is the client's
			c = uintptr(unsafe.Pointer(s.body))
		}
		if s.eof {
			eof = 1
		}
	}
	socketError(l, fmt.Sprintf("attempt to %s data on a closed socket: u:%016X, c:%016X, ft:0 eof:%d",
		op, uintptr(unsafe.Pointer(s)), c, eof))
}

// sockConnect is tcpsock:connect(host, port, options?) and connect("unix:path", options?).
func sockConnect(l *glua.State, ps *upstream.Pools) int {
	n := l.Top()
	if n < 2 || n > 4 {
		lua.RaisePlain(l, "ngx.socket connect: expecting 2, 3, or 4 arguments (including the object), but seen "+strconv.Itoa(n))
	}
	checkPhase(l, cosocketPhases)
	glua.CheckType(l, 1, glua.TypeTable)
	host := checkString(l, 2)
	network, addr, pool := "tcp", "", host
	optIdx := 4
	switch {
	case strings.HasPrefix(host, "unix:"):
		network, addr, optIdx = "unix", host[len("unix:"):], 3
		if addr == "" {
			return lua.PushFailure(l, `failed to parse host name "`+host+`": no path in the unix domain socket`)
		}
	case host == "":
		return lua.PushFailure(l, `failed to parse host name "": no host`)
	default:
		port, ok := l.ToNumber(3)
		if n < 3 || !ok {
			return lua.PushFailure(l, "missing the port number")
		}
		p := int(port)
		if p < 0 || p > 65535 {
			return lua.PushFailure(l, "bad port number: "+strconv.Itoa(p))
		}
		pool = host + ":" + strconv.Itoa(p) // the pool's name, nginx's "host:port"
		addr = pool
		if strings.Contains(host, ":") { // an IPv6 address, bracketed or not
			addr = net.JoinHostPort(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), strconv.Itoa(p))
		}
	}
	o := upstream.DialOptions{Pool: pool, Backlog: -1}
	if n >= optIdx && l.TypeOf(optIdx) == glua.TypeTable {
		readConnectOptions(l, optIdx, &o)
	}

	s := ownSocket(l)
	if s.c != nil {
		s.close()
	}
	s.ps = ps
	if s.bind.IsValid() && network == "tcp" {
		if err := checkBindFamily(l, s.bind, addr); err != nil {
			return lua.PushFailure(l, err.Error())
		}
		o.LocalAddr = s.bind
	}
	s.connectTO = timeoutAt(l, sockConnectTimeoutIndex)
	s.sendTO = timeoutAt(l, sockSendTimeoutIndex)
	s.readTO = timeoutAt(l, sockReadTimeoutIndex)
	s.readClosed, s.writeClosed, s.eof = false, false, false
	o.Timeout, _, _ = s.timeouts()

	var c *upstream.Conn
	var err error
	ctx := context.Background()
	if stop := interrupted(l); stop != nil { // a killed light thread stops connecting
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-stop:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	refused := ps.Refuses(o.Pool)
	switch {
	case refused != nil: // a full backlog fails at once, without yielding
		err = refused
	case ps.HasIdle(o.Pool): // a kept connection is taken without yielding
		lua.WaitLazy(l, func() { c, err = ps.Dial(ctx, network, addr, o) }, ioGrace)
	default:
		lua.Wait(l, func() { c, err = ps.Dial(ctx, network, addr, o) })
	}
	if err != nil {
		return connectError(l, network, addr, err)
	}
	s.c = c
	if st := lua.Current(l); st != nil && s.owner != st.Root() {
		s.owner = st.Root() // the request's State, not a light thread's
		s.owner.OnRelease(s.close)
	}
	l.PushInteger(1)
	return 1
}

// readConnectOptions reads connect's options table: pool, pool_size, backlog.
func readConnectOptions(l *glua.State, idx int, o *upstream.DialOptions) {
	bad := func(msg string) { argError(l, idx, msg) }
	l.Field(idx, "pool")
	switch l.TypeOf(-1) {
	case glua.TypeNil:
	case glua.TypeString, glua.TypeNumber:
		o.Pool = toString(l, -1)
	default:
		bad(`bad "pool" option type: ` + typeName(l, -1))
	}
	l.Pop(1)
	for _, f := range []struct {
		name string
		min  int
		dst  *int
	}{{"pool_size", 1, &o.PoolSize}, {"backlog", 0, &o.Backlog}} {
		l.Field(idx, f.name)
		switch l.TypeOf(-1) {
		case glua.TypeNil:
		case glua.TypeNumber:
			v, _ := l.ToNumber(-1)
			if int(v) < f.min {
				bad(`bad "` + f.name + `" option value: ` + strconv.Itoa(int(v)))
			}
			*f.dst = int(v)
		default:
			bad(`bad "` + f.name + `" option type: ` + typeName(l, -1))
		}
		l.Pop(1)
	}
}

// connectError returns connect's failure and logs it as nginx does.
func connectError(l *glua.State, network, addr string, err error) int {
	switch {
	case errors.Is(err, upstream.ErrTooManyWaiting):
		return lua.PushFailure(l, err.Error())
	case errors.Is(err, upstream.ErrTimeout): // waited in the pool's backlog
		socketError(l, "lua tcp socket queued connect timed out, when trying to connect to "+addr)
		return lua.PushFailure(l, err.Error())
	case isTimeout(err):
		socketError(l, "lua tcp socket connect timed out, when connecting to "+addr)
		return lua.PushFailure(l, "timeout")
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if network == "unix" {
			logLine(l, ngx.LevelCrit, fmt.Sprintf("connect() to unix:%s failed (%d: %s)", addr, int(errno), strerror(errno)), false)
		} else {
			socketError(l, fmt.Sprintf("connect() failed (%d: %s)", int(errno), strerror(errno)))
		}
		return lua.PushFailure(l, errno.Error())
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return lua.PushFailure(l, dnsErr.Name+" could not be resolved ("+dnsErr.Err+")")
	}
	return lua.PushFailure(l, err.Error())
}

// strerror is C's strerror for errno: Go's text with its first letter upper-cased.
func strerror(e syscall.Errno) string {
	s := e.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// sockSend is tcpsock:send(data).
func sockSend(l *glua.State) int {
	if n := l.Top(); n != 2 {
		glua.Errorf(l, "expecting 2 arguments (including the object), but got %d", n)
	}
	checkPhase(l, cosocketPhases)
	s := socketOf(l)
	if s == nil || s.c == nil || s.writeClosed {
		logClosed(l, s, "send")
		return lua.PushFailure(l, "closed")
	}
	s.checkOwner(l)
	var buf []byte
	switch t := l.TypeOf(2); t {
	case glua.TypeString, glua.TypeNumber, glua.TypeNil, glua.TypeBoolean:
		buf = appendScalar(l, nil, 2)
	case glua.TypeTable:
		buf = appendTable(l, nil, 2, 2, true, "")
	default:
		argError(l, 2, "string, number, boolean, nil, or array table expected, got "+typeName(l, 2))
	}
	if len(buf) == 0 {
		l.PushInteger(0)
		return 1
	}
	var err error
	_, sendTO, _ := s.timeouts()
	s.waitIO(l, func() {
		_ = s.c.SetWriteDeadline(time.Now().Add(sendTO))
		_, err = s.c.Write(buf)
	})
	if err != nil {
		s.writeClosed = true
		if isTimeout(err) {
			socketError(l, "lua tcp socket write timed out")
			return lua.PushFailure(l, "timeout")
		}
		return lua.PushFailure(l, ioError(l, "send", err))
	}
	l.PushInteger(len(buf))
	return 1
}

// ioError logs a failed send() or recv() as nginx does and returns the Lua error string.
func ioError(l *glua.State, call string, err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		socketError(l, fmt.Sprintf("%s() failed (%d: %s)", call, int(errno), strerror(errno)))
		return errno.Error()
	}
	if errors.Is(err, net.ErrClosed) {
		return "closed"
	}
	return err.Error()
}

// receiving checks that the socket can receive and arms its read deadline; false (with the
// failure pushed) when it cannot.
func (s *tcpSocket) receiving(l *glua.State) bool {
	if s == nil || s.reader() == nil || s.readClosed {
		logClosed(l, s, "receive")
		return false
	}
	s.checkOwner(l)
	return true
}

// checkOwner raises lua-nginx-module's "bad request" when the socket is used by another
// request (or timer) than the one that connected it: its connection is that one's.
func (s *tcpSocket) checkOwner(l *glua.State) {
	if cur := lua.Current(l); s.owner != nil && cur != nil && cur.Root() != s.owner {
		glua.Errorf(l, "bad request")
	}
}

// hasLine reports whether the read buffer holds a whole line.
func (s *tcpSocket) hasLine() bool {
	r := s.reader()
	b, _ := r.Peek(r.Buffered())
	return bytes.IndexByte(b, '\n') >= 0
}

// reader returns what the socket reads from: its connection's buffer, or the request body.
func (s *tcpSocket) reader() *bufio.Reader {
	if s.c != nil {
		return s.c.Reader()
	}
	return s.body
}

// armRead sets the read deadline of a connection (a request body has none of its own: the
// server's read timeout bounds it).
func (s *tcpSocket) armRead(d time.Duration) {
	if s.c != nil {
		_ = s.c.SetReadDeadline(time.Now().Add(d))
	}
}

// waitIO runs f, a read or write of the connection, with the VM given up. A light thread
// killed meanwhile, or ngx.exit in another, cuts it short by expiring the connection's
// deadlines, as nginx drops the pending operation of a killed thread; the thread then stops
// where it resumes.
func (s *tcpSocket) waitIO(l *glua.State, f func()) {
	stop := interrupted(l)
	if stop == nil || s.c == nil {
		lua.Wait(l, f)
		return
	}
	conn := s.c.Conn()
	lua.WaitLazy(l, func() {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-stop:
				_ = conn.SetDeadline(time.Now())
			case <-done:
			}
		}()
		f()
	}, ioGrace)
}

// ioGrace is how long a send or receive of a light thread may take before the thread yields
// to the request's others: nginx yields only when the operation would block, which one that
// is done within this time is taken not to.
const ioGrace = time.Millisecond

// readResult pushes a receive's results: data, or nil, err, partial.
func (s *tcpSocket) readResult(l *glua.State, data []byte, err error) int {
	if err == nil {
		l.PushString(string(data))
		return 1
	}
	msg := "closed"
	switch {
	case errors.Is(err, io.EOF):
		s.eof = true
		s.readClosed = true
	case isTimeout(err):
		socketError(l, "lua tcp socket read timed out")
		msg = "timeout"
	default:
		s.readClosed = true
		msg = ioError(l, "recv", err)
	}
	l.PushNil()
	l.PushString(msg)
	l.PushString(string(data))
	return 3
}

// read runs f, a read of the socket, with the VM given up and the read timeout armed, and
// pushes its results. ready says that the read buffer holds what f reads: f then runs without
// waiting at all (no other thread or request runs meanwhile), as nginx returns data it has
// buffered.
func (s *tcpSocket) read(l *glua.State, ready bool, f func() ([]byte, error)) int {
	if ready {
		data, err := f()
		return s.readResult(l, data, err)
	}
	var data []byte
	var err error
	_, _, readTO := s.timeouts()
	s.waitIO(l, func() {
		s.armRead(readTO)
		data, err = f()
	})
	return s.readResult(l, data, err)
}

// sockReceive is tcpsock:receive(pattern?): "*l" (the default), "*a" or a byte count.
func sockReceive(l *glua.State) int {
	n := l.Top()
	if n != 1 && n != 2 {
		glua.Errorf(l, "expecting 1 or 2 arguments (including the object), but got %d", n)
	}
	checkPhase(l, cosocketPhases)
	s := socketOf(l)
	if !s.receiving(l) {
		return lua.PushFailure(l, "closed")
	}
	if n == 1 {
		return s.read(l, s.hasLine(), func() ([]byte, error) { return upstream.ReadLine(s.reader()) })
	}
	if l.TypeOf(2) == glua.TypeNumber || (l.TypeOf(2) == glua.TypeString && isNumeric(l, 2)) {
		f, _ := l.ToNumber(2)
		bytes := int(f)
		switch {
		case bytes < 0:
			argError(l, 2, "bad pattern argument")
		case bytes == 0:
			l.PushString("")
			return 1
		}
		return s.read(l, s.reader().Buffered() >= bytes, func() ([]byte, error) {
			return upstream.ReadN(s.reader(), bytes)
		})
	}
	if l.TypeOf(2) != glua.TypeString {
		argError(l, 2, "bad pattern argument")
	}
	pat, _ := l.ToString(2)
	if len(pat) != 2 || pat[0] != '*' {
		argError(l, 2, "bad pattern argument: "+pat)
	}
	switch pat[1] {
	case 'l':
		return s.read(l, s.hasLine(), func() ([]byte, error) { return upstream.ReadLine(s.reader()) })
	case 'a':
		return s.read(l, false, func() ([]byte, error) { return upstream.ReadAll(s.reader()) })
	}
	argError(l, 2, "bad pattern argument")
	return 0
}

// isNumeric is lua_isnumber for a string: it converts to a number.
func isNumeric(l *glua.State, idx int) bool {
	_, ok := l.ToNumber(idx)
	return ok
}

// sockReceiveAny is tcpsock:receiveany(max).
func sockReceiveAny(l *glua.State) int {
	if n := l.Top(); n != 2 {
		glua.Errorf(l, "expecting 2 arguments (including the object), but got %d", n)
	}
	checkPhase(l, cosocketPhases)
	s := socketOf(l)
	if !s.receiving(l) {
		return lua.PushFailure(l, "closed")
	}
	f, ok := l.ToNumber(2)
	if l.TypeOf(2) != glua.TypeNumber || !ok || int(f) <= 0 {
		argError(l, 2, "bad max argument")
	}
	max := int(f)
	return s.read(l, s.reader().Buffered() > 0, func() ([]byte, error) {
		return upstream.ReadAny(s.reader(), max)
	})
}

// sockReceiveUntil is tcpsock:receiveuntil(pattern, options?): an iterator reading up to each
// occurrence of pattern.
func sockReceiveUntil(l *glua.State) int {
	n := l.Top()
	if n != 2 && n != 3 {
		glua.Errorf(l, "expecting 2 or 3 arguments (including the object), but got %d", n)
	}
	checkPhase(l, cosocketPhases)
	glua.CheckType(l, 1, glua.TypeTable)
	pat := checkString(l, 2)
	inclusive := false
	if n == 3 {
		glua.CheckType(l, 3, glua.TypeTable)
		l.Field(3, "inclusive")
		switch l.TypeOf(-1) {
		case glua.TypeNil:
		case glua.TypeBoolean:
			inclusive = l.ToBoolean(-1)
		default:
			lua.RaisePlain(l, `bad "inclusive" option value type: `+typeName(l, -1))
		}
		l.Pop(1)
	}
	u, err := upstream.NewUntil(pat, inclusive)
	if err != nil {
		return lua.PushFailure(l, err.Error())
	}
	l.PushValue(1)
	l.PushUserData(u)
	l.PushGoClosure(untilIterator, 2)
	return 1
}

// untilIterator is receiveuntil's iterator(size?); upvalues: the socket table, the Until.
func untilIterator(l *glua.State) int {
	n := l.Top()
	if n > 1 {
		glua.Errorf(l, "expecting 0 or 1 arguments, but seen %d", n)
	}
	checkPhase(l, cosocketPhases)
	size := 0
	if n == 1 {
		size = max(checkInt(l, 1), 0)
	}
	l.SetTop(0)
	l.PushValue(glua.UpValueIndex(1))
	u, _ := l.ToUserData(glua.UpValueIndex(2)).(*upstream.Until)
	s := socketOf(l)
	if s == nil || s.reader() == nil || s.readClosed {
		return lua.PushFailure(l, "closed") // not logged, unlike receive
	}
	s.checkOwner(l)
	var data, partial []byte
	var done bool
	var err error
	_, _, readTO := s.timeouts()
	s.waitIO(l, func() {
		s.armRead(readTO)
		data, done, partial, err = u.Read(s.reader(), size)
	})
	switch {
	case err != nil:
		return s.readResult(l, partial, err)
	case done:
		l.PushNil()
		l.PushNil()
		l.PushNil()
		return 3
	}
	l.PushString(string(data))
	return 1
}

// close closes the connection, if any.
func (s *tcpSocket) close() {
	if s.c != nil {
		s.c.Close()
		s.c = nil
	}
}

// sockClose is tcpsock:close().
func sockClose(l *glua.State) int {
	if n := l.Top(); n != 1 {
		glua.Errorf(l, "expecting 1 argument (including the object) but seen %d", n)
	}
	checkPhase(l, cosocketPhases)
	s := socketOf(l)
	if s == nil || s.c == nil || (s.readClosed && s.writeClosed) {
		return lua.PushFailure(l, "closed")
	}
	s.checkOwner(l)
	s.close()
	l.PushInteger(1)
	return 1
}

// checkTimeout reads a timeout argument as lua-nginx-module does: a number truncated to an
// integer, from 0 to 2^31-1 milliseconds.
func checkTimeout(l *glua.State, idx int) int64 {
	f, _ := l.ToNumber(idx)
	ms := int64(f)
	if ms>>31 != 0 {
		glua.Errorf(l, "bad timeout value")
	}
	return ms
}

// sockSetTimeout is tcpsock:settimeout(ms): the connect, send and read timeouts.
func sockSetTimeout(l *glua.State) int {
	if n := l.Top(); n != 2 {
		glua.Errorf(l, "ngx.socket settimeout: expecting 2 arguments (including the object) but seen %d", n)
	}
	ms := checkTimeout(l, 2)
	return setTimeouts(l, ms, ms, ms)
}

// sockSetTimeouts is tcpsock:settimeouts(connect, send, read).
func sockSetTimeouts(l *glua.State) int {
	if n := l.Top(); n != 4 {
		glua.Errorf(l, "ngx.socket settimeout: expecting 4 arguments (including the object) but seen %d", n)
	}
	return setTimeouts(l, checkTimeout(l, 2), checkTimeout(l, 3), checkTimeout(l, 4))
}

func setTimeouts(l *glua.State, connect, send, read int64) int {
	glua.CheckType(l, 1, glua.TypeTable)
	for i, ms := range []int64{connect, send, read} {
		l.PushInteger(int(ms))
		l.RawSetInt(1, sockConnectTimeoutIndex+i)
	}
	if s := socketOf(l); s != nil {
		s.connectTO = time.Duration(connect) * time.Millisecond
		s.sendTO = time.Duration(send) * time.Millisecond
		s.readTO = time.Duration(read) * time.Millisecond
	}
	return 0
}

// sockSetKeepalive is tcpsock:setkeepalive(timeout?, size?): the connection goes to its pool.
func sockSetKeepalive(l *glua.State) int {
	n := l.Top()
	if n < 1 || n > 3 {
		glua.Errorf(l, "expecting 1 to 3 arguments (including the object), but got %d", n)
	}
	checkPhase(l, cosocketPhases)
	s := socketOf(l)
	if s == nil || s.c == nil || s.readClosed || s.writeClosed {
		return lua.PushFailure(l, "closed")
	}
	s.checkOwner(l)
	ps := s.ps
	size := 0
	if n == 3 && !l.IsNil(3) && ps.Pool(s.c.PoolName()) == nil {
		// The size counts only when the pool is made.
		if size = checkInt(l, 3); size <= 0 {
			argError(l, n, `bad "pool_size" option value: `+strconv.Itoa(size))
		}
	}
	idle, _ := ps.Settings.Keepalive()
	if n >= 2 && !l.IsNil(2) {
		// A negative timeout is a huge unsigned one in nginx: never.
		idle = time.Duration(max(checkInt(l, 2), 0)) * time.Millisecond
	}
	switch err := s.c.Keepalive(ps, idle, size); {
	case errors.Is(err, upstream.ErrUnreadData), errors.Is(err, upstream.ErrPeerClosed):
		return lua.PushFailure(l, err.Error())
	case err != nil:
		s.c = nil
		return lua.PushFailure(l, err.Error())
	}
	s.c = nil
	l.PushInteger(1)
	return 1
}

// sockGetReusedTimes is tcpsock:getreusedtimes().
func sockGetReusedTimes(l *glua.State) int {
	if n := l.Top(); n != 1 {
		glua.Errorf(l, "expecting 1 argument (including the object), but got %d", n)
	}
	s := socketOf(l)
	if s == nil || s.c == nil || (s.readClosed && s.writeClosed) {
		return lua.PushFailure(l, "closed")
	}
	l.PushInteger(s.c.Reused())
	return 1
}

// optionSocket returns the connection setoption and getoption work on: it raises for a socket
// never connected, and pushes nil, "closed" (ok false) for one closed since.
func optionSocket(l *glua.State) (c *upstream.Conn, ok bool) {
	s := socketOf(l)
	if s == nil {
		glua.Errorf(l, "socket is never created nor connected")
	}
	if s.c == nil {
		lua.PushFailure(l, "closed")
		return nil, false
	}
	return s.c, true
}

// optionResult pushes the failure of a socket option call.
func optionResult(l *glua.State, opt string, err error) int {
	if errors.Is(err, upstream.ErrUnsupportedOption) {
		return lua.PushFailure(l, "unsupported option "+opt)
	}
	return lua.PushFailure(l, err.Error())
}

// sockSetOption is tcpsock:setoption(option, value): keepalive, reuseaddr, tcp-nodelay, sndbuf
// or rcvbuf, a boolean or a number; it returns true.
func sockSetOption(l *glua.State) int {
	c, ok := optionSocket(l)
	switch {
	case !ok:
		return 2
	case l.IsNoneOrNil(2):
		return lua.PushFailure(l, `missing the "option" argument`)
	case l.IsNoneOrNil(3):
		return lua.PushFailure(l, `missing the "value" argument`)
	}
	opt := checkString(l, 2)
	v := 0
	if l.TypeOf(3) == glua.TypeBoolean {
		if l.ToBoolean(3) {
			v = 1
		}
	} else {
		v = checkInt(l, 3)
	}
	if err := c.SetOption(opt, v); err != nil {
		return optionResult(l, opt, err)
	}
	l.PushBoolean(true)
	return 1
}

// sockGetOption is tcpsock:getoption(option): the option's value, a number.
func sockGetOption(l *glua.State) int {
	c, ok := optionSocket(l)
	switch {
	case !ok:
		return 2
	case l.IsNoneOrNil(2):
		return lua.PushFailure(l, `missing the "option" argument`)
	}
	opt := checkString(l, 2)
	v, err := c.Option(opt)
	if err != nil {
		return optionResult(l, opt, err)
	}
	l.PushInteger(v)
	return 1
}

// sslhandshake is tcpsock:sslhandshake(reused_session?, server_name?, ssl_verify?,
// send_status_req?), lua-resty-core's: the session to resume later (true when reused_session
// is false), or nil and the error. A connection that is TLS already (one taken from a pool)
// returns reused_session at once.
func sockSSLHandshake(l *glua.State) int {
	n := l.Top()
	if n < 1 || n > 5 || l.TypeOf(1) == glua.TypeNil {
		seen := 0
		if n >= 1 && l.TypeOf(1) != glua.TypeNil {
			seen = n
		}
		glua.Errorf(l, "ngx.socket sslhandshake: expecting 1 ~ 5 arguments (including the object), but seen %d", seen)
	}
	l.SetTop(5)
	glua.CheckType(l, 1, glua.TypeTable)
	l.RawGetInt(1, sockCtxIndex)
	s, _ := l.ToUserData(-1).(*tcpSocket)
	l.Pop(1)
	if s == nil {
		glua.Errorf(l, "socket is never created nor connected")
	}
	checkPhase(l, cosocketPhases)
	if s.c == nil || s.readClosed || s.writeClosed {
		return lua.PushFailure(l, "closed")
	}
	if s.c.IsTLS() {
		l.PushValue(2)
		return 1
	}
	ps := s.ps
	o := upstream.HandshakeOptions{
		Verify:      l.ToBoolean(4),
		RootCAs:     ps.RootCAs,
		VerifyDepth: ps.Settings.VerifyDepth,
	}
	o.Timeout, _, _ = s.timeouts()
	o.Session, _ = l.ToUserData(2).(*upstream.Session)
	if l.TypeOf(3) == glua.TypeString {
		o.ServerName, _ = l.ToString(3)
	}
	var sess *upstream.Session
	var err error
	lua.Wait(l, func() { sess, err = s.c.Handshake(context.Background(), o) })
	if err != nil {
		var ve *upstream.VerifyError
		switch {
		case errors.As(err, &ve):
			socketError(l, "lua ssl certificate verify error: ("+ve.Error()+")")
			err = ve
		case errors.Is(err, upstream.ErrHostMismatch):
			socketError(l, `lua ssl certificate does not match host "`+o.ServerName+`"`)
		case errors.Is(err, upstream.ErrTimeout):
			socketError(l, "lua ssl handshake timed out")
		default:
			socketError(l, "lua ssl handshake failed: "+err.Error())
			err = upstream.ErrHandshake
		}
		s.close()
		return lua.PushFailure(l, err.Error())
	}
	if l.TypeOf(2) == glua.TypeBoolean && !l.ToBoolean(2) {
		l.PushBoolean(true)
	} else {
		l.PushUserData(sess)
	}
	return 1
}

// sockBind is tcpsock:bind(ip): the local address of the next connect, an IP address.
func sockBind(l *glua.State) int {
	if n := l.Top(); n != 2 {
		glua.Errorf(l, "expecting 2 arguments, but got %d", n)
	}
	glua.CheckType(l, 1, glua.TypeTable)
	ip, err := netip.ParseAddr(toStringAny(l, 2))
	if err != nil || ip.Zone() != "" {
		return lua.PushFailure(l, "bad address")
	}
	ownSocket(l).bind = ip
	l.PushBoolean(true)
	return 1
}

// checkBindFamily refuses, as the kernel refuses nginx's bind(), a local address of another
// family than the peer's (Go would map an IPv4 peer into IPv6); the error is logged as nginx
// logs it.
func checkBindFamily(l *glua.State, local netip.Addr, peer string) error {
	host, _, _ := net.SplitHostPort(peer)
	p, err := netip.ParseAddr(host)
	if err != nil || p.Unmap().Is4() == local.Unmap().Is4() {
		return nil
	}
	e := syscall.EAFNOSUPPORT
	logLine(l, ngx.LevelCrit, fmt.Sprintf("bind(%s) failed (%d: %s)", local, int(e), strerror(e)), false)
	return e
}
