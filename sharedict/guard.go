package sharedict

import (
	"runtime"
	"sync/atomic"
	"unsafe"
)

// Lookups look in ristretto without a shard lock, but ristretto's Get is not safe against a
// concurrent Close (it may send on a channel Close has closed). So a lookup registers in a reader
// slot before it checks closed and calls Get, and Close, after setting closed, waits until every
// slot is empty. Slots are picked by a hash of the goroutine's stack address, so goroutines on
// different cores mostly count in different cache lines.

// A dict has readerSlots reader slots.
const (
	readerBits  = 6
	readerSlots = 1 << readerBits
)

type readerSlot struct {
	n atomic.Int64
	_ [56]byte
}

// enter registers a reader; the reader decrements the slot it gets when it leaves ristretto.
func (d *Dict) enter() *readerSlot {
	var mark byte
	i := uint64(uintptr(unsafe.Pointer(&mark))>>10) * 0x9e3779b97f4a7c15 >> (64 - readerBits)
	r := &d.readers[i]
	r.n.Add(1)
	return r
}

// waitReaders waits for the lookups that entered before closed was set.
func (d *Dict) waitReaders() {
	for i := range d.readers {
		for d.readers[i].n.Load() != 0 {
			runtime.Gosched()
		}
	}
}

// lookup returns key's live entry with its lock held, if ristretto holds it; nil means the caller
// must look under the shard lock (the key may be missing, pending or colliding, or the dict
// closed).
func (d *Dict) lookup(key string, h uint64) *entry {
	r := d.enter()
	if d.closed.Load() {
		r.n.Add(-1)
		return nil
	}
	e, ok := d.cache.Get(h)
	r.n.Add(-1)
	if !ok || e.key != key {
		return nil
	}
	e.lock()
	if e.removed {
		e.unlock()
		return nil
	}
	return e
}
