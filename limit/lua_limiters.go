package limit

import (
	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/sharedict"
)

// Registry keys of the objects' metatables.
const (
	regReqMT   = "goresty.limit.req"
	regConnMT  = "goresty.limit.conn"
	regCountMT = "goresty.limit.count"
)

// assertParams reads new's numeric arguments from index 2 on, in order, as the original's
// assert(a > 0 and b >= 0 ...) evaluates them: a non-number raises the comparison error, a
// failed condition (or NaN) stops at once with "assertion failed!".
func assertParams(l *glua.State, positive ...bool) []float64 {
	vals := make([]float64, len(positive))
	for i, pos := range positive {
		v := luaNumber(l, i+2)
		if !(v > 0 || !pos && v >= 0) {
			glua.Errorf(l, "assertion failed!")
		}
		vals[i] = v
	}
	return vals
}

// arith is the number at index as Lua arithmetic takes it (numeric strings convert).
func arith(l *glua.State, index int, name string) float64 {
	n, ok := l.ToNumber(index)
	if !ok {
		glua.Errorf(l, "attempt to perform arithmetic on local '%s' (a %s value)", name, lua.TypeName(l, index))
	}
	return n
}

// decisionTime is the time a Lua call decides at: the request's ngx.now, or, on a RedisStore,
// the server's clock.
func decisionTime(l *glua.State, b backend) instant {
	if _, ok := b.(*RedisStore); ok {
		return instant{}
	}
	return luaNow(l)
}

func reqFuncs(dicts func(string) (sharedict.Store, bool)) []glua.RegistryFunction {
	return []glua.RegistryFunction{{Name: "new", Function: func(l *glua.State) int {
		store, found := lookup(l, dicts)
		if !found {
			return notFound(l)
		}
		p := assertParams(l, true, false)
		lim, err := NewReq(store, p[0], p[1])
		luaAssert(l, err)
		return pushObject(l, lim, regReqMT, reqMethods)
	}}}
}

var reqMethods = []glua.RegistryFunction{
	{Name: "incoming", Function: func(l *glua.State) int {
		lim := self[*Req](l)
		key, nilKey := luaKey(l, 2)
		e, rate, err := lim.decide(key, decisionTime(l, lim.b), l.ToBoolean(3))
		if err != nil {
			return pushFail(l, err, nilKey)
		}
		return push2(l, e/rate, e/1000)
	}},
	{Name: "uncommit", Function: func(l *glua.State) int {
		lim := self[*Req](l)
		if err := lim.Uncommit(assertKey(l, 2)); err != nil {
			return pushFail(l, err, false)
		}
		l.PushBoolean(true)
		return 1
	}},
	{Name: "set_rate", Function: func(l *glua.State) int {
		self[*Req](l).rate.store(arith(l, 2, "rate") * 1000)
		return 0
	}},
	{Name: "set_burst", Function: func(l *glua.State) int {
		self[*Req](l).burst.store(arith(l, 2, "burst") * 1000)
		return 0
	}},
}

func connFuncs(dicts func(string) (sharedict.Store, bool)) []glua.RegistryFunction {
	return []glua.RegistryFunction{{Name: "new", Function: func(l *glua.State) int {
		store, found := lookup(l, dicts)
		if !found {
			return notFound(l)
		}
		p := assertParams(l, true, false, true)
		lim, err := NewConn(store, p[0], p[1], p[2])
		luaAssert(l, err)
		return pushObject(l, lim, regConnMT, connMethods)
	}}}
}

var connMethods = []glua.RegistryFunction{
	{Name: "incoming", Function: func(l *glua.State) int {
		lim := self[*Conn](l)
		key, nilKey := luaKey(l, 2)
		delay, conn, err := lim.Incoming(key, l.ToBoolean(3))
		if err != nil {
			return pushFail(l, err, nilKey)
		}
		return push2(l, delay, conn)
	}},
	{Name: "is_committed", Function: func(l *glua.State) int {
		l.PushBoolean(self[*Conn](l).IsCommitted())
		return 1
	}},
	{Name: "leaving", Function: func(l *glua.State) int {
		lim := self[*Conn](l)
		key := assertKey(l, 2)
		var latency float64
		measured := !l.IsNoneOrNil(3) && !(l.TypeOf(3) == glua.TypeBoolean && !l.ToBoolean(3))
		if measured {
			latency = arith(l, 3, "req_latency")
		}
		conn, err := lim.leaving(key, latency, measured)
		if err != nil {
			return pushFail(l, err, false)
		}
		l.PushNumber(conn)
		return 1
	}},
	{Name: "uncommit", Function: func(l *glua.State) int {
		lim := self[*Conn](l)
		conn, err := lim.b.connDecr(assertKey(l, 2), &lim.clock)
		if err != nil {
			return pushFail(l, err, false)
		}
		l.PushNumber(conn)
		return 1
	}},
	{Name: "set_conn", Function: func(l *glua.State) int {
		self[*Conn](l).max.store(arith(l, 2, "conn"))
		return 0
	}},
	{Name: "set_burst", Function: func(l *glua.State) int {
		self[*Conn](l).burst.store(arith(l, 2, "burst"))
		return 0
	}},
}

func countFuncs(dicts func(string) (sharedict.Store, bool)) []glua.RegistryFunction {
	return []glua.RegistryFunction{{Name: "new", Function: func(l *glua.State) int {
		store, found := lookup(l, dicts)
		if !found {
			return notFound(l)
		}
		p := assertParams(l, true, true)
		lim, err := NewCount(store, p[0], p[1])
		luaAssert(l, err)
		return pushObject(l, lim, regCountMT, countMethods)
	}}}
}

var countMethods = []glua.RegistryFunction{
	{Name: "incoming", Function: func(l *glua.State) int {
		lim := self[*Count](l)
		key, nilKey := luaKey(l, 2)
		remaining, _, err := lim.decide(key, decisionTime(l, lim.b), l.ToBoolean(3), false)
		if err != nil {
			return pushFail(l, err, nilKey)
		}
		return push2(l, 0, remaining)
	}},
	{Name: "uncommit", Function: func(l *glua.State) int {
		lim := self[*Count](l)
		remaining, err := lim.uncommit(assertKey(l, 2))
		if err != nil {
			return pushFail(l, err, false)
		}
		l.PushNumber(remaining)
		return 1
	}},
}
