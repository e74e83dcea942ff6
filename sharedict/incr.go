package sharedict

import "time"

// incrArgs are the arguments of incr, checked.
type incrArgs struct {
	key     string
	h       uint64
	n       float64
	hasInit bool
	init    float64
	ttl     int64 // init_ttl in milliseconds
}

// incr implements incr(key, n, init?, init_ttl?).
func (d *Dict) incr(c clock, key string, n float64, hasInit bool, init float64, initTTL time.Duration) (float64, bool, error) {
	if err := checkKey(key); err != nil {
		return 0, false, err
	}
	if initTTL < 0 {
		return 0, false, ErrBadInitTTL
	}
	a := incrArgs{key: key, h: d.hash(key), n: n, hasInit: hasInit, init: init}
	if initTTL > 0 {
		a.ttl = initTTL.Milliseconds()
	}
	d.expireTail(&c)
	if e := d.lookup(key, a.h); e != nil {
		v, done, err := d.incrInPlace(&c, e, &a)
		e.unlock()
		d.retop(&c, e)
		if done {
			return v, false, err
		}
	}
	s, err := d.lock(a.h)
	if err != nil {
		return 0, false, err
	}
	v, forcible, retry, err := d.incrLocked(s, &c, &a, allocTry)
	s.unlock(d)
	if !retry {
		return v, forcible, err
	}
	d.lockAll()
	defer d.unlockAll()
	if d.closed.Load() {
		return 0, false, ErrClosed
	}
	v, forcible, _, err = d.incrLocked(s, &c, &a, allocEvict)
	return v, forcible, err
}

// incrInPlace does what incrLocked does for a found entry when that changes no structure, and
// reports whether it did. e's lock is held.
func (d *Dict) incrInPlace(c *clock, e *entry, a *incrArgs) (v float64, done bool, err error) {
	d.touch(e)
	switch {
	case !c.expired(e):
		if e.list != nil || e.val.kind != KindNumber {
			return 0, true, ErrNotNumber
		}
		e.val.n += a.n
		return e.val.n, true, nil
	case !a.hasInit:
		return 0, true, ErrNotFound
	case e.list == nil && e.val.size() == 8:
		num := a.n + a.init
		d.setExpires(e, c.expiryFor(a.ttl))
		e.val, e.flags = Number(num), 0
		return num, true, nil
	}
	return 0, false, nil
}

// incrLocked follows ngx_http_lua_ffi_shdict_incr once the key's shard is locked.
func (d *Dict) incrLocked(s *shard, c *clock, a *incrArgs, mode allocMode) (v float64, forcible, retry bool, err error) {
	e := s.find(d, a.key, a.h)
	if e != nil {
		e.lock()
		defer e.unlock()
		d.touch(e)
		if !c.expired(e) {
			if e.list != nil || e.val.kind != KindNumber {
				return 0, false, false, ErrNotNumber
			}
			e.val.n += a.n
			return e.val.n, false, false, nil
		}
	}
	if !a.hasInit {
		return 0, false, false, ErrNotFound
	}
	num := a.n + a.init
	if e != nil && e.list == nil && e.val.size() == 8 {
		// An expired node of a number's size is reused in place, whatever its type was.
		d.setExpires(e, c.expiryFor(a.ttl))
		e.val, e.flags = Number(num), 0
		return num, false, false, nil
	}
	if e != nil && mode == allocEvict {
		d.detach(s, e)
	}
	mem, forcible, retry, err := d.reserve(c, e, nodeSize(a.key, Number(num)), mode)
	if retry {
		return 0, false, true, nil
	}
	if e != nil && mode != allocEvict {
		d.detach(s, e)
	}
	if err != nil {
		return 0, forcible, false, err
	}
	d.attach(s, &entry{key: a.key, h: a.h, val: Number(num), mem: mem}, c.expiryFor(a.ttl))
	return num, forcible, false, nil
}
