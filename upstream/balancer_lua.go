package upstream

import (
	"maps"
	"math"
	"math/rand/v2"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

// LuaModules returns the loaders of the Lua modules resty.chash and resty.roundrobin by module
// name, for a Handler to offer to require. Each loader pushes a new module table and returns 1.
//
// The modules are lua-resty-balancer's (whose resty.chash needs LuaJIT's FFI and a C library),
// on CHash and RoundRobin: class:new(nodes) with nodes a table {id = weight}, and obj:reinit(nodes),
// obj:set(id, weight), obj:delete(id), obj:incr(id, weight?), obj:decr(id, weight?) (step 1 by
// default), obj:find(key) and obj:next(index) for resty.chash (returning the id and the index
// of its point on the ring) and obj:find() and obj:next() for resty.roundrobin (returning the
// next id). They keep the originals' results: chash:find returns what lua-resty-balancer returns
// for the same nodes and key (the key and ids go through tostring), roundrobin picks its first
// server with Lua's math.random as the original does, so after math.randomseed its choice is
// reproducible. chash:set returns true when the weight does not change; roundrobin's new,
// reinit, delete and decr raise "empty nodes" when no server would be left; weights are
// converted with tonumber, and roundrobin:new drops a node whose weight is not a number, as the
// original's copy of the table does. The fields the tests of the original read stay readable:
// npoints and size of a chash, gcd, max_weight, cw, last_id and only_key of a roundrobin.
//
// Differences: ids must be strings, numbers or booleans, and two ids with the same tostring
// ("1" and 1) are one server; a weight must be a non-negative integer (the originals accept
// fractions, and break on negative weights), else the method raises "invalid weight"; where
// the originals read outside their point array or loop forever (chash:find and chash:next with
// no points, roundrobin:find once every server is deleted), these return nil. Servers follow
// the Lua table's iteration order, which is not LuaJIT's, so with several equal weights which
// server roundrobin starts with, or which of two servers sharing a point hash chash returns,
// may differ from OpenResty's. Errors carry no position in the original's files.
func LuaModules() map[string]glua.Function {
	return map[string]glua.Function{
		"resty.chash":      pushCHashModule,
		"resty.roundrobin": pushRoundRobinModule,
	}
}

// The fields of an object table that hold its Go payload.
const (
	chashField      = "__goresty_chash"
	roundRobinField = "__goresty_roundrobin"
)

// luaIDs maps the tostring of each server id to the Lua value of the id, which find returns.
type luaIDs map[string]any

// chashObject is the payload of a resty.chash object.
type chashObject struct {
	c   *CHash
	ids luaIDs
}

// CopyForVM gives each VM its own copy of a chash made in init_by_lua (lua.Copier).
func (o *chashObject) CopyForVM() any { return &chashObject{c: o.c.clone(), ids: maps.Clone(o.ids)} }

// roundRobinObject is the payload of a resty.roundrobin object.
type roundRobinObject struct {
	r   *RoundRobin
	ids luaIDs
}

// CopyForVM gives each VM its own copy of a round robin made in init_by_lua (lua.Copier).
func (o *roundRobinObject) CopyForVM() any {
	return &roundRobinObject{r: o.r.clone(), ids: maps.Clone(o.ids)}
}

func pushCHashModule(l *glua.State) int {
	lua.PushClass(l, []glua.RegistryFunction{
		{Name: "new", Function: chashNew},
		{Name: "reinit", Function: chashReinit},
		{Name: "set", Function: chashSet},
		{Name: "delete", Function: chashDelete},
		{Name: "incr", Function: chashIncr},
		{Name: "decr", Function: chashDecr},
		{Name: "find", Function: chashFind},
		{Name: "next", Function: chashNext},
	})
	return 1
}

func pushRoundRobinModule(l *glua.State) int {
	lua.PushClass(l, []glua.RegistryFunction{
		{Name: "new", Function: rrNew},
		{Name: "reinit", Function: rrReinit},
		{Name: "set", Function: rrSet},
		{Name: "delete", Function: rrDelete},
		{Name: "incr", Function: rrIncr},
		{Name: "decr", Function: rrDecr},
		{Name: "find", Function: rrFind},
	})
	l.Field(-1, "find") // next is find itself, as in the original
	l.SetField(-2, "next")
	return 1
}

// toString is tostring(v) of the value at index, by the VM's tostring.
func toString(l *glua.State, index int) string {
	index = l.AbsIndex(index)
	l.Global("tostring")
	if !l.IsFunction(-1) {
		l.Pop(1)
		s, _ := glua.ToStringMeta(l, index)
		l.Pop(1)
		return s
	}
	l.PushValue(index)
	l.Call(1, 1)
	s, _ := l.ToString(-1)
	l.Pop(1)
	return s
}

// id returns the server id at index as its tostring and its Lua value, raising Lua's errors for
// a nil or NaN table key and an error for an id of another type than string, number, boolean.
func id(l *glua.State, index int) (string, any) {
	v := l.ToValue(index)
	switch x := v.(type) {
	case nil:
		lua.RaisePlain(l, "table index is nil")
	case float64:
		if math.IsNaN(x) {
			lua.RaisePlain(l, "table index is NaN")
		}
	case string, bool:
	default:
		lua.RaisePlain(l, "server ids must be strings, numbers or booleans (got a "+lua.TypeName(l, index)+")")
	}
	return toString(l, index), v
}

// lookupID is id for a method that only reads the id's entry in the original's nodes table:
// ok is false for an id that cannot be a server (nil, NaN, another type), which reading
// finds missing.
func lookupID(l *glua.State, index int) (s string, ok bool) {
	switch x := l.ToValue(index).(type) {
	case float64:
		if math.IsNaN(x) {
			return "", false
		}
	case string, bool:
	default:
		return "", false
	}
	return toString(l, index), true
}

// pushID pushes a server id kept by id.
func pushID(l *glua.State, v any) {
	switch x := v.(type) {
	case string:
		l.PushString(x)
	case float64:
		l.PushNumber(x)
	case bool:
		l.PushBoolean(x)
	default:
		l.PushNil()
	}
}

// weight converts a weight, raising "invalid weight" for one that is not a non-negative integer.
func weight(l *glua.State, f float64) int {
	if f < 0 || f != math.Floor(f) || f > math.MaxUint32/PointsPerWeight {
		lua.RaisePlain(l, "invalid weight")
	}
	return int(f)
}

// optWeight is tonumber(arg) or def, as a weight.
func optWeight(l *glua.State, index int, def float64) int {
	f, ok := l.ToNumber(index)
	if !ok {
		f = def
	}
	return weight(l, f)
}

// readNodes reads the nodes table at index 2 in its iteration order. A weight that is not a
// number raises the arithmetic error of resty.chash's sum, or, when drop is set, leaves its
// node out as resty.roundrobin's copy does.
func readNodes(l *glua.State, drop bool) ([]weighted, luaIDs) {
	if !l.IsTable(2) {
		lua.RaisePlain(l, "bad argument #1 to 'pairs' (table expected, got "+lua.TypeName(l, 2)+")")
	}
	var list []weighted
	ids := luaIDs{}
	l.PushNil()
	for l.Next(2) {
		f, ok := l.ToNumber(-1)
		if !ok {
			if !drop {
				lua.RaisePlain(l, "attempt to perform arithmetic on local 'weight' (a "+lua.TypeName(l, -1)+" value)")
			}
			l.Pop(1)
			continue
		}
		w := weight(l, f)
		s, v := id(l, -2)
		if _, dup := ids[s]; dup {
			for i := range list {
				if list[i].id == s {
					list[i].weight = w
				}
			}
		} else {
			list = append(list, weighted{s, w})
		}
		ids[s] = v
		l.Pop(1)
	}
	return list, ids
}

// selfObject returns the payload in field of the object at index 1, raising an error for
// another self.
func selfObject(l *glua.State, field string) any {
	if l.IsTable(1) {
		l.PushString(field)
		l.RawGet(1)
		v := l.ToUserData(-1)
		l.Pop(1)
		if v != nil {
			return v
		}
		lua.RaisePlain(l, "attempt to call a method of a table that is not a balancer object")
	}
	lua.RaisePlain(l, "attempt to index local 'self' (a "+lua.TypeName(l, 1)+" value)")
	return nil
}

// selfOf is selfObject of type T.
func selfOf[T any](l *glua.State, field string) T {
	o, ok := selfObject(l, field).(T)
	if !ok {
		lua.RaisePlain(l, "attempt to call a method of a table that is not a balancer object")
	}
	return o
}

func chashSelf(l *glua.State) *chashObject { return selfOf[*chashObject](l, chashField) }

func rrSelf(l *glua.State) *roundRobinObject { return selfOf[*roundRobinObject](l, roundRobinField) }

// syncCHash sets the fields npoints and size of the object table at index.
func syncCHash(l *glua.State, index int, o *chashObject) {
	index = l.AbsIndex(index)
	l.PushInteger(o.c.Points())
	l.SetField(index, "npoints")
	l.PushInteger(o.c.Size())
	l.SetField(index, "size")
}

// syncRoundRobin sets the fields gcd, max_weight, cw, last_id and only_key of the object table
// at index.
func syncRoundRobin(l *glua.State, index int, o *roundRobinObject) {
	index = l.AbsIndex(index)
	gcd, maxWeight, cw, last, ok := o.r.State()
	l.PushInteger(gcd)
	l.SetField(index, "gcd")
	l.PushInteger(maxWeight)
	l.SetField(index, "max_weight")
	l.PushInteger(cw)
	l.SetField(index, "cw")
	if ok {
		pushID(l, o.ids[last])
	} else {
		l.PushNil()
	}
	l.SetField(index, "last_id")
	o.r.mu.Lock()
	only, hasOnly := o.r.only, o.r.hasOnly && len(o.r.order) > 0
	o.r.mu.Unlock()
	if hasOnly {
		pushID(l, o.ids[only])
	} else {
		l.PushNil()
	}
	l.SetField(index, "only_key")
}

// chashNew is class:new(nodes).
func chashNew(l *glua.State) int {
	list, ids := readNodes(l, false)
	o := &chashObject{c: &CHash{}, ids: ids}
	if o.c.init(list) != nil {
		lua.RaisePlain(l, "invalid weight")
	}
	lua.NewObject(l, chashField, o)
	syncCHash(l, -1, o)
	return 1
}

// chashReinit is obj:reinit(nodes).
func chashReinit(l *glua.State) int {
	o := chashSelf(l)
	list, ids := readNodes(l, false)
	if o.c.init(list) != nil {
		lua.RaisePlain(l, "invalid weight")
	}
	o.ids = ids
	syncCHash(l, 1, o)
	return 0
}

// chashSet is obj:set(id, weight): true when the weight stays, else nothing.
func chashSet(l *glua.State) int {
	o := chashSelf(l)
	w := optWeight(l, 3, 0)
	old := 0
	if s, ok := lookupID(l, 2); ok {
		old, _ = o.c.Weight(s)
	}
	if old == w {
		l.PushBoolean(true)
		return 1
	}
	s, v := id(l, 2)
	if o.c.Set(s, w) != nil {
		lua.RaisePlain(l, "invalid weight")
	}
	o.ids.track(o.c, s, v)
	syncCHash(l, 1, o)
	return 0
}

// track records the Lua value v of id s while b has s as a server, and forgets it after.
func (ids luaIDs) track(b interface{ Weight(string) (int, bool) }, s string, v any) {
	if _, ok := b.Weight(s); ok {
		ids[s] = v
	} else {
		delete(ids, s)
	}
}

// chashDelete is obj:delete(id).
func chashDelete(l *glua.State) int {
	o := chashSelf(l)
	s, ok := lookupID(l, 2)
	if !ok {
		return 0
	}
	o.c.Delete(s)
	delete(o.ids, s)
	syncCHash(l, 1, o)
	return 0
}

// chashIncr is obj:incr(id, weight?).
func chashIncr(l *glua.State) int {
	o := chashSelf(l)
	w := optWeight(l, 3, 1)
	s, v := id(l, 2)
	if o.c.Incr(s, w) != nil {
		lua.RaisePlain(l, "invalid weight")
	}
	o.ids.track(o.c, s, v)
	syncCHash(l, 1, o)
	return 0
}

// chashDecr is obj:decr(id, weight?).
func chashDecr(l *glua.State) int {
	o := chashSelf(l)
	w := optWeight(l, 3, 1)
	s, ok := lookupID(l, 2)
	if !ok {
		return 0
	}
	if o.c.Decr(s, w) != nil {
		lua.RaisePlain(l, "invalid weight")
	}
	o.ids.track(o.c, s, o.ids[s])
	syncCHash(l, 1, o)
	return 0
}

// chashFind is obj:find(key): the id and the index of its point.
func chashFind(l *glua.State) int {
	o := chashSelf(l)
	s, i, ok := o.c.Find(toString(l, 2))
	if !ok {
		l.PushNil()
		return 1
	}
	pushID(l, o.ids[s])
	l.PushInteger(i)
	return 2
}

// chashNext is obj:next(index): the id of the next point and its index.
func chashNext(l *glua.State) int {
	o := chashSelf(l)
	f, ok := l.ToNumber(2)
	if !ok {
		lua.RaisePlain(l, "attempt to perform arithmetic on local 'index' (a "+lua.TypeName(l, 2)+" value)")
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1<<53 {
		l.PushNil()
		return 1
	}
	s, i, ok := o.c.Next(int(math.Floor(f)))
	if !ok {
		l.PushNil()
		return 1
	}
	pushID(l, o.ids[s])
	l.PushInteger(i)
	return 2
}

// luaRandom returns math.random(n) of l's globals, or math/rand/v2's when there is none.
func luaRandom(l *glua.State) func(n int) int {
	return func(n int) int {
		l.Global("math")
		if l.IsTable(-1) {
			l.Field(-1, "random")
			if l.IsFunction(-1) {
				l.PushInteger(n)
				l.Call(1, 1)
				r, _ := l.ToInteger(-1)
				l.Pop(2)
				return r
			}
			l.Pop(1)
		}
		l.Pop(1)
		return rand.IntN(n) + 1
	}
}

// rrNew is class:new(nodes).
func rrNew(l *glua.State) int {
	list, ids := readNodes(l, true)
	o := &roundRobinObject{r: &RoundRobin{}, ids: ids}
	if o.r.init(list, luaRandom(l)) != nil {
		lua.RaisePlain(l, "empty nodes")
	}
	lua.NewObject(l, roundRobinField, o)
	syncRoundRobin(l, -1, o)
	return 1
}

// rrReinit is obj:reinit(nodes).
func rrReinit(l *glua.State) int {
	o := rrSelf(l)
	list, ids := readNodes(l, true)
	if o.r.init(list, luaRandom(l)) != nil {
		lua.RaisePlain(l, "empty nodes")
	}
	o.ids = ids
	syncRoundRobin(l, 1, o)
	return 0
}

// rrDone syncs the fields after a change, raising "empty nodes" when err says no server is left.
func rrDone(l *glua.State, o *roundRobinObject, s string, v any, err error) int {
	o.ids.track(o.r, s, v)
	syncRoundRobin(l, 1, o)
	if err != nil {
		lua.RaisePlain(l, err.Error())
	}
	return 0
}

// rrSet is obj:set(id, weight).
func rrSet(l *glua.State) int {
	o := rrSelf(l)
	w := optWeight(l, 3, 0)
	old := 0
	if s, ok := lookupID(l, 2); ok {
		old, _ = o.r.Weight(s)
	}
	if old == w {
		return 0
	}
	s, v := id(l, 2)
	return rrDone(l, o, s, v, o.r.Set(s, w))
}

// rrDelete is obj:delete(id).
func rrDelete(l *glua.State) int {
	o := rrSelf(l)
	s, ok := lookupID(l, 2)
	if !ok {
		switch x := l.ToValue(2).(type) {
		case nil:
			lua.RaisePlain(l, "table index is nil")
		case float64:
			if math.IsNaN(x) {
				lua.RaisePlain(l, "table index is NaN")
			}
		}
		return 0 // an id of another type is no server
	}
	return rrDone(l, o, s, nil, o.r.Delete(s))
}

// rrIncr is obj:incr(id, weight?).
func rrIncr(l *glua.State) int {
	o := rrSelf(l)
	w := optWeight(l, 3, 1)
	s, v := id(l, 2)
	return rrDone(l, o, s, v, o.r.Incr(s, w))
}

// rrDecr is obj:decr(id, weight?).
func rrDecr(l *glua.State) int {
	o := rrSelf(l)
	w := optWeight(l, 3, 1)
	s, ok := lookupID(l, 2)
	if !ok {
		return 0
	}
	return rrDone(l, o, s, o.ids[s], o.r.Decr(s, w))
}

// rrFind is obj:find() and obj:next(): the next id.
func rrFind(l *glua.State) int {
	o := rrSelf(l)
	s, ok := o.r.Find()
	if !ok {
		l.PushNil()
		return 1
	}
	pushID(l, o.ids[s])
	syncRoundRobin(l, 1, o)
	return 1
}
