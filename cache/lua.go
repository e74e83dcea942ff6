package cache

import (
	"math"
	"reflect"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/internal/ngxlua"
)

// LuaModules returns the loaders of the Lua modules resty.lrucache and resty.lrucache.pureffi
// by module name, for a Handler to offer to require (after the user's lua_package_path, so that
// a user's own copy wins). Each loader pushes a new module table and returns 1.
//
// The modules are lua-resty-lrucache 0.11's, whose originals need LuaJIT's FFI: new(size)
// returns a cache or nil, "size too small"; c:set(key, value, ttl, flags), c:get(key) (value,
// nil, flags; nil, stale value, flags once ttl seconds of ngx.now have passed; nil for a missing
// key), c:delete(key), c:count(), c:capacity(), c:get_keys(max_count, res) (most recently used
// first) and c:flush_all() keep the originals' results, eviction order and error messages. A
// cache holds any Lua values, as the original does, so it belongs to one Lua VM, as the
// original belongs to one nginx worker. resty.lrucache keys are Lua values compared as table
// keys (1 and 1.0 are one key, "1" another); resty.lrucache.pureffi converts keys with tostring,
// as its original does, and returns a key set to nil with its flags.
//
// Differences: an error raised inside a method carries no position in lrucache.lua (there is
// no such file here), and the errors of methods called with a dot instead of a colon are
// resty.lrucache's in both modules.
func LuaModules() map[string]glua.Function {
	return map[string]glua.Function{
		"resty.lrucache":         func(l *glua.State) int { return pushModule(l, false) },
		"resty.lrucache.pureffi": func(l *glua.State) int { return pushModule(l, true) },
	}
}

// version is the _VERSION of both modules, the original's.
const version = "0.11"

// A cache is a table whose metatable is {__index = module}, as in the original. Its field objField
// holds the *object, and the key and value of node number i are at -i and i: kept in Lua, they
// are copied with the table when init_by_lua's objects are copied into each VM.
const objField = "__goresty_lrucache"

// object is one cache's bookkeeping.
type object struct {
	*lru
	pure  bool // resty.lrucache.pureffi: keys go through tostring
	stale bool // a copy for a new VM: keys must be read back from the table
}

// CopyForVM gives each VM built from init_by_lua's snapshot its own copy of a cache made there
// (lua.Copier): the nodes as they are, the keys read back from the VM's copy of the table on
// first use, since a table key is a new table there.
func (o *object) CopyForVM() any { return &object{lru: o.lru.clone(), pure: o.pure, stale: true} }

// pushModule pushes a module table (a lua.PushClass module).
func pushModule(l *glua.State, pure bool) int {
	lua.PushClass(l, []glua.RegistryFunction{
		{Name: "new", Function: func(l *glua.State) int { return newCache(l, pure) }},
		{Name: "get", Function: get},
		{Name: "set", Function: set},
		{Name: "delete", Function: del},
		{Name: "count", Function: count},
		{Name: "capacity", Function: capacity},
		{Name: "get_keys", Function: getKeys},
		{Name: "flush_all", Function: flushAll},
	})
	l.PushString(version)
	l.SetField(-2, "_VERSION")
	return 1
}

// newCache is new(size) (and pureffi's new(size, load_factor), whose load factor only sizes the
// original's hash table).
func newCache(l *glua.State, pure bool) int {
	if l.TypeOf(1) != glua.TypeNumber {
		lua.RaisePlain(l, "attempt to compare "+lua.TypeName(l, 1)+" with number")
	}
	size, _ := l.ToNumber(1)
	if pure && l.ToBoolean(2) && l.TypeOf(2) != glua.TypeNumber {
		lua.RaisePlain(l, "attempt to compare number with "+lua.TypeName(l, 2))
	}
	if size < 1 {
		return lua.PushFailure(l, "size too small")
	}
	// The original allocates its size+1 queue nodes of 32 bytes as one FFI array, whose length
	// LuaJIT converts to an int32 and whose size must stay under 2 GB.
	if !(size+1 < 1<<26) {
		lua.RaisePlain(l, "bad argument #1 to 'ffi_new' (size of C type is unknown or too large)")
	}
	lua.NewObject(l, objField, &object{lru: newLRU(size), pure: pure})
	return 1
}

