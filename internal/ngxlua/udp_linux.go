//go:build linux

package ngxlua

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/upstream"
)

// ngx.socket.udp is lua-nginx-module's (0.10.23) UDP cosocket: a table whose metatable holds
// setpeername, send, receive, settimeout and close, with the Go side (a *udpSocket, a
// userdata with a metatable of its own) at [1] once setpeername ran, and the raw argument of
// settimeout at [2], as lua-nginx-module keeps them. 0.10.23 has no bind.
//
// The socket is made as nginx makes it (no SO_BROADCAST, a datagram unix socket autobound so
// that its peer can answer), and a socket whose connect() failed stays open, unconnected, as
// in nginx. send is one non-blocking send(); receive one recv() of a datagram (of at most
// 65536 bytes, cut to the size asked), waiting for the read timeout with the VM given up.
// Errors are logged as nginx logs them (ngx_connection_error's levels). A socket belongs to the
// request (or timer) that set its peer: others get "bad request"; it is closed when that
// request ends, and is seen closed from its log_by_lua on, as in nginx. A light thread killed
// while it waits in receive leaves the socket closed, as nginx's cleanup does.
//
// Differences: host names are resolved by Go's resolver, as the TCP cosocket's are (nginx
// answers "no resolver defined to resolve ..." without a resolver directive, and takes as names
// what its address parser rejects: "255.255.255.255", "127.1", "1.2.3"); the errno that
// "send() returned zero" (an empty datagram) logs is the last one of this socket, where nginx
// logs the worker's errno of the moment; a receive that would wait in a phase that cannot
// yield (a filter) raises "attempt to yield across C-call boundary" and leaves the socket busy
// for the rest of the request, where nginx closes it when the Lua thread that ran the filter
// ends (and its read timer resumes the request in an undefined way); a receive on a socket
// whose connect() failed waits for the read timeout (nginx's has no read handler then).

// Indexes of a UDP cosocket table.
const (
	udpCtxIndex     = 1
	udpTimeoutIndex = 2
)

const (
	// udpMaxDatagram is receive's default and largest size.
	udpMaxDatagram = 65536
	// udpResolveTimeout is resolver_timeout's default.
	udpResolveTimeout = 30 * time.Second
)

// udpSocket is a UDP cosocket's Go side.
type udpSocket struct {
	// mu guards c, which the end of the request closes from its goroutine.
	mu sync.Mutex
	c  net.Conn // nil: never set, closed, or its peer could not be parsed
	// The rest is used by Lua code only, with the VM held.
	readTO     time.Duration   // 0: lua_socket_read_timeout
	owner      any             // the request (or timer run) that set the peer: udpOwner
	registered bool            // the request's State closes the socket when released
	waiting    bool            // a receive is in progress (or was left so): "socket busy"
	waitStop   <-chan struct{} // closed when the light thread that waits is killed
	waitGen    int             // counts waits, so that an ended one leaves a later one alone
	errno      syscall.Errno   // the last error of the socket's system calls
}

// udpBuffers are receive's buffers: nginx reads every datagram into one of the largest size.
var udpBuffers = sync.Pool{New: func() any { return new([udpMaxDatagram]byte) }}

// openUDP sets ngx.socket.udp in the ngx.socket table at the top of the stack; openSocket
// calls it. As ngx.socket.tcp's, its functions look nothing up in the registry: udp holds the
// sockets' metatable as its upvalue, setpeername the metatable of their Go side, and receive
// ps (for lua_socket_read_timeout) in its Go closure.
func openUDP(l *glua.State, ps *upstream.Pools) {
	l.CreateTable(0, 6) // the sockets' metatable, its own __index
	l.PushValue(-1)
	l.SetField(-2, "__index")
	l.CreateTable(0, 1) // the Go side's metatable
	l.PushGoFunction(udpGC)
	l.SetField(-2, "__gc")
	l.PushGoClosure(udpSetPeerName, 1)
	l.SetField(-2, "setpeername")
	glua.SetFunctions(l, []glua.RegistryFunction{
		{Name: "send", Function: udpSend},
		{Name: "receive", Function: func(l *glua.State) int { return udpReceive(l, ps) }},
		{Name: "settimeout", Function: udpSetTimeout},
		{Name: "close", Function: udpClose},
	}, 0)
	l.PushGoClosure(socketUDP, 1)
	l.SetField(-2, "udp")
}

