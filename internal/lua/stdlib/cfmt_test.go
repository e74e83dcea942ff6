package stdlib

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// decimalExponent's estimate from the binary exponent agrees with the exponent strconv prints,
// around powers of ten and across the whole range, subnormals included.
func TestDecimalExponent(t *testing.T) {
	check := func(f float64) {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		want, _ := strconv.Atoi(s[strings.IndexByte(s, 'e')+1:])
		assert.Equal(t, want, decimalExponent(f), "%v", f)
	}
	for e := -323; e <= 308; e++ {
		p := math.Pow(10, float64(e))
		for _, f := range []float64{p, math.Nextafter(p, 0), math.Nextafter(p, math.Inf(1)), p * 3.7} {
			if f > 0 && !math.IsInf(f, 0) {
				check(f)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		if f := math.Float64frombits(r.Uint64() >> 1); f > 0 && !math.IsInf(f, 0) && !math.IsNaN(f) {
			check(f)
		}
	}
	check(math.SmallestNonzeroFloat64)
	check(math.MaxFloat64)
}