// self returns the cache that method was called on, raising the error the original raises for
// another self, or nil when the original returns nil (count and capacity of a table).
func self(l *glua.State, method string) *object {
	if l.TypeOf(1) == glua.TypeTable {
		l.PushString(objField)
		l.RawGet(1)
		o, ok := l.ToUserData(-1).(*object)
		l.Pop(1)
		if ok {
			if o.stale {
				o.readKeys(l)
			}
			return o
		}
	}
	switch l.TypeOf(1) {
	case glua.TypeTable, glua.TypeString, glua.TypeUserData:
		switch method {
		case "count", "capacity":
			return nil
		case "delete":
			lua.RaisePlain(l, "attempt to index field 'hasht' (a nil value)")
		case "get_keys":
			// max_count falls back to self.num_items; then the cache queue is missing.
			switch {
			case !l.ToBoolean(2) || l.ToValue(2) == 0.0:
				lua.RaisePlain(l, "attempt to perform arithmetic on local 'max_count' (a nil value)")
			case !l.ToBoolean(3) && !isNumeric(l, 2):
				lua.RaisePlain(l, "attempt to perform arithmetic on local 'max_count' (a "+lua.TypeName(l, 2)+" value)")
			}
			lua.RaisePlain(l, "attempt to index local 'h' (a nil value)")
		case "flush_all":
			lua.RaisePlain(l, "bad argument #1 to 'tb_clear' (table expected, got nil)")
		}
		lua.RaisePlain(l, "attempt to index local 'hasht' (a nil value)")
	}
	lua.RaisePlain(l, "attempt to index local 'self' (a "+lua.TypeName(l, 1)+" value)")
	return nil
}

// readKeys sets the keys of a copy made by CopyForVM from the cache table at index 1.
func (o *object) readKeys(l *glua.State) {
	for n := o.cache.next; n != &o.cache; n = n.next {
		l.RawGetInt(1, -n.id)
		n.key = l.ToValue(-1)
		l.Pop(1)
		o.keys[n.key] = n
	}
	o.stale = false
}

// key returns the key at index 2 as the cache stores it. In resty.lrucache a key is a table
// key: forWrite raises Lua's errors for nil and NaN, and a lookup of one finds nothing (ok is
// false). In pureffi every key is its tostring.
func (o *object) key(l *glua.State, forWrite bool) (k any, ok bool) {
	if o.pure {
		s, _ := glua.ToStringMeta(l, 2)
		l.Pop(1)
		return s, true
	}
	k = l.ToValue(2)
	switch v := k.(type) {
	case nil:
		if forWrite {
			lua.RaisePlain(l, "table index is nil")
		}
		return nil, false
	case float64:
		if math.IsNaN(v) {
			if forWrite {
				lua.RaisePlain(l, "table index is NaN")
			}
			return nil, false
		}
	case string, bool:
	default:
		if !reflect.TypeOf(k).Comparable() {
			// A light userdata holding a Go value that cannot be a map key: no Lua code makes
			// one, and the cache cannot hold it.
			lua.RaisePlain(l, "bad argument #2 (a key the cache cannot hold)")
		}
	}
	return k, true
}

// get is c:get(key).
func get(l *glua.State) int {
	o := self(l, "get")
	k, ok := o.key(l, false)
	var n *node
	if ok {
		n = o.keys[k]
	}
	if n == nil {
		l.PushNil()
		return 1
	}
	l.RawGetInt(1, n.id)
	if !o.pure && l.IsNil(-1) {
		return 1 // the original finds nil in its hash table and returns it alone
	}
	o.touch(n)
	if n.expire >= 0 && n.expire < ngxlua.Now(l) { // expired
		l.PushNil()
		l.Insert(-2)
	} else {
		l.PushNil()
	}
	l.PushNumber(float64(n.flags))
	return 3
}

