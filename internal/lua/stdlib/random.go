package stdlib

import (
	"math"
	"math/rand/v2"

	glua "github.com/Shopify/go-lua"
)

// tw223 is LuaJIT's math.random generator: a 64-bit Tausworthe generator of period 2^223
// (lib_math.c), so that after math.randomseed(x) a state draws the same numbers as OpenResty's
// LuaJIT. Each Lua state owns one; it is not safe for concurrent use, like the state itself.
type tw223 struct {
	gen [4]uint64
}

func newTW223(seed float64) *tw223 {
	r := &tw223{}
	r.seed(seed)
	return r
}

// step advances the generator and returns a double in [1, 2) as its bits.
func (rs *tw223) step() uint64 {
	var r uint64
	gen := func(i int, k, q, s uint) {
		z := rs.gen[i]
		z = (((z << q) ^ z) >> (k - s)) ^ ((z & (^uint64(0) << (64 - k))) << s)
		r ^= z
		rs.gen[i] = z
	}
	gen(0, 63, 31, 18)
	gen(1, 58, 19, 28)
	gen(2, 55, 24, 7)
	gen(3, 47, 21, 8)
	return r&0x000fffffffffffff | 0x3ff0000000000000
}

// seed is LuaJIT's random_init: four words made from d, each with its top k bits not all zero,
// then ten steps.
func (rs *tw223) seed(d float64) {
	r := uint32(0x11090601) // 64-k of each word, as four bytes
	for i := range rs.gen {
		m := uint64(1) << (r & 255)
		r >>= 8
		d = d*3.14159265358979323846 + 2.7182818284590452354
		u := math.Float64bits(d)
		if u < m {
			u += m
		}
		rs.gen[i] = u
	}
	for range 10 {
		rs.step()
	}
}

// randomSeed picks the seed of a new state's generator, so that states do not share a sequence
// until a script calls math.randomseed (LuaJIT starts every process from the same one).
func randomSeed() float64 { return float64(rand.Uint32()) }

// mathRandom is LuaJIT's math.random([m [, n]]) on this state's generator: a number in [0, 1),
// or floor(r*m)+1, or floor(r*(n-m+1))+m. Like LuaJIT, it checks no interval and ignores
// arguments after the second.
func (lb *lib) mathRandom(l *glua.State) int {
	r := math.Float64frombits(lb.rand.step()) - 1
	switch {
	case l.Top() == 0:
		l.PushNumber(r)
	case l.Top() == 1:
		m := glua.CheckNumber(l, 1)
		l.PushNumber(math.Floor(r*m) + 1)
	default:
		m, n := glua.CheckNumber(l, 1), glua.CheckNumber(l, 2)
		l.PushNumber(math.Floor(r*(n-m+1)) + m)
	}
	return 1
}

// mathRandomseed is LuaJIT's math.randomseed(x): x, a number, seeds the state's generator.
func (lb *lib) mathRandomseed(l *glua.State) int {
	lb.rand.seed(glua.CheckNumber(l, 1))
	return 0
}
