package cache

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/lua"
)

// BenchmarkLua measures one call from Lua, the loop's cost included: c:get and c:set of
// resty.lrucache beside a plain Lua table's read and write (the least a cache call can cost)
// and the empty loop.
func BenchmarkLua(b *testing.B) {
	const setup = `local c = require("resty.lrucache").new(1000) local t = {}
		for i = 1, 1000 do c:set("k" .. i, i) t["k" .. i] = i end `
	for _, bc := range []struct{ name, loop string }{
		{"loop", `for i = 1, n do end`},
		{"table_get", `for i = 1, n do local v = t.k500 end`},
		{"table_set", `for i = 1, n do t.k500 = i end`},
		{"get", `for i = 1, n do local v = c:get("k500") end`},
		{"get_missing", `for i = 1, n do local v = c:get("nope") end`},
		{"set", `for i = 1, n do c:set("k500", i) end`},
		{"set_ttl", `for i = 1, n do c:set("k500", i, 60) end`},
		{"set_evict", `for i = 1, n do c:set(i, i) end`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			engine, err := lua.NewEngine(lua.Config{Modules: LuaModules(), Print: func(string) {}})
			require.NoError(b, err)
			defer engine.Close()
			chunk, err := lua.Compile("=bench", fmt.Sprintf("local n = %d %s %s", b.N, setup, bc.loop))
			require.NoError(b, err)
			s, err := engine.Acquire(context.Background())
			require.NoError(b, err)
			defer engine.Release(s)
			b.ReportAllocs()
			b.ResetTimer()
			require.NoError(b, s.Exec(context.Background(), chunk, 0))
		})
	}
}