// udpGC is the __gc of a socket's Go side: it closes the socket.
func udpGC(l *glua.State) int {
	if s, ok := l.ToUserData(1).(*udpSocket); ok {
		s.close()
	}
	return 0
}

// socketUDP is ngx.socket.udp().
func socketUDP(l *glua.State) int {
	if n := l.Top(); n != 0 {
		glua.Errorf(l, "expecting zero arguments, but got %d", n)
	}
	udpRequest(l, "no request found")
	checkPhase(l, cosocketPhases)
	l.CreateTable(3, 1)
	l.PushValue(glua.UpValueIndex(1))
	l.SetMetaTable(-2)
	return 1
}

// udpRequest raises msg where lua-nginx-module finds no request: init_by_lua.
func udpRequest(l *glua.State, msg string) {
	if phaseOf(l) == ngx.PhaseInit {
		glua.Errorf(l, "%s", msg)
	}
}

// udpRequestKey identifies a request: Requests are pooled, so a pointer alone may come back.
type udpRequestKey struct {
	r     *ngx.Request
	start time.Time
}

// udpOwner returns what identifies the running request (its light threads included), or
// timer run, as lua-nginx-module's u->request does.
func udpOwner(l *glua.State) any {
	s := lua.Current(l)
	if s == nil {
		return nil
	}
	if r, ok := s.Data.(*ngx.Request); ok && r != nil {
		return udpRequestKey{r, r.StartTime()}
	}
	return s.Data
}

// udpOf returns the Go side of the socket at index 1, nil when it has none. It raises the
// argument error of a non-table self.
func udpOf(l *glua.State) *udpSocket {
	if l.TypeOf(1) != glua.TypeTable {
		typeError(l, 1, "table")
	}
	l.RawGetInt(1, udpCtxIndex)
	s, _ := l.ToUserData(-1).(*udpSocket)
	l.Pop(1)
	switch {
	case s == nil:
	case s.waiting && udpStopped(s.waitStop):
		// The light thread that waited was killed: nginx closed the socket then.
		s.close()
		s.waiting, s.waitStop = false, nil
		s.waitGen++
	case phaseOf(l) == ngx.PhaseLog && s.owner == udpOwner(l):
		// nginx has closed the request's UDP sockets when its log phase runs.
		s.close()
	}
	return s
}

// conn returns the socket's connection, nil when closed.
func (s *udpSocket) conn() net.Conn {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c
}

// close closes the connection, if any.
func (s *udpSocket) close() {
	s.closeConn(s.conn())
}

// closeConn closes c if it is still the socket's connection.
func (s *udpSocket) closeConn(c net.Conn) {
	if c == nil {
		return
	}
	s.mu.Lock()
	mine := s.c == c
	if mine {
		s.c = nil
	}
	s.mu.Unlock()
	if mine {
		_ = c.Close()
	}
}

