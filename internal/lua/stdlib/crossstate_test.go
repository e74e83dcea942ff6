package stdlib

import (
	"strings"
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNextAcrossStates does what goresty's engine does for a coroutine: the coroutine runs on
// another go-lua state, in another goroutine, taking turns with the main state, and values
// (tables, the next function) cross between the states as they are. One traversal runs in the
// coroutine's state while the main state clears the fields ahead of it.
func TestNextAcrossStates(t *testing.T) {
	var out []string
	main := newState(t, Options{}, &out)
	require.NoError(t, doString(main, `
		t = {}
		for i = 1, 1000 do t["k" .. i] = i end
		cleared, clearedSum = 0, 0
		function clearAfter(k)
			for j = 1, 3 do
				local other, v = next(t, k)
				if other then t[other] = nil cleared, clearedSum = cleared + 1, clearedSum + v end
			end
		end`))
	co := glua.NewState() // no libraries: it uses the main state's functions, as a coroutine does
	for _, name := range []string{"t", "pairs"} {
		main.Global(name)
		co.PushLightUserData(main.ToValue(-1)) // pushes the value itself
		co.SetGlobal(name)
		main.Pop(1)
	}
	yield := make(chan string)
	resume := make(chan struct{})
	co.PushGoFunction(func(l *glua.State) int {
		s, _ := l.ToString(1)
		yield <- s
		<-resume
		return 0
	})
	co.SetGlobal("yield")
	go func() {
		defer close(yield)
		assert.NoError(t, doString(co, `
			local n, sum = 0, 0
			for k, v in pairs(t) do n, sum = n + 1, sum + v yield(k) end
			yield("done " .. n .. " " .. sum)`))
	}()
	var last string
	for k := range yield {
		if strings.HasPrefix(k, "done ") {
			last = k
			resume <- struct{}{}
			continue
		}
		main.Global("clearAfter")
		main.PushString(k)
		main.Call(1, 0)
		resume <- struct{}{}
	}
	require.NoError(t, doString(main, `print(cleared, clearedSum)`))
	require.Len(t, out, 1)
	var n, sum, cleared, clearedSum int
	_, err := fmtSscan(last[len("done "):], &n, &sum)
	require.NoError(t, err)
	_, err = fmtSscan(out[0], &cleared, &clearedSum)
	require.NoError(t, err)
	assert.Positive(t, cleared)
	assert.Equal(t, 1000, n+cleared, "every key seen by the coroutine or cleared ahead of it")
	assert.Equal(t, 500500, sum+clearedSum)
}
