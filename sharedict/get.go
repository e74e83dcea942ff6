package sharedict

import "time"

// get implements get and get_stale. get first frees expired entries at the LRU end; get_stale
// does not, and returns an expired entry not yet freed with stale = true.
func (d *Dict) get(c clock, key string, allowStale bool) (v Value, flags uint32, stale bool, err error) {
	if err := checkKey(key); err != nil {
		return Nil, 0, false, err
	}
	h := d.hash(key)
	if !allowStale {
		d.expireTail(&c)
	}
	e, err := d.find(key, h)
	if e == nil {
		return Nil, 0, false, err
	}
	d.touch(e)
	stale = c.expired(e)
	switch {
	case stale && !allowStale:
	case e.list != nil:
		err = ErrIsList
	default:
		v, flags = e.val, e.flags
	}
	e.unlock()
	d.retop(&c, e)
	return v, flags, stale && !v.IsNil(), err
}

// find returns key's live entry with its lock held, or nil (and ErrClosed once the dict is
// closed). It looks in ristretto first, without a shard lock, and under the shard lock only when
// that fails. Holding the entry's lock keeps the entry in the dict.
func (d *Dict) find(key string, h uint64) (*entry, error) {
	if e := d.lookup(key, h); e != nil {
		return e, nil
	}
	s, err := d.lock(h)
	if err != nil {
		return nil, err
	}
	e := s.find(d, key, h)
	if e != nil {
		e.lock()
	}
	s.unlock(d)
	return e, nil
}

// ttl implements ttl: it looks at the key without touching the LRU order or freeing anything,
// so an expired entry not yet freed has a negative ttl.
func (d *Dict) ttl(c clock, key string) (time.Duration, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	e, err := d.find(key, d.hash(key))
	if e == nil {
		if err == nil {
			err = ErrNotFound
		}
		return 0, err
	}
	ex := e.expires.Load()
	e.unlock()
	if ex == 0 {
		return 0, nil
	}
	return time.Duration(ex-c.now()) * time.Millisecond, nil
}

// expire implements expire: like ttl it does not touch the LRU order, so it also revives an
// expired entry not yet freed. An exptime under one millisecond (negative too) removes the expiry.
func (d *Dict) expire(c clock, key string, exptime time.Duration) error {
	if err := checkKey(key); err != nil {
		return err
	}
	e, err := d.find(key, d.hash(key))
	if e == nil {
		if err == nil {
			err = ErrNotFound
		}
		return err
	}
	d.setExpires(e, c.expiryFor(exptime.Milliseconds()))
	e.unlock()
	return nil
}
