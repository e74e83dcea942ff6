package sharedict

import "math/bits"

// slab models nginx's slab allocator (src/core/ngx_slab.c, nginx 1.22 on a 64-bit host) closely
// enough that capacity, free_space and the moment a dict runs out of memory match OpenResty's: a
// zone is cut into 4 KiB pages after a header; a request above 2048 bytes takes whole contiguous
// pages (first fit, freed runs coalesce); a smaller one takes a chunk of the next power of two (at
// least 8 bytes) from a page dedicated to that size, and a page returns to the free pool when its
// last chunk is freed. free_space counts whole free pages only. Only counts are kept per page,
// not which chunk is used, because nothing observable depends on it.
type slab struct {
	pages    []page
	freeHead int32         // first free run, or -1
	slotHead [nSlots]int32 // first page with free chunks per chunk size, or -1
	pfree    int           // free pages
}

const (
	pageSize    = 4096
	pageShift   = 12
	minShift    = 3 // smallest chunk: 8 bytes
	exactShift  = 6 // 64-byte chunks keep their bitmap outside the page
	slabMaxSize = pageSize / 2
	nSlots      = pageShift - minShift

	// zoneHeader is what precedes the page descriptors in a zone on amd64: ngx_slab_pool_t
	// (200 bytes), then one ngx_slab_page_t (24) and one ngx_slab_stat_t (32) per slot.
	zoneHeader = 200 + nSlots*(24+32)
	pageDesc   = 24 // one ngx_slab_page_t per page
)

type pageState uint8

const (
	pageFree   pageState = iota // in a free run; the first page of a run is listed in freeHead
	pageRun                     // first page of a multi-page allocation
	pageBusy                    // a later page of a multi-page allocation
	pageChunks                  // divided into chunks of one slot
)

type page struct {
	next, prev int32 // links in the free list (free runs) or in a slot list (chunk pages)
	run        int32 // pages in the run, on the first page of a free run or of an allocation
	start      int32 // on the last page of a free run: its first page
	used, cap  uint16
	slot       uint8
	state      pageState
	listed     bool
}

// chunk is one allocation: a chunk of slot `slot` in page `page`, or (slot < 0) a run of pages.
type chunk struct {
	page int32
	slot int8
}

// zonePages returns the number of pages nginx's ngx_slab_init makes of a zone of size bytes.
func zonePages(size int64) int64 {
	if size <= zoneHeader {
		return 0
	}
	pages := (size - zoneHeader) / (pageSize + pageDesc)
	start := (zoneHeader + pages*pageDesc + pageSize - 1) &^ (pageSize - 1)
	if fit := (size - start) / pageSize; fit < pages {
		pages = fit
	}
	return max(pages, 0)
}

func newSlab(pages int) *slab {
	s := &slab{pages: make([]page, pages), freeHead: -1}
	for i := range s.slotHead {
		s.slotHead[i] = -1
	}
	for i := range s.pages {
		s.pages[i] = page{next: -1, prev: -1}
	}
	if pages > 0 {
		s.pages[0].run = int32(pages)
		s.pages[pages-1].start = 0
		s.push(&s.freeHead, 0)
		s.pfree = pages
	}
	return s
}

// slotOf returns the slot and chunk shift of a small request.
func slotOf(size int) (slot int, shift uint) {
	shift = minShift
	if size > 1<<minShift {
		shift = uint(bits.Len(uint(size - 1)))
	}
	return int(shift - minShift), shift
}

// chunksPerPage is how many chunks of 1<<shift bytes a page holds, less the ones nginx uses for
// the page's own bitmap when chunks are smaller than 64 bytes.
func chunksPerPage(shift uint) uint16 {
	n := uint16(pageSize >> shift)
	if shift < exactShift {
		bitmap := n / uint16((1<<shift)*8)
		n -= max(bitmap, 1)
	}
	return n
}

func pagesFor(size int) int32 { return int32((size + pageSize - 1) / pageSize) }

