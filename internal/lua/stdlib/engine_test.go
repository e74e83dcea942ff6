package stdlib_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/lua"
)

// TestNextAcrossCoroutines runs traversals through the engine, whose coroutines run on other
// go-lua states: a traversal that yields between steps, one resumed after the main state cleared
// fields, and tables created on either side.
func TestNextAcrossCoroutines(t *testing.T) {
	var out []string
	engine, err := lua.NewEngine(lua.Config{Print: func(line string) { out = append(out, line) }})
	require.NoError(t, err)
	t.Cleanup(engine.Close)
	chunk, err := lua.Compile("co.lua", `
		local t = {}
		for i = 1, 1000 do t["k" .. i] = i end
		local walker = coroutine.wrap(function()
			local n, sum = 0, 0
			for k, v in pairs(t) do
				n, sum = n + 1, sum + v
				coroutine.yield(k)
			end
			return "done", n, sum
		end)
		local cleared, clearedSum = 0, 0
		for i = 1, 2000 do
			local k, n, sum = walker()
			if k == "done" then print(n + cleared, sum + clearedSum, cleared > 0) break end
			for j = 1, 3 do
				local other, v = next(t, k)
				if other then t[other] = nil cleared, clearedSum = cleared + 1, clearedSum + v end
			end
		end
		local inner = coroutine.wrap(function()
			local u = {}
			for i = 1, 100 do u[i * 3] = i end
			coroutine.yield(u)
		end)()
		local n = 0
		for k in pairs(inner) do inner[k] = nil n = n + 1 end
		print(n, next(inner))`)
	require.NoError(t, err)
	s, err := engine.Acquire(context.Background())
	require.NoError(t, err)
	defer engine.Release(s)
	require.NoError(t, s.Exec(context.Background(), chunk, 0))
	assert.Equal(t, []string{"1000\t500500\ttrue", "100\tnil"}, out)
}