// udpStopped reports whether ch, if any, is closed.
func udpStopped(ch <-chan struct{}) bool {
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// usable checks what send, receive and close check after finding the socket open: that it
// belongs to the running request ("bad request", raised) and is not busy (false, with the
// failure pushed).
func (s *udpSocket) usable(l *glua.State) bool {
	if s.owner != udpOwner(l) {
		glua.Errorf(l, "bad request")
	}
	if s.waiting {
		lua.PushFailure(l, "socket busy")
		return false
	}
	return true
}

// logUDPClosed logs lua-nginx-module's line for a send or receive on a closed socket.
func logUDPClosed(l *glua.State, s *udpSocket, op string) {
	socketError(l, fmt.Sprintf("attempt to %s data on a closed socket: u:%016X, c:%016X",
		op, uintptr(unsafe.Pointer(s)), 0))
}

// udpSetPeerName is udpsock:setpeername(host, port) and setpeername("unix:path"); its upvalue
// is the metatable of the sockets' Go side.
func udpSetPeerName(l *glua.State) int {
	n := l.Top()
	if n != 2 && n != 3 {
		glua.Errorf(l, "ngx.socket.udp setpeername: expecting 2 or 3 arguments (including the object), but seen %d", n)
	}
	udpRequest(l, "no request found")
	checkPhase(l, cosocketPhases)
	if l.TypeOf(1) != glua.TypeTable {
		typeError(l, 1, "table")
	}
	host := checkString(l, 2)
	port := 0
	if n == 3 {
		port = int(int32(int64(checkNumber(l, 3)))) // luaL_checkinteger into a C int
		if port < 0 || port > 65535 {
			return lua.PushFailure(l, "bad port number: "+strconv.Itoa(port))
		}
	}

	owner := udpOwner(l)
	s := udpOf(l)
	if s != nil {
		if s.owner != nil && s.owner != owner {
			glua.Errorf(l, "bad request")
		}
		if s.waiting {
			return lua.PushFailure(l, "socket busy")
		}
		s.close()
	} else {
		s = &udpSocket{}
		l.PushUserData(s)
		l.PushValue(glua.UpValueIndex(1))
		l.SetMetaTable(-2)
		l.RawSetInt(1, udpCtxIndex)
	}
	s.owner, s.waiting = owner, false
	s.readTO = 0
	l.RawGetInt(1, udpTimeoutIndex)
	if ms, _ := l.ToNumber(-1); ms >= 1 {
		s.readTO = udpMillis(ms)
	}
	l.Pop(1)
	if st := lua.Current(l); st != nil && !s.registered {
		// Closed with the request: its State, not a light thread's; a subrequest's socket
		// lives as long as the main request, whose pool nginx's subrequests share.
		s.registered = true
		st.Root().OnRelease(s.close)
	}

	sa, name, perr := parseUDPPeer(host, port)
	if perr != "" {
		return lua.PushFailure(l, `failed to parse host name "`+cString(host)+`": `+perr)
	}
	if sa == nil {
		var err error
		ctx, cancel := context.WithTimeout(context.Background(), udpResolveTimeout)
		s.wait(l, cancel, func() { sa, err = resolveUDPPeer(ctx, name, port) })
		cancel()
		if err != nil {
			return lua.PushFailure(l, err.Error())
		}
	}
	return s.connect(l, sa)
}

// wait runs f with the VM given up and the socket busy meanwhile. When the light thread that
// waits is killed (or ngx.exit ends it), stop cuts f short at once, as nginx's cleanup of the
// pending operation does (closing the socket of a receive), and the thread ends.
func (s *udpSocket) wait(l *glua.State, stop func(), f func()) {
	killed := interrupted(l)
	s.waitGen++
	gen := s.waitGen
	s.waiting, s.waitStop = true, killed
	ended := make(chan struct{})
	if killed != nil {
		go func() {
			select {
			case <-killed:
				stop()
			case <-ended:
			}
		}()
	}
	defer func() {
		close(ended)
		if s.waitGen == gen {
			s.waiting, s.waitStop = false, nil
			if udpStopped(killed) {
				stop()
			}
		}
	}()
	lua.Wait(l, f)
}

// udpMillis is a timeout in milliseconds, as a C cast of ms to an integer takes it.
func udpMillis(ms float64) time.Duration {
	return time.Duration(min(ms, math.MaxInt32)) * time.Millisecond
}

// connect makes the socket and connects it to sa, as lua-nginx-module's ngx_http_lua_udp_connect
// does, and pushes setpeername's results. A socket whose connect() fails is kept, unconnected.
func (s *udpSocket) connect(l *glua.State, sa syscall.Sockaddr) int {
	family := syscall.AF_INET
	switch sa.(type) {
	case *syscall.SockaddrInet6:
		family = syscall.AF_INET6
	case *syscall.SockaddrUnix:
		family = syscall.AF_UNIX
	}
	fd, err := syscall.Socket(family, syscall.SOCK_DGRAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return s.sysFailure(l, ngx.LevelAlert, "socket() failed", err)
	}
	if family == syscall.AF_UNIX {
		// An autobind, so that the peer can answer (Linux's SO_PASSCRED build of nginx).
		if err := syscall.Bind(fd, &syscall.SockaddrUnix{}); err != nil {
			syscall.Close(fd)
			return s.sysFailure(l, ngx.LevelCrit, "bind() failed", err)
		}
	}
	cerr := syscall.Connect(fd, sa)
	f := os.NewFile(uintptr(fd), "udp")
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return lua.PushFailure(l, "error")
	}
	s.mu.Lock()
	s.c = c
	s.mu.Unlock()
	if cerr != nil {
		return s.sysFailure(l, ngx.LevelCrit, "connect() failed", cerr)
	}
	l.PushInteger(1)
	return 1
}

