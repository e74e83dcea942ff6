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
	s, err := d.lock(h)
	if err != nil {
		return Nil, 0, false, err
	}
	e := s.find(d, key, h)
	if e != nil {
		s.touch(d, e)
		stale = c.expired(e)
		switch {
		case stale && !allowStale:
			e = nil
		case e.list != nil:
			e, err = nil, ErrIsList
		default:
			v, flags = e.val, e.flags
		}
	}
	s.unlock(d)
	return v, flags, stale && e != nil, err
}

// ttl implements ttl: it looks at the key without touching the LRU order or freeing anything,
// so an expired entry not yet freed has a negative ttl.
func (d *Dict) ttl(c clock, key string) (time.Duration, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	h := d.hash(key)
	s, err := d.lock(h)
	if err != nil {
		return 0, err
	}
	defer s.unlock(d)
	e := s.find(d, key, h)
	switch {
	case e == nil:
		return 0, ErrNotFound
	case e.expires == 0:
		return 0, nil
	}
	return time.Duration(e.expires-c.now()) * time.Millisecond, nil
}

// expire implements expire: like ttl it does not touch the LRU order, so it also revives an
// expired entry not yet freed. An exptime under one millisecond (negative too) removes the expiry.
func (d *Dict) expire(c clock, key string, exptime time.Duration) error {
	if err := checkKey(key); err != nil {
		return err
	}
	h := d.hash(key)
	s, err := d.lock(h)
	if err != nil {
		return err
	}
	defer s.unlock(d)
	e := s.find(d, key, h)
	if e == nil {
		return ErrNotFound
	}
	d.setExpires(e, c.expiryFor(exptime.Milliseconds()))
	return nil
}
