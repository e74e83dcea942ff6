package sharedict

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSlotOf(t *testing.T) {
	tests := []struct {
		size  int
		slot  int
		chunk int
	}{
		{1, 0, 8}, {8, 0, 8}, {9, 1, 16}, {16, 1, 16}, {17, 2, 32}, {32, 2, 32}, {33, 3, 64},
		{65, 4, 128}, {128, 4, 128}, {1025, 8, 2048}, {2048, 8, 2048},
	}
	for _, tt := range tests {
		slot, shift := slotOf(tt.size)
		assert.Equal(t, tt.slot, slot, "size %d", tt.size)
		assert.Equal(t, tt.chunk, 1<<shift, "size %d", tt.size)
	}
}

// TestChunksPerPage checks the usable chunks of a page: chunks under 64 bytes lose the ones
// holding the page's bitmap.
func TestChunksPerPage(t *testing.T) {
	want := map[uint]uint16{3: 504, 4: 254, 5: 127, 6: 64, 7: 32, 8: 16, 9: 8, 10: 4, 11: 2}
	for shift, n := range want {
		assert.Equal(t, n, chunksPerPage(shift), "chunk %d", 1<<shift)
	}
}

func TestSlabChunksShareAPage(t *testing.T) {
	s := newSlab(4)
	var cs []chunk
	for range 32 {
		c, ok := s.alloc(100) // 128-byte chunks, 32 a page
		require.True(t, ok)
		cs = append(cs, c)
	}
	assert.Equal(t, 3, s.pfree, "32 chunks of 128 bytes fit one page")
	c, ok := s.alloc(100)
	require.True(t, ok)
	assert.Equal(t, 2, s.pfree, "the 33rd takes a second page")
	s.free(c)
	assert.Equal(t, 3, s.pfree, "a page whose last chunk is freed returns to the pool")
	for _, c := range cs[1:] {
		s.free(c)
	}
	assert.Equal(t, 3, s.pfree, "one chunk keeps its page")
	s.free(cs[0])
	assert.Equal(t, 4, s.pfree)
}

func TestSlabRunsCoalesce(t *testing.T) {
	s := newSlab(6)
	a, ok := s.alloc(2 * pageSize)
	require.True(t, ok)
	b, ok := s.alloc(2 * pageSize)
	require.True(t, ok)
	c, ok := s.alloc(2 * pageSize)
	require.True(t, ok)
	assert.Equal(t, 0, s.pfree)
	s.free(a)
	s.free(c)
	assert.Equal(t, 4, s.pfree)
	assert.False(t, s.canAlloc(3*pageSize), "4 free pages, but in two runs of 2")
	_, ok = s.alloc(3 * pageSize)
	assert.False(t, ok)
	s.free(b)
	assert.True(t, s.canAlloc(6*pageSize), "freeing the middle run joins all three")
	_, ok = s.alloc(6 * pageSize)
	assert.True(t, ok)
}

func TestSlabFirstFit(t *testing.T) {
	s := newSlab(5)
	a, _ := s.alloc(pageSize + 1) // pages 0-1
	s.alloc(pageSize)             // page 2
	c, _ := s.alloc(pageSize)     // page 3
	assert.Equal(t, int32(0), a.page)
	assert.Equal(t, int32(3), c.page)
	s.free(a)
	d, ok := s.alloc(pageSize)
	require.True(t, ok)
	assert.Equal(t, int32(0), d.page, "the most recently freed run is first in the free list")
}

func TestSlabOutOfPages(t *testing.T) {
	s := newSlab(1)
	_, ok := s.alloc(pageSize + 1)
	assert.False(t, ok, "two pages needed, one exists")
	assert.True(t, s.canAlloc(8))
	_, ok = s.alloc(8)
	assert.True(t, ok)
	assert.True(t, s.canAlloc(8), "the 8-byte page has free chunks")
	assert.False(t, s.canAlloc(16), "no page for another chunk size")
}