// sysFailure logs a failed system call at level as "call failed (errno: text)" and pushes nil
// and the error's text in lower case, as lua-nginx-module returns it.
func (s *udpSocket) sysFailure(l *glua.State, level ngx.Level, what string, err error) int {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return lua.PushFailure(l, "error")
	}
	s.errno = errno
	logLine(l, level, fmt.Sprintf("%s (%d: %s)", what, int(errno), strerror(errno)), false)
	return lua.PushFailure(l, strings.ToLower(strerror(errno)))
}

// connectionErrorLevel is the level nginx's ngx_connection_error logs errno at.
func connectionErrorLevel(errno syscall.Errno) ngx.Level {
	switch errno {
	case 0, syscall.ECONNRESET, syscall.EPIPE, syscall.ENOTCONN, syscall.ETIMEDOUT,
		syscall.ECONNREFUSED, syscall.ENETDOWN, syscall.ENETUNREACH, syscall.EHOSTDOWN,
		syscall.EHOSTUNREACH:
		return ngx.LevelErr
	}
	return ngx.LevelAlert
}

// parseUDPPeer parses setpeername's host as nginx's ngx_parse_url does (no resolving, no URI
// part), with port the default port: the address to connect to, or the name to resolve, or
// what is wrong with host.
func parseUDPPeer(host string, port int) (sa syscall.Sockaddr, name, perr string) {
	switch {
	case len(host) >= 5 && strings.EqualFold(host[:5], "unix:"):
		path := cString(host[5:])
		if len(host) == 5 {
			return nil, "", "no path in the unix domain socket"
		}
		if len(path)+1 > len(syscall.RawSockaddrUnix{}.Path) {
			return nil, "", "too long path in the unix domain socket"
		}
		if strings.HasPrefix(path, "@") {
			path = "./" + path // a file name to nginx; Go would take it as an abstract name
		}
		return &syscall.SockaddrUnix{Name: path}, "", ""
	case strings.HasPrefix(host, "["):
		return parseUDPPeer6(host, port)
	}
	last := len(host)
	if i := strings.IndexAny(host, "/?"); i >= 0 {
		return nil, "", "invalid host"
	}
	urlPort := port
	if i := strings.IndexByte(host, ':'); i >= 0 {
		if urlPort = ngxAtoi(host[i+1:]); urlPort < 1 || urlPort > 65535 {
			return nil, "", "invalid port"
		}
		last = i
	}
	if last == 0 {
		return nil, "", "no host"
	}
	if ip, ok := ngxInetAddr(host[:last]); ok {
		return &syscall.SockaddrInet4{Port: urlPort, Addr: ip}, "", ""
	}
	// A name: nginx resolves it all, port included, and connects to the port argument.
	return nil, host, ""
}

// parseUDPPeer6 parses "[address]" and "[address]:port".
func parseUDPPeer6(host string, port int) (sa syscall.Sockaddr, name, perr string) {
	end := strings.IndexByte(host, ']')
	if end < 0 {
		return nil, "", "invalid host"
	}
	rest := host[end+1:]
	if strings.IndexByte(rest, '/') >= 0 {
		return nil, "", "invalid host"
	}
	if rest != "" {
		if rest[0] != ':' {
			return nil, "", "invalid host"
		}
		if port = ngxAtoi(rest[1:]); port < 1 || port > 65535 {
			return nil, "", "invalid port"
		}
	}
	text := host[1:end]
	if text == "" {
		return nil, "", "no host"
	}
	ip, err := netip.ParseAddr(text)
	if err != nil || !ip.Is6() || ip.Zone() != "" {
		return nil, "", "invalid IPv6 address"
	}
	return &syscall.SockaddrInet6{Port: port, Addr: ip.As16()}, "", ""
}

