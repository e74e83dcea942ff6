package stdlib

import (
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countKeys is Lua that counts the entries of the global t with pairs and prints the count.
const countKeys = ` local n = 0 for _ in pairs(t) do n = n + 1 end print(n)`

func TestNext(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"empty", `print(next({}), next({}, nil))`, "nil\tnil", ""},
		{"array then hash", `local t = {10, 20, x = 1} print(next(t)) print(next(t, 1)) print(next(t, 2)) print(next(t, "x"))`,
			"1\t10\n2\t20\nx\t1\nnil", ""},
		{"skips array holes", `local t = {1, nil, 3} print(next(t, 1))`, "3\t3", ""},
		{"key not in the table", `next({a = 1}, "b")`, "", "invalid key to 'next'"},
		{"integer past the array", `next({10, 20}, 3)`, "", "invalid key to 'next'"},
		{"zero", `next({10, 20}, 0)`, "", "invalid key to 'next'"},
		{"fraction", `next({10, 20}, 1.5)`, "", "invalid key to 'next'"},
		{"NaN", `next({10, 20}, 0/0)`, "", "invalid key to 'next'"},
		{"invalid key has no position", `print(pcall(function() local x = next({}, "k") return x end))`, "false\tinvalid key to 'next'", ""},
		{"not a table", `next(1)`, "", "bad argument #1 to '?' (table expected, got number)"},
		{"no argument", `next()`, "", "bad argument #1 to '?' (table expected, got no value)"},
		{"removed key stays valid until a key is added",
			`local d = {p = 1, q = 2, r = 3} local k = next(d) d[k] = nil local n = 0 while true do k = next(d, k) if k == nil then break end n = n + 1 end print(n)`,
			"2", ""},
		{"explicit next loop visits each key once",
			`local q, seen, k = {a = 1, b = 2, c = 3, 4}, {}, nil repeat k = next(q, k) if k then seen[#seen + 1] = tostring(k) end until k == nil table.sort(seen) print(table.concat(seen, ","))`,
			"1,a,b,c", ""},
		{"ignores __eq", `local mt = {__eq = function() return true end} local a, b = setmetatable({}, mt), setmetatable({}, mt)
			local t = {[a] = 1, [b] = 2} local n = 0 for k, v in pairs(t) do n = n + v end print(n)`, "3", ""},
	})
}

func TestPairs(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"returns the global next", `local f, s, k = pairs({}) print(f == next, type(s), k, select("#", pairs({})))`, "true\ttable\tnil\t3", ""},
		{"__pairs ignored, as LuaJIT", `local t = setmetatable({}, {__pairs = function(t) return function(_, k) if not k then return 1, "one" end end, t, nil end})
			local n = 0 for k, v in pairs(t) do n = n + 1 end print(n)`, "0", ""},
		{"__pairs not callable, ignored", `print(select("#", pairs(setmetatable({}, {__pairs = 1}))))`, "3", ""},
		{"ipairs ignores __ipairs and __index", `local n = 0 for _ in ipairs(setmetatable({}, {__index = function(_, i) return i end, __ipairs = error})) do n = n + 1 end print(n)`, "0", ""},
		{"not a table", `pairs(nil)`, "", "bad argument #1 to '?' (table expected, got nil)"},
		{"every kind of key", `local f = function() end
			t = {1, 2, 3, nil, 5, a = 1, b = 2, [1.5] = 3, [true] = 4, [-1] = 5, [100] = 6, [f] = 7, [{}] = 8}` + countKeys, "12", ""},
		{"clearing every field", `t = {} for i = 1, 20 do t["k" .. i] = i end
			local sum = 0 for k, v in pairs(t) do sum = sum + v t[k] = nil end print(sum, next(t))`, "210\tnil", ""},
		{"clearing the array part", `t = {1, 2, 3, x = 4} for k in pairs(t) do t[k] = nil end print(next(t))`, "nil", ""},
		{"clearing every other field", `t = {} for i = 1, 1000 do t[i * 7] = i end
			local c = 0 for k in pairs(t) do c = c + 1 if k % 2 == 0 then t[k] = nil end end print(c)` + countKeys, "1000\n500", ""},
		{"updating every field", `t = {} for i = 1, 100 do t["x" .. i] = i end for k, v in pairs(t) do t[k] = v * 2 end
			local s = 0 for _, v in pairs(t) do s = s + v end print(s)`, "10100", ""},
		{"nested loops over one table", `t = {a = 1, b = 2, c = 3, d = 4} local n = 0 for k1 in pairs(t) do for k2 in pairs(t) do n = n + 1 end end print(n)`, "16", ""},
		{"more nested tables than cursors", `local ts, n = {}, 0
			for i = 1, 10 do ts[i] = {} for j = 1, 3 do ts[i]["k" .. j] = j end end
			local function walk(d) if d > 10 then n = n + 1 return end for _ in pairs(ts[d]) do walk(d + 1) end end
			walk(1) print(n)`, "59049", ""},
		{"abandoned traversals", `t = {} for i = 1, 50 do t["k" .. i] = i end for j = 1, 20 do for k in pairs(t) do break end end` + countKeys, "50", ""},
		{"adding fields ends without an error", `t = {a = 1, b = 2, c = 3} local steps = 0 for k in pairs(t) do steps = steps + 1 if steps < 100 then t[k .. "x"] = 1 end end print(steps > 0)`, "true", ""},
		{"a traversal abandoned before fields were added", `local bad = 0
			for trial = 1, 100 do
				t = {a = 1, b = 2, c = 3, d = 4} for k in pairs(t) do if k == "b" then break end end
				t.e, t.f = 5, 6
				local n = 0 for _ in pairs(t) do n = n + 1 end if n ~= 6 then bad = bad + 1 end
			end
			print(bad)`, "0", ""},
		{"a traversal abandoned at a key that moved to the array", `local bad = 0
			for trial = 1, 100 do
				t = {} t[3] = "c" t.x, t.y, t.z = 1, 2, 3 for k in pairs(t) do if k == 3 then break end end
				t[1], t[2], t[4] = "a", "b", "d"
				local n = 0 for _ in pairs(t) do n = n + 1 end if n ~= 7 then bad = bad + 1 end
			end
			print(bad)`, "0", ""},
	})
}

