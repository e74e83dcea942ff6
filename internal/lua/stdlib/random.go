package stdlib

import (
	"math"
	"math/rand/v2"

	glua "github.com/Shopify/go-lua"
)

// glibcRand is glibc's rand()/srand() (the additive feedback generator random_r uses by default),
// so that after math.randomseed(n) a state draws the same numbers as lua5.2 on Linux. Each Lua
// state owns one; it is not safe for concurrent use, like the state itself.
type glibcRand struct {
	state       [31]int32
	front, rear int
}

const randMax = 2147483647

func newGlibcRand(seed uint32) *glibcRand {
	r := &glibcRand{}
	r.seed(seed)
	return r
}

// seed is glibc's srandom_r.
func (r *glibcRand) seed(seed uint32) {
	if seed == 0 {
		seed = 1
	}
	word := int32(seed)
	r.state[0] = word
	for i := 1; i < len(r.state); i++ {
		hi, lo := int64(word)/127773, int64(word)%127773
		w := 16807*lo - 2836*hi
		if w < 0 {
			w += 2147483647
		}
		word = int32(w)
		r.state[i] = word
	}
	r.front, r.rear = 3, 0
	for range 310 {
		r.next()
	}
}

// next is glibc's random_r: a number in [0, 2^31).
func (r *glibcRand) next() int32 {
	r.state[r.front] += r.state[r.rear]
	v := int32(uint32(r.state[r.front]) >> 1)
	r.front++
	r.rear++
	if r.front >= len(r.state) {
		r.front = 0
	} else if r.rear >= len(r.state) {
		r.rear = 0
	}
	return v
}

// randomSeed picks the seed of a new state's generator, so that states do not share a sequence
// until a script calls math.randomseed.
func randomSeed() uint32 { return rand.Uint32() }

// mathRandom is Lua 5.2's math.random([m [, n]]) on this state's generator.
func (lb *lib) mathRandom(l *glua.State) int {
	r := float64(lb.rand.next()%randMax) / randMax
	switch l.Top() {
	case 0:
		l.PushNumber(r)
	case 1:
		u := glua.CheckNumber(l, 1)
		glua.ArgumentCheck(l, 1 <= u, 1, "interval is empty")
		l.PushNumber(math.Floor(r*u) + 1)
	case 2:
		lo, u := glua.CheckNumber(l, 1), glua.CheckNumber(l, 2)
		glua.ArgumentCheck(l, lo <= u, 2, "interval is empty")
		l.PushNumber(math.Floor(r*(u-lo+1)) + lo)
	default:
		glua.Errorf(l, "wrong number of arguments")
	}
	return 1
}

// mathRandomseed is Lua 5.2's math.randomseed(x): x modulo 2^32 seeds the state's generator.
func (lb *lib) mathRandomseed(l *glua.State) int {
	n := glua.CheckNumber(l, 1)
	lb.rand.seed(uint32(n - math.Floor(n/4294967296)*4294967296))
	lb.rand.next()
	return 0
}
