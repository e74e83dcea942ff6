package sharedict

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"10m", 10 << 20, true},
		{"10M", 10 << 20, true},
		{"512k", 512 << 10, true},
		{"512K", 512 << 10, true},
		{"4096", 4096, true},
		{"0", 0, true},
		{"007k", 7 << 10, true},
		{"", 0, false},
		{"k", 0, false},
		{"m", 0, false},
		{"1g", 0, false}, // nginx 1.22 has no g
		{"1.5m", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"0x10", 0, false},
		{"10b", 0, false},
		{"9223372036854775807", 9223372036854775807, true},
		{"9223372036854775808", 0, false},
		{"9007199254740992k", 0, false},
		{"8796093022207m", 8796093022207 << 20, true},
		{"8796093022208m", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			if !tt.ok {
				require.Error(t, err)
				assert.Contains(t, err.Error(), strconv.Quote(tt.in))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"10m", "512k", "4096", "", "1g", "99999999999999999999", "7K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err != nil {
			return
		}
		digits, scale := s, int64(1)
		switch s[len(s)-1] {
		case 'k', 'K':
			digits, scale = s[:len(s)-1], 1<<10
		case 'm', 'M':
			digits, scale = s[:len(s)-1], 1<<20
		}
		for _, c := range digits {
			require.True(t, c >= '0' && c <= '9', "accepted %q", s)
		}
		v, err := strconv.ParseInt(digits, 10, 64)
		require.NoError(t, err, "accepted %q", s)
		require.Equal(t, v*scale, n, "%q", s)
		require.GreaterOrEqual(t, n, int64(0))
	})
}

// TestZonePages checks the page count of ngx_slab_init; free_space of a new dict, which real
// nginx reported for these sizes, is that count less the two pages the dict's own bookkeeping
// takes (one when its name is 37 bytes or longer).
func TestZonePages(t *testing.T) {
	tests := []struct {
		size  int64
		pages int64
	}{
		{8192, 1}, {10000, 1}, {12 << 10, 2}, {16 << 10, 3}, {32 << 10, 7}, {64 << 10, 15},
		{1 << 20, 254}, {1 << 30, 260616}, {704, 0}, {0, 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.pages, zonePages(tt.size), "size %d", tt.size)
	}
}

func TestNewSizes(t *testing.T) {
	long := "a_very_long_zone_name_that_is_over_37_chars"
	tests := []struct {
		name string
		size int64
		free int64 // -1: New fails
	}{
		{"d", 8191, -1},
		{"d", 8192, -1}, // nginx: ngx_slab_alloc() failed: no memory
		{"d", 10000, -1},
		{long, 10000, 0},
		{"d", 12 << 10, 0},
		{long, 12 << 10, 4096},
		{"d", 16 << 10, 4096},
		{"d", 32 << 10, 20480},
		{"d", 1 << 20, 1032192},
		{"", 1 << 20, -1},
	}
	for _, tt := range tests {
		t.Run(strconv.FormatInt(tt.size, 10), func(t *testing.T) {
			d, err := New(tt.name, tt.size)
			if tt.free < 0 {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			defer d.Close()
			assert.Equal(t, tt.size, d.Capacity())
			free, err := d.FreeSpace()
			require.NoError(t, err)
			assert.Equal(t, tt.free, free)
			assert.Equal(t, tt.name, d.Name())
		})
	}
}
