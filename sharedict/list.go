package sharedict

// push implements lpush (left) and rpush. It never evicts: when memory is short it returns
// ErrNoMemory, or ErrNoMemoryNewList when not even the list could be created.
func (d *Dict) push(c clock, key string, v Value, left bool) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	if v.kind != KindString && v.kind != KindNumber {
		return 0, ErrBadValueType
	}
	h := d.hash(key)
	d.expireTail(&c)
	s, err := d.lock(h)
	if err != nil {
		return 0, err
	}
	defer s.unlock(d)
	e, err := d.listFor(s, &c, key, h)
	if err != nil {
		return 0, err
	}
	d.slabMu.Lock()
	mem, ok := d.slab.alloc(listItemSize(v))
	d.slabMu.Unlock()
	if !ok {
		if e.list.n == 0 {
			d.remove(s, e)
		}
		return 0, ErrNoMemory
	}
	if left {
		e.list.pushLeft(listItem{v: v, mem: mem})
	} else {
		e.list.pushRight(listItem{v: v, mem: mem})
	}
	return e.list.n, nil
}

// listFor returns the list at key to push onto, creating it when key is missing or expired (an
// expired list is emptied and loses its expiry). The shard's lock is held.
func (d *Dict) listFor(s *shard, c *clock, key string, h uint64) (*entry, error) {
	e := s.find(d, key, h)
	if e != nil {
		s.touch(d, e)
		switch {
		case !c.expired(e) && e.list == nil:
			return nil, ErrNotList
		case c.expired(e) && e.list == nil:
			d.remove(s, e)
			e = nil
		case c.expired(e):
			d.setExpires(e, 0)
			d.slabMu.Lock()
			e.list.each(func(it listItem) { d.slab.free(it.mem) })
			d.slabMu.Unlock()
			e.list = &list{}
		}
	}
	if e != nil {
		return e, nil
	}
	d.slabMu.Lock()
	mem, ok := d.slab.alloc(listHeadSize(key))
	d.slabMu.Unlock()
	if !ok {
		return nil, ErrNoMemoryNewList
	}
	e = &entry{key: key, h: h, list: &list{}, mem: mem}
	d.attach(s, e, 0)
	return e, nil
}

// pop implements lpop (left) and rpop: nil for a missing key; a list emptied by the pop is
// deleted.
func (d *Dict) pop(c clock, key string, left bool) (Value, error) {
	if err := checkKey(key); err != nil {
		return Nil, err
	}
	h := d.hash(key)
	d.expireTail(&c)
	s, err := d.lock(h)
	if err != nil {
		return Nil, err
	}
	defer s.unlock(d)
	e := s.find(d, key, h)
	if e == nil {
		return Nil, nil
	}
	s.touch(d, e)
	if c.expired(e) {
		return Nil, nil
	}
	if e.list == nil {
		return Nil, ErrNotList
	}
	var it listItem
	if left {
		it = e.list.popLeft()
	} else {
		it = e.list.popRight()
	}
	d.slabMu.Lock()
	d.slab.free(it.mem)
	d.slabMu.Unlock()
	if e.list.n == 0 {
		d.remove(s, e)
	}
	return it.v, nil
}

// llen implements llen: 0 for a missing or expired key.
func (d *Dict) llen(c clock, key string) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	h := d.hash(key)
	d.expireTail(&c)
	s, err := d.lock(h)
	if err != nil {
		return 0, err
	}
	defer s.unlock(d)
	e := s.find(d, key, h)
	if e == nil {
		return 0, nil
	}
	s.touch(d, e)
	switch {
	case c.expired(e):
		return 0, nil
	case e.list == nil:
		return 0, ErrNotList
	}
	return e.list.n, nil
}