// set is c:set(key, value, ttl, flags). As in the original, a ttl that is not a number raises
// its error after the key is stored.
func set(l *glua.State) int {
	o := self(l, "set")
	k, _ := o.key(l, true)
	n, taken := o.put(k)
	if taken {
		l.PushLightUserData(k) // pushes any Lua value from ToValue as it is
		l.RawSetInt(1, -n.id)
	}
	l.SetTop(max(l.Top(), 5))
	l.PushValue(3)
	l.RawSetInt(1, n.id)
	if l.ToBoolean(4) {
		ttl, ok := l.ToNumber(4)
		if !ok {
			lua.RaisePlain(l, "attempt to perform arithmetic on local 'ttl' (a "+lua.TypeName(l, 4)+" value)")
		}
		n.expire = ngxlua.Now(l) + ttl
	} else {
		n.expire = -1
	}
	n.flags = 0
	if f, ok := l.ToValue(5).(float64); ok && f >= 0 {
		n.flags = toUint32(f)
	}
	return 0
}

// toUint32 converts f (>= 0) as LuaJIT's FFI stores a number in a uint32_t field: truncated to
// an integer, then cut to its low 32 bits; from 2^63 on, the conversion gives 0.
func toUint32(f float64) uint32 {
	if f >= 1<<63 {
		return 0
	}
	return uint32(int64(f))
}

// del is c:delete(key).
func del(l *glua.State) int {
	o := self(l, "delete")
	k, _ := o.key(l, true)
	n := o.remove(k)
	if n != nil {
		clearNode(l, n)
	}
	l.PushBoolean(n != nil)
	return 1
}

// count is c:count().
func count(l *glua.State) int {
	if o := self(l, "count"); o != nil {
		l.PushInteger(o.count)
	} else {
		l.PushNil()
	}
	return 1
}

// capacity is c:capacity(): the size given to new.
func capacity(l *glua.State) int {
	if o := self(l, "capacity"); o != nil {
		l.PushNumber(o.size)
	} else {
		l.PushNil()
	}
	return 1
}

// getKeys is c:get_keys(max_count, res): at most max_count keys (all of them when max_count is
// nil, false or 0), most recently used first, in res (or a new table) from index 1, followed by
// a nil.
func getKeys(l *glua.State) int {
	o := self(l, "get_keys")
	limit := float64(o.count)
	limited := l.ToBoolean(2) // max_count given, not 0
	if limited {
		if n, ok := l.ToValue(2).(float64); ok && n == 0 {
			limited = false
		}
	}
	if limited {
		n, _ := l.ToNumber(2) // new_tab(max_count + 1, 0) takes numeric strings
		if !l.ToBoolean(3) && !isNumeric(l, 2) {
			lua.RaisePlain(l, "attempt to perform arithmetic on local 'max_count' (a "+lua.TypeName(l, 2)+" value)")
		}
		limit = n
	}
	if !l.ToBoolean(3) {
		hint := o.count
		if limit >= 0 && limit < float64(hint) {
			hint = int(limit)
		}
		l.CreateTable(hint+1, 0)
	} else {
		if l.TypeOf(3) != glua.TypeTable {
			lua.RaisePlain(l, "attempt to index local 'res' (a "+lua.TypeName(l, 3)+" value)")
		}
		l.PushValue(3)
	}
	i := 0
	for n := o.cache.next; n != &o.cache; n = n.next {
		if limited && l.TypeOf(2) != glua.TypeNumber {
			lua.RaisePlain(l, "attempt to compare "+lua.TypeName(l, 2)+" with number")
		}
		if float64(i) >= limit {
			break
		}
		i++
		l.RawGetInt(1, -n.id)
		l.RawSetInt(-2, i)
	}
	l.PushNil()
	l.RawSetInt(-2, i+1)
	return 1
}

// flushAll is c:flush_all().
func flushAll(l *glua.State) int {
	o := self(l, "flush_all")
	for n := o.cache.next; n != &o.cache; n = n.next {
		clearNode(l, n)
	}
	o.flush()
	return 0
}

// clearNode removes n's key and value from the cache table at index 1.
func clearNode(l *glua.State, n *node) {
	l.PushNil()
	l.RawSetInt(1, n.id)
	l.PushNil()
	l.RawSetInt(1, -n.id)
}

// isNumeric reports whether Lua arithmetic takes the value at index: a number or a string
// that converts to one.
func isNumeric(l *glua.State, index int) bool {
	_, ok := l.ToNumber(index)
	return ok
}
