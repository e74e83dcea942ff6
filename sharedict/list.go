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
	defer e.unlock()
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

// listFor returns the list at key to push onto, with its lock held, creating it when key is
// missing or expired (an expired list is emptied and loses its expiry). The shard's lock is held.
func (d *Dict) listFor(s *shard, c *clock, key string, h uint64) (*entry, error) {
	e := s.find(d, key, h)
	if e != nil {
		e.lock()
		d.touch(e)
		switch {
		case !c.expired(e) && e.list == nil:
			e.unlock()
			return nil, ErrNotList
		case c.expired(e) && e.list == nil:
			d.remove(s, e)
			e.unlock()
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
	e.lock()
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
	e.lock()
	defer e.unlock()
	d.touch(e)
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
	e.lock()
	defer e.unlock()
	d.touch(e)
	switch {
	case c.expired(e):
		return 0, nil
	case e.list == nil:
		return 0, ErrNotList
	}
	return e.list.n, nil
}

// list is a double-ended queue of list elements.
type list struct {
	items []listItem
	head  int
	n     int
}

type listItem struct {
	v   Value
	mem chunk
}

func (l *list) grow() {
	c := max(4, 2*len(l.items))
	items := make([]listItem, c)
	for i := 0; i < l.n; i++ {
		items[i] = l.items[(l.head+i)%len(l.items)]
	}
	l.items, l.head = items, 0
}

func (l *list) pushLeft(it listItem) {
	if l.n == len(l.items) {
		l.grow()
	}
	l.head = (l.head - 1 + len(l.items)) % len(l.items)
	l.items[l.head] = it
	l.n++
}

func (l *list) pushRight(it listItem) {
	if l.n == len(l.items) {
		l.grow()
	}
	l.items[(l.head+l.n)%len(l.items)] = it
	l.n++
}

func (l *list) popLeft() listItem {
	it := l.items[l.head]
	l.items[l.head] = listItem{}
	l.head = (l.head + 1) % len(l.items)
	l.n--
	return it
}

func (l *list) popRight() listItem {
	i := (l.head + l.n - 1) % len(l.items)
	it := l.items[i]
	l.items[i] = listItem{}
	l.n--
	return it
}

// each calls f on every element, left to right.
func (l *list) each(f func(listItem)) {
	for i := 0; i < l.n; i++ {
		f(l.items[(l.head+i)%len(l.items)])
	}
}
