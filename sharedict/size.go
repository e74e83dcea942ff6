package sharedict

import (
	"fmt"
	"math"
)

// ParseSize parses an nginx size as lua_shared_dict takes it: decimal digits with an optional
// unit, k or K (KiB) or m or M (MiB). "10m" is 10485760; "512k" is 524288; "4096" is 4096 bytes.
// Like nginx 1.22 it accepts no sign, space, fraction or other unit (not even g).
func ParseSize(s string) (int64, error) {
	digits, scale := s, int64(1)
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'k', 'K':
			digits, scale = s[:n-1], 1<<10
		case 'm', 'M':
			digits, scale = s[:n-1], 1<<20
		}
	}
	if digits == "" {
		return 0, fmt.Errorf("sharedict: invalid size %q", s)
	}
	var n int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("sharedict: invalid size %q", s)
		}
		if n > (math.MaxInt64-int64(c-'0'))/10 {
			return 0, fmt.Errorf("sharedict: size %q overflows", s)
		}
		n = n*10 + int64(c-'0')
	}
	if n > math.MaxInt64/scale {
		return 0, fmt.Errorf("sharedict: size %q overflows", s)
	}
	return n * scale, nil
}
