package stdlib

import (
	"math"
	"math/bits"
	"strconv"
	"strings"

	glua "github.com/Shopify/go-lua"
)

// openBit installs LuaJIT's bit module as the global bit and package.loaded.bit; bit32 is kept.
func openBit(l *glua.State) {
	l.NewTable()
	setFuncs(l, []fn{
		{"tobit", func(l *glua.State) int { return pushBit(l, checkBit(l, 1)) }},
		{"tohex", bitTohex},
		{"bnot", func(l *glua.State) int { return pushBit(l, ^checkBit(l, 1)) }},
		{"band", bitReduce(func(a, b int32) int32 { return a & b })},
		{"bor", bitReduce(func(a, b int32) int32 { return a | b })},
		{"bxor", bitReduce(func(a, b int32) int32 { return a ^ b })},
		{"lshift", bitShift(func(x uint32, n uint) uint32 { return x << n })},
		{"rshift", bitShift(func(x uint32, n uint) uint32 { return x >> n })},
		{"arshift", bitShift(func(x uint32, n uint) uint32 { return uint32(int32(x) >> n) })},
		{"rol", bitShift(func(x uint32, n uint) uint32 { return bits.RotateLeft32(x, int(n)) })},
		{"ror", bitShift(func(x uint32, n uint) uint32 { return bits.RotateLeft32(x, -int(n)) })},
		{"bswap", func(l *glua.State) int { return pushBit(l, int32(bits.ReverseBytes32(uint32(checkBit(l, 1))))) }},
	})
	l.PushValue(-1)
	l.SetGlobal("bit")
	setLoaded(l, "bit", -1)
	l.Pop(1)
}

// toBit is LuaJIT's lj_num2bit: the low 32 bits of n + 2^52 + 2^51, which wraps integers modulo
// 2^32 and rounds fractions to the nearest even integer.
func toBit(n float64) int32 {
	return int32(uint32(math.Float64bits(n + 6755399441055744.0)))
}

// checkBit reads argument i as LuaJIT's bit functions do (numbers and numeric strings).
func checkBit(l *glua.State, i int) int32 { return toBit(glua.CheckNumber(l, i)) }

func pushBit(l *glua.State, v int32) int {
	l.PushNumber(float64(v))
	return 1
}

// bitReduce folds op over one or more arguments.
func bitReduce(op func(a, b int32) int32) glua.Function {
	return func(l *glua.State) int {
		r := checkBit(l, 1)
		for i, n := 2, l.Top(); i <= n; i++ {
			r = op(r, checkBit(l, i))
		}
		return pushBit(l, r)
	}
}

// bitShift applies op to x and a shift count taken modulo 32.
func bitShift(op func(x uint32, n uint) uint32) glua.Function {
	return func(l *glua.State) int {
		x := uint32(checkBit(l, 1))
		n := uint(checkBit(l, 2) & 31)
		return pushBit(l, int32(op(x, n)))
	}
}

// bitTohex is LuaJIT 2.1's bit.tohex(x [, n]): |n| hex digits (default 8, at most 254), upper case
// when n < 0.
func bitTohex(l *glua.State) int {
	x := uint64(uint32(checkBit(l, 1)))
	n := int32(8)
	if l.Top() >= 2 {
		n = checkBit(l, 2)
	}
	digits := uint32(n)
	if n < 0 {
		digits = -digits
	}
	digits = min(digits, 254)
	if digits < 16 {
		x &= 1<<(4*digits) - 1
	}
	s := ""
	if x != 0 {
		s = strconv.FormatUint(x, 16)
	}
	if int(digits) > len(s) {
		s = strings.Repeat("0", int(digits)-len(s)) + s
	}
	if n < 0 {
		s = strings.ToUpper(s)
	}
	l.PushString(s)
	return 1
}
