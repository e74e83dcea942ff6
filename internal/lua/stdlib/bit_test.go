package stdlib

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestToBit(t *testing.T) {
	cases := []struct {
		in   float64
		want int32
	}{
		{0, 0}, {1, 1}, {-1, -1}, {2.5, 2}, {3.5, 4}, {-2.5, -2}, {-3.5, -4}, {0.49999999999999994, 0},
		{2147483648, -2147483648}, {4294967296, 0}, {4294967301, 5}, {-2147483649, 2147483647},
		{1 << 51, 0}, {1e300, -2013235812}, {math.Inf(1), 0}, {math.Float64frombits(0xfff8000000000000), 0}, {4294967295.5, 0},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, toBit(c.in), "tobit(%v)", c.in)
	}
}

func TestBit(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"global and require", `print(bit == require("bit"), type(bit32))`, "true\ttable", ""},
		{"band bor bxor bnot", `print(bit.band(0xffffffff, 0xff00ff00), bit.bor(1, 2, 4, 8), bit.bxor(1, 3, 7), bit.bnot(0))`, "-16711936\t15\t5\t-1", ""},
		{"one argument", `print(bit.band(1), bit.bor(-1), bit.bxor(5))`, "1\t-1\t5", ""},
		{"shifts", `print(bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), bit.lshift(1, -1), bit.rshift(-1, 28), bit.rshift(-1, 32), bit.arshift(-256, 4), bit.arshift(256, 36))`,
			"-2147483648\t1\t2\t-2147483648\t15\t-1\t-16\t16", ""},
		{"rotations and bswap", `print(bit.rol(0x12345678, 4), bit.ror(0x12345678, 4), bit.rol(1, 33), bit.ror(1, -1), bit.bswap(0x12345678), bit.bswap(-1))`,
			"591751041\t-2128394905\t2\t2\t2018915346\t-1", ""},
		{"fractions round to even", `print(bit.band(1.5, 3), bit.lshift(1, 2.5), bit.lshift(1, 3.5))`, "2\t4\t16", ""},
		{"strings are numbers", `print(bit.tobit("12"), bit.tobit(" 0x1f "), bit.band("0x10", "3"))`, "12\t31\t0", ""},
		{"tohex", `print(bit.tohex(-1), bit.tohex(255, 2), bit.tohex(255, -4), bit.tohex(0x12345678, 0) == "", bit.tohex(1, 3.7))`, "ffffffff\tff\t00FF\ttrue\t0001", ""},
		{"tohex wide", `print(bit.tohex(0x12345678, 16), bit.tohex(-1, 20), bit.tohex(-1, -20), bit.tohex(0x12345678, 9))`,
			"0000000012345678\t000000000000ffffffff\t000000000000FFFFFFFF\t012345678", ""},
		{"tohex at most 254 digits", `print(#bit.tohex(255, 255), #bit.tohex(0, 256), #bit.tohex(1, -1000), bit.tohex(-1, -2^31):sub(-9))`, "254\t254\t254\t0FFFFFFFF", ""},
		{"tohex zero digits", `print(bit.tohex(0, 0) == "", bit.tohex(0x1234, 15))`, "true\t000000000001234", ""},
		{"no argument", `bit.band()`, "", "bad argument #1 to '?' (number expected, got no value)"},
		{"not a number", `bit.bor(1, {})`, "", "bad argument #2 to '?' (number expected, got table)"},
		{"missing shift", `bit.lshift(1)`, "", "bad argument #2 to '?' (number expected, got no value)"},
	})
}
