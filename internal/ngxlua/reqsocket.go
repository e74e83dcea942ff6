package ngxlua

import (
	"bufio"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/upstream"
)

// ngx.req.socket() is lua-nginx-module's request socket: a cosocket object that reads the
// request body as a stream (receive, receiveany, receiveuntil, settimeout, settimeouts), as
// lua-resty-upload reads multipart bodies, so the body is never held in memory whole. It takes
// the body over (ngx.req.get_body_data is nil afterwards and the wrapped handler gets none) and
// fails with nil and lua-nginx-module's reasons: "no body" (none, empty or discarded), "request
// body already exists" (read or taken before), "chunked request bodies not supported yet".
//
// Differences: the raw socket (ngx.req.socket(true), which also writes to the client) is not
// provided ("raw request socket not supported"); settimeout and settimeouts are accepted, but
// only the server's own read timeout bounds a body read.

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
		return lua.PushFailure(l, "raw request socket not supported")
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
