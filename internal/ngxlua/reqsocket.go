package ngxlua

import (
	"bufio"
	"net"
	"net/http"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/upstream"
)

// ngx.req.socket() is lua-nginx-module's request socket: a cosocket object that reads the
// request body as a stream (receive, receiveany, receiveuntil, settimeout, settimeouts), as
// lua-resty-upload reads multipart bodies, so the body is never held in memory whole. It takes
// the body over (ngx.req.get_body_data is nil afterwards and the wrapped handler gets none) and
// fails with nil and lua-nginx-module's reasons: "no body" (none, empty or discarded), "request
// body already exists" (read or taken before), "chunked request bodies not supported yet".
//
// ngx.req.socket(true) is the raw socket: the client's connection itself, taken over from
// net/http, full duplex (receive, receiveany, receiveuntil, send, settimeout, settimeouts), as
// a WebSocket server in Lua (lua-resty-websocket) uses it after sending its 101. What was
// sent before (ngx.send_headers, ngx.say) goes out first; the body not read yet is read from
// it; the response is then over for the pipeline (nothing more is written but what send
// writes), the log phase still runs, and the connection closes when the request ends. It
// fails with nil and "raw request socket not supported" where net/http cannot hand the
// connection over (HTTP/2). Difference: the unread body is still there after a 101 or when
// nothing was sent, but after another status went out net/http has read it away.
//
// Differences: settimeout and settimeouts of the body socket are accepted, but only the
// server's own read timeout bounds a body read.

// reqSocketMethods are the request socket's methods.
var reqSocketMethods = []glua.RegistryFunction{
	{Name: "receive", Function: sockReceive},
	{Name: "receiveany", Function: sockReceiveAny},
	{Name: "receiveuntil", Function: sockReceiveUntil},
	{Name: "settimeout", Function: sockSetTimeout},
	{Name: "settimeouts", Function: sockSetTimeouts},
}

// pushReqSocket pushes ngx.req.socket, with the request socket's metatable as its upvalue.
func pushReqSocket(l *glua.State, ps *upstream.Pools) {
	l.CreateTable(0, len(reqSocketMethods)+1)
	l.PushValue(-1)
	l.SetField(-2, "__index")
	glua.SetFunctions(l, reqSocketMethods, 0)
	l.PushGoClosure(func(l *glua.State) int { return reqSocket(l, ps) }, 1)
}

// reqSocket is ngx.req.socket(raw?).
func reqSocket(l *glua.State, ps *upstream.Pools) int {
	if n := l.Top(); n > 1 {
		glua.Errorf(l, "expecting zero arguments, but got %d", n)
	}
	r := checkPhase(l, inOutput)
	if l.ToBoolean(1) {
		return rawReqSocket(l, r, ps)
	}
	body, err := r.BodyStream()
	if err != nil {
		return lua.PushFailure(l, err.Error())
	}
	l.CreateTable(4, 0)
	l.PushValue(glua.UpValueIndex(1))
	l.SetMetaTable(-2)
	l.PushUserData(&tcpSocket{ps: ps, body: bufio.NewReaderSize(body, upstream.BufferSize),
		owner: lua.Current(l).Root()})
	l.RawSetInt(-2, sockCtxIndex)
	return 1
}

// rawReqSocketMethods are the raw request socket's methods: the body socket's and send.
var rawReqSocketMethods = append([]glua.RegistryFunction{{Name: "send", Function: sockSend}}, reqSocketMethods...)

// rawReqSocket is ngx.req.socket(true): it takes the client's connection over.
func rawReqSocket(l *glua.State, r *ngx.Request, ps *upstream.Pools) int {
	if r.IsSubrequest() {
		return lua.PushFailure(l, "raw request socket not supported in subrequests")
	}
	var conn net.Conn
	var buf *bufio.ReadWriter
	err := writing(l, func() error {
		var err error
		conn, buf, err = http.NewResponseController(r.UnderlyingWriter()).Hijack()
		if err == nil {
			err = buf.Flush() // what net/http held of the response so far
		}
		return err
	})
	if err != nil {
		if conn != nil {
			conn.Close()
		}
		return lua.PushFailure(l, "raw request socket not supported")
	}
	r.MarkDone()
	l.CreateTable(4, 0)
	l.CreateTable(0, len(rawReqSocketMethods)+1)
	l.PushValue(-1)
	l.SetField(-2, "__index")
	glua.SetFunctions(l, rawReqSocketMethods, 0)
	l.SetMetaTable(-2)
	s := &tcpSocket{ps: ps, c: upstream.WrapConn(conn, buf.Reader), owner: lua.Current(l).Root()}
	s.owner.OnRelease(s.close) // the request's end closes the connection, as nginx's does
	l.PushUserData(s)
	l.RawSetInt(-2, sockCtxIndex)
	return 1
}