// alloc allocates size bytes as ngx_slab_alloc_locked does.
func (s *slab) alloc(size int) (chunk, bool) {
	if size > slabMaxSize {
		p := s.allocPages(pagesFor(size))
		return chunk{page: p, slot: -1}, p >= 0
	}
	slot, shift := slotOf(size)
	if h := s.slotHead[slot]; h >= 0 {
		pg := &s.pages[h]
		pg.used++
		if pg.used == pg.cap {
			s.unlink(&s.slotHead[slot], h)
		}
		return chunk{page: h, slot: int8(slot)}, true
	}
	p := s.allocPages(1)
	if p < 0 {
		return chunk{}, false
	}
	pg := &s.pages[p]
	pg.state, pg.slot, pg.cap, pg.used = pageChunks, uint8(slot), chunksPerPage(shift), 1
	s.push(&s.slotHead[slot], p)
	return chunk{page: p, slot: int8(slot)}, true
}

// canAlloc reports whether alloc(size) would succeed now.
func (s *slab) canAlloc(size int) bool {
	if size > slabMaxSize {
		n := pagesFor(size)
		for p := s.freeHead; p >= 0; p = s.pages[p].next {
			if s.pages[p].run >= n {
				return true
			}
		}
		return false
	}
	slot, _ := slotOf(size)
	return s.slotHead[slot] >= 0 || s.freeHead >= 0
}

// free releases a chunk as ngx_slab_free_locked does.
func (s *slab) free(c chunk) {
	if c.slot < 0 {
		s.freePages(c.page, s.pages[c.page].run)
		return
	}
	pg := &s.pages[c.page]
	if !pg.listed {
		s.push(&s.slotHead[c.slot], c.page)
	}
	pg.used--
	if pg.used == 0 {
		s.freePages(c.page, 1)
	}
}

// allocPages takes the first free run of at least n pages, splitting off its front.
func (s *slab) allocPages(n int32) int32 {
	for p := s.freeHead; p >= 0; p = s.pages[p].next {
		pg := &s.pages[p]
		if pg.run < n {
			continue
		}
		if pg.run > n {
			q := p + n
			s.pages[q] = page{next: -1, prev: -1, run: pg.run - n}
			s.pages[p+pg.run-1].start = q
			s.replace(&s.freeHead, p, q)
		} else {
			s.unlink(&s.freeHead, p)
		}
		*pg = page{next: -1, prev: -1, run: n, state: pageRun}
		for i := p + 1; i < p+n; i++ {
			s.pages[i] = page{next: -1, prev: -1, state: pageBusy}
		}
		s.pfree -= int(n)
		return p
	}
	return -1
}

// freePages returns a run of n pages starting at p, coalescing it with free neighbours.
func (s *slab) freePages(p, n int32) {
	s.pfree += int(n)
	if pg := &s.pages[p]; pg.listed {
		s.unlink(&s.slotHead[pg.slot], p)
	}
	for i := p; i < p+n; i++ {
		s.pages[i] = page{next: -1, prev: -1}
	}
	s.pages[p].run = n
	if j := p + n; int(j) < len(s.pages) && s.pages[j].state == pageFree && s.pages[j].listed {
		s.pages[p].run += s.pages[j].run
		s.unlink(&s.freeHead, j)
		s.pages[j].run = 0
	}
	if p > 0 && s.pages[p-1].state == pageFree {
		j := p - 1
		if s.pages[j].run == 0 {
			j = s.pages[j].start
		}
		if s.pages[j].listed {
			s.unlink(&s.freeHead, j)
			s.pages[j].run += s.pages[p].run
			s.pages[p].run = 0
			p = j
		}
	}
	s.pages[p+s.pages[p].run-1].start = p
	s.push(&s.freeHead, p)
}

func (s *slab) push(head *int32, i int32) {
	pg := &s.pages[i]
	pg.prev, pg.next, pg.listed = -1, *head, true
	if *head >= 0 {
		s.pages[*head].prev = i
	}
	*head = i
}

func (s *slab) unlink(head *int32, i int32) {
	pg := &s.pages[i]
	if pg.prev >= 0 {
		s.pages[pg.prev].next = pg.next
	} else {
		*head = pg.next
	}
	if pg.next >= 0 {
		s.pages[pg.next].prev = pg.prev
	}
	pg.next, pg.prev, pg.listed = -1, -1, false
}

// replace puts page n where page o was in a list.
func (s *slab) replace(head *int32, o, n int32) {
	op, np := &s.pages[o], &s.pages[n]
	np.prev, np.next, np.listed = op.prev, op.next, true
	if op.prev >= 0 {
		s.pages[op.prev].next = n
	} else {
		*head = n
	}
	if op.next >= 0 {
		s.pages[op.next].prev = n
	}
	op.next, op.prev, op.listed = -1, -1, false
}