func TestPairsWhenRawsetMovesKeysToTheArray(t *testing.T) {
	// go-lua grows the array part on rawset of an existing integer key, moving other keys out of
	// the hash part behind the traversal; the traversal must still see each key once.
	runCases(t, Options{}, []luaCase{{"rawset", `local bad = 0
		for trial = 1, 50 do
			local t = {} t[10] = 10 t[12] = 12 for i = 1, 4 do t[i] = i end
			local seen = {} for k, v in pairs(t) do seen[#seen + 1] = k rawset(t, k, v + 100) end
			table.sort(seen) if table.concat(seen, ",") ~= "1,2,3,4,10,12" then bad = bad + 1 end
		end
		print(bad)`, "0", ""}})
}

func TestPairsIsLinear(t *testing.T) {
	// go-lua's next took about a minute for these 20,000 keys.
	var out []string
	l := newState(t, Options{}, &out)
	require.NoError(t, doString(l, `t = {} for i = 1, 20000 do t["k" .. i] = i end`))
	start := time.Now()
	require.NoError(t, doString(l, `local s = 0 for k, v in pairs(t) do s = s + v end print(s)
		for k in pairs(t) do t[k] = nil end print(next(t))`))
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Equal(t, []string{"200010000", "nil"}, out)
}

func TestNextAgreesWithGoNext(t *testing.T) {
	// Go code may walk a table with go-lua's Next while Lua traverses it: both use one snapshot.
	var out []string
	l := newState(t, Options{}, &out)
	l.PushGoFunction(func(l *glua.State) int {
		n := 0
		for l.PushNil(); l.Next(1); l.Pop(1) {
			n++
		}
		l.PushInteger(n)
		return 1
	})
	l.SetGlobal("gocount")
	require.NoError(t, doString(l, `t = {} for i = 1, 100 do t["k" .. i] = i end
		local n, counts = 0, 0 for k in pairs(t) do n = n + 1 counts = counts + gocount(t) end print(n, counts)`))
	assert.Equal(t, []string{"100\t10000"}, out)
}

func TestNextWithoutSnapshotLayout(t *testing.T) {
	// Another go-lua version may lack iterationKeys: next falls back to go-lua's Next.
	saved := rawTables.iterKeysOff
	rawTables.iterKeysOff = 0
	t.Cleanup(func() { rawTables.iterKeysOff = saved })
	runCases(t, Options{}, []luaCase{
		{"counts", `t = {1, 2, a = 1, b = 2}` + countKeys, "4", ""},
		{"invalid key", `next({}, "x")`, "", "invalid key to 'next'"},
	})
}
