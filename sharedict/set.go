package sharedict

import "time"

// storeOp selects one of the storing methods, as ngx_http_lua_ffi_shdict_store's op does.
type storeOp uint8

const (
	opSet     storeOp = 0
	opAdd     storeOp = 1
	opReplace storeOp = 2
	opSafe    storeOp = 4
)

// storeArgs are the arguments of a storing method, checked.
type storeArgs struct {
	op    storeOp
	key   string
	h     uint64
	v     Value
	ttl   int64 // milliseconds; <= 0 never expires
	flags uint32
}

// store implements set, safe_set, add, safe_add, replace and delete. When ristretto holds the key
// and the change needs no memory (a refused add or replace, a value of the same length), it runs
// under the entry's lock alone; anything else runs under the shard lock, or every shard lock
// when it may evict.
func (d *Dict) store(c clock, op storeOp, key string, v Value, exptime time.Duration, flags uint32) (bool, error) {
	if exptime < 0 {
		return false, ErrBadExptime
	}
	if err := checkKey(key); err != nil {
		return false, err
	}
	if v.kind == KindNil && op&(opAdd|opReplace) != 0 {
		return false, ErrNilValue
	}
	a := storeArgs{op: op, key: key, h: d.hash(key), v: v, ttl: exptime.Milliseconds(), flags: flags}
	d.expireTail(&c)
	if e := d.lookup(key, a.h); e != nil {
		done, err := d.storeInPlace(&c, e, &a)
		e.unlock()
		d.retop(&c, e)
		if done {
			return false, err
		}
	}
	s, err := d.lock(a.h)
	if err != nil {
		return false, err
	}
	forcible, retry, err := d.storeLocked(s, &c, &a, allocTry)
	s.unlock(d)
	if !retry {
		return forcible, err
	}
	d.lockAll()
	defer d.unlockAll()
	if d.closed.Load() {
		return false, ErrClosed
	}
	forcible, _, err = d.storeLocked(s, &c, &a, allocEvict)
	return forcible, err
}

// storeInPlace does what storeLocked does for a found entry when that changes no structure, and
// reports whether it did. e's lock is held.
func (d *Dict) storeInPlace(c *clock, e *entry, a *storeArgs) (done bool, err error) {
	d.touch(e)
	live := !c.expired(e)
	switch {
	case a.op&opReplace != 0 && !live:
		return true, ErrNotFound
	case a.op&opAdd != 0 && live:
		return true, ErrExists
	case a.v.kind != KindNil && e.list == nil && e.val.size() == a.v.size():
		d.setExpires(e, c.expiryFor(a.ttl))
		e.val, e.flags = a.v, a.flags
		return true, nil
	}
	return false, nil
}

// storeLocked follows ngx_http_lua_ffi_shdict_store once the key's shard is locked.
func (d *Dict) storeLocked(s *shard, c *clock, a *storeArgs, mode allocMode) (forcible, retry bool, err error) {
	e := s.find(d, a.key, a.h)
	live := false
	if e != nil {
		e.lock()
		defer e.unlock()
		d.touch(e)
		live = !c.expired(e)
	}
	switch {
	case a.op&opReplace != 0 && !live:
		return false, false, ErrNotFound
	case a.op&opAdd != 0 && live:
		return false, false, ErrExists
	case e != nil && a.v.kind == KindNil:
		d.remove(s, e)
		return false, false, nil
	case e != nil && e.list == nil && e.val.size() == a.v.size():
		// Same value length: OpenResty rewrites the node in place, so this never needs memory.
		d.setExpires(e, c.expiryFor(a.ttl))
		e.val, e.flags = a.v, a.flags
		return false, false, nil
	case a.v.kind == KindNil:
		return false, false, nil
	}
	if a.op&opSafe != 0 {
		mode = allocSafe
	}
	if e != nil && mode == allocEvict {
		d.detach(s, e)
	}
	mem, forcible, retry, err := d.reserve(c, e, nodeSize(a.key, a.v), mode)
	if retry {
		return false, true, nil
	}
	if e != nil && mode != allocEvict {
		d.detach(s, e)
	}
	if err != nil {
		return forcible, false, err
	}
	ne := &entry{key: a.key, h: a.h, val: a.v, flags: a.flags, mem: mem}
	d.attach(s, ne, c.expiryFor(a.ttl))
	return forcible, false, nil
}