// ngxAtoi is nginx's ngx_atoi: decimal digits only, -1 for anything else or an overflow.
func ngxAtoi(s string) int {
	if s == "" {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' || n > (math.MaxInt64-9)/10 {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// ngxInetAddr is nginx's ngx_inet_addr: a dotted quad of decimal octets (empty ones and leading
// zeros allowed); 255.255.255.255 is its "none".
func ngxInetAddr(s string) ([4]byte, bool) {
	var addr, octet uint32
	dots := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if octet = octet*10 + uint32(c-'0'); octet > 255 {
				return [4]byte{}, false
			}
		case c == '.':
			addr, octet = addr<<8+octet, 0
			dots++
		default:
			return [4]byte{}, false
		}
	}
	addr = addr<<8 + octet
	if dots != 3 || addr == math.MaxUint32 {
		return [4]byte{}, false
	}
	return [4]byte{byte(addr >> 24), byte(addr >> 16), byte(addr >> 8), byte(addr)}, true
}

// cString is s up to its first NUL byte, as C reads it.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// resolveUDPPeer resolves name with Go's resolver and picks one of its addresses at random, as
// nginx's resolver handler does; errors are worded as nginx's resolver words them.
func resolveUDPPeer(ctx context.Context, name string, port int) (syscall.Sockaddr, error) {
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", name)
	if err == nil && len(addrs) == 0 {
		err = &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
	}
	if err != nil {
		var dnsErr *net.DNSError
		reason := "2: Server failure"
		switch {
		case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
			reason = "3: Host not found"
		case isTimeout(err):
			reason = "110: Operation timed out"
		}
		return nil, errors.New(name + " could not be resolved (" + reason + ")")
	}
	ip := addrs[rand.IntN(len(addrs))].Unmap()
	if ip.Is4() {
		return &syscall.SockaddrInet4{Port: port, Addr: ip.As4()}, nil
	}
	return &syscall.SockaddrInet6{Port: port, Addr: ip.As16()}, nil
}

// udpSend is udpsock:send(data): data a string, number, boolean, nil or array table of
// strings, numbers and such tables, sent as one datagram.
func udpSend(l *glua.State) int {
	if n := l.Top(); n != 2 {
		glua.Errorf(l, "expecting 2 arguments (including the object), but got %d", n)
	}
	udpRequest(l, "request object not found")
	s := udpOf(l)
	c := s.conn()
	if c == nil {
		logUDPClosed(l, s, "send")
		return lua.PushFailure(l, "closed")
	}
	if !s.usable(l) {
		return 2
	}
	var buf []byte
	switch l.TypeOf(2) {
	case glua.TypeString, glua.TypeNumber, glua.TypeNil, glua.TypeBoolean:
		buf = appendScalar(l, nil, 2)
	case glua.TypeTable:
		buf = appendTable(l, nil, 2, 2, true, "")
	default:
		argError(l, 2, "string, number, boolean, nil, or array table expected, got "+typeName(l, 2))
	}
	// One non-blocking send(), as ngx_send: nginx does not wait for a UDP socket to be
	// writable.
	var errno syscall.Errno
	err := rawWrite(c, func(fd int) {
		if e := syscall.Sendto(fd, buf, 0, nil); e != nil {
			errno, _ = e.(syscall.Errno)
		}
	})
	switch {
	case err != nil:
		return lua.PushFailure(l, "error")
	case errno == syscall.EAGAIN:
		s.errno = errno
		return lua.PushFailure(l, strings.ToLower(strerror(errno)))
	case errno != 0:
		s.errno = errno
		logLine(l, connectionErrorLevel(errno), fmt.Sprintf("send() failed (%d: %s)", int(errno), strerror(errno)), false)
		return lua.PushFailure(l, strings.ToLower(strerror(errno)))
	case len(buf) == 0:
		msg := "send() returned zero"
		if s.errno != 0 {
			msg += fmt.Sprintf(" (%d: %s)", int(s.errno), strerror(s.errno))
		}
		logLine(l, ngx.LevelAlert, msg, false)
	}
	l.PushInteger(1)
	return 1
}

// rawWrite runs f once on c's descriptor.
func rawWrite(c net.Conn, f func(fd int)) error {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return errors.ErrUnsupported
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	return rc.Write(func(fd uintptr) bool {
		f(int(fd))
		return true
	})
}

// udpReceive is udpsock:receive(size?): one datagram, cut to size bytes (at most 65536, the
// default), or nil and an error ("timeout" after the read timeout).
func udpReceive(l *glua.State, ps *upstream.Pools) int {
	n := l.Top()
	if n != 1 && n != 2 {
		glua.Errorf(l, "expecting 1 or 2 arguments (including the object), but got %d", n)
	}
	udpRequest(l, "no request found")
	s := udpOf(l)
	c := s.conn()
	if c == nil {
		logUDPClosed(l, s, "receive")
		return lua.PushFailure(l, "closed")
	}
	if !s.usable(l) {
		return 2
	}
	size := udpMaxDatagram
	if n == 2 && !l.IsNil(2) {
		size = udpRecvSize(checkNumber(l, 2))
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return lua.PushFailure(l, "error")
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return lua.PushFailure(l, "error")
	}
	buf := udpBuffers.Get().(*[udpMaxDatagram]byte)
	defer udpBuffers.Put(buf)
	got, errno := -1, syscall.Errno(0)
	// recv is one recv() of a datagram; false when it would wait.
	recv := func(fd uintptr) bool {
		for {
			m, e := syscall.Read(int(fd), buf[:])
			switch e := e.(type) {
			case nil:
				got = m
				return true
			case syscall.Errno:
				errno = e
				if e == syscall.EINTR {
					continue
				}
				return e != syscall.EAGAIN
			}
			return true
		}
	}
	if cosocketPhases&(1<<phaseOf(l)) == 0 {
		// A phase that cannot yield: a read that would wait is LuaJIT's yield error there.
		_ = c.SetReadDeadline(time.Time{})
		err = rc.Read(func(fd uintptr) bool { recv(fd); return true })
		if err == nil && got < 0 && errno == syscall.EAGAIN {
			s.errno = errno
			s.waiting = true
			lua.RaisePlain(l, "attempt to yield across C-call boundary")
		}
	} else {
		timeout := s.readTO
		if timeout <= 0 {
			_, _, timeout = ps.Settings.Timeouts()
		}
		s.wait(l, func() { s.closeConn(c) }, func() {
			_ = c.SetReadDeadline(time.Now().Add(timeout))
			err = rc.Read(recv)
		})
	}
	if errno != 0 {
		s.errno = errno
	}
	switch {
	case err != nil && isTimeout(err):
		socketError(l, "lua udp socket read timed out")
		return lua.PushFailure(l, "timeout")
	case err != nil:
		return lua.PushFailure(l, "error")
	case got < 0:
		logLine(l, connectionErrorLevel(errno), fmt.Sprintf("recv() failed (%d: %s)", int(errno), strerror(errno)), false)
		return lua.PushFailure(l, strings.ToLower(strerror(errno)))
	}
	l.PushString(string(buf[:min(got, size)]))
	return 1
}

// udpRecvSize converts receive's size as C's (size_t) cast of a double does on amd64, then
// caps it at 65536: negative sizes and NaN wrap to huge ones, sizes from 2^64 to 0.
func udpRecvSize(f float64) int {
	switch {
	case math.IsNaN(f), f <= -1:
		return udpMaxDatagram
	case f < 1:
		return 0
	case f >= 1<<64:
		return 0
	case f >= udpMaxDatagram:
		return udpMaxDatagram
	}
	return int(f)
}

// udpSetTimeout is udpsock:settimeout(ms): the read timeout; 0 or less restores
// lua_socket_read_timeout.
func udpSetTimeout(l *glua.State) int {
	if n := l.Top(); n != 2 {
		glua.Errorf(l, "ngx.socket settimeout: expecting at least 2 arguments (including the object) but seen %d", n)
	}
	if l.TypeOf(1) != glua.TypeTable {
		typeError(l, 1, "table")
	}
	ms, _ := l.ToNumber(2)
	l.PushValue(2)
	l.RawSetInt(1, udpTimeoutIndex)
	l.RawGetInt(1, udpCtxIndex)
	if s, ok := l.ToUserData(-1).(*udpSocket); ok {
		s.readTO = 0
		if ms >= 1 {
			s.readTO = udpMillis(ms)
		}
	}
	l.Pop(1)
	return 0
}

// udpClose is udpsock:close().
func udpClose(l *glua.State) int {
	if n := l.Top(); n != 1 {
		glua.Errorf(l, "expecting 1 argument (including the object) but seen %d", n)
	}
	udpRequest(l, "no request found")
	s := udpOf(l)
	if s.conn() == nil {
		return lua.PushFailure(l, "closed")
	}
	if !s.usable(l) {
		return 2
	}
	s.close()
	l.PushInteger(1)
	return 1
}
