package sharedict_test

import (
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
	"github.com/goresty/goresty/sharedict"
)

// resty.Config.SharedDicts end to end (the differential cases cover the methods).

func newDict(t *testing.T, name string) *sharedict.Dict {
	t.Helper()
	d, err := sharedict.New(name, 1<<20)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	return d
}

func luaHandler(t *testing.T, dicts map[string]sharedict.Store, hooks []resty.Hook, content string) *resty.Handler {
	t.Helper()
	h := restytest.NewHandler(t, resty.Config{SharedDicts: dicts, Hooks: hooks,
		Locations: []resty.Location{{Match: "= /t", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, content)}}}})
	t.Cleanup(h.Close)
	return h
}

func TestSharedDictsRefused(t *testing.T) {
	tests := []struct {
		name  string
		dicts map[string]sharedict.Store
		want  string
	}{
		{"empty name", map[string]sharedict.Store{"": newDict(t, "x")}, "shared dict with an empty name"},
		{"nil dict", map[string]sharedict.Store{"cache": nil}, `shared dict "cache": nil dict`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resty.New(resty.Config{SharedDicts: tt.dicts})
			assert.EqualError(t, err, tt.want)
		})
	}
}

// TestSharedDictsShared checks that every Lua state and goroutine of a Handler sees one dict,
// which Go code sees too.
func TestSharedDictsShared(t *testing.T) {
	d := newDict(t, "hits")
	h := luaHandler(t, map[string]sharedict.Store{"hits": d}, nil, `ngx.print((ngx.shared.hits:incr("n", 1, 0)))`)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				restytest.AssertStatus(t, restytest.Get(h, "/t"), 200)
			}
		})
	}
	wg.Wait()
	v, _, err := d.Get("n")
	require.NoError(t, err)
	assert.Equal(t, sharedict.Number(workers*each), v)
	assert.Equal(t, strconv.Itoa(workers*each+1), restytest.Body(restytest.Get(h, "/t")))
}

// TestSharedDictsOutsideRequests checks ngx.shared in init and init_worker, which run at the
// dict's own clock.
func TestSharedDictsOutsideRequests(t *testing.T) {
	d := newDict(t, "boot")
	h := luaHandler(t, map[string]sharedict.Store{"boot": d}, []resty.Hook{
		resty.LuaHook(ngx.PhaseInit, `ngx.shared.boot:set("init", "yes", 3600)`),
		resty.LuaHook(ngx.PhaseInitWorker, `ngx.shared.boot:incr("workers", 1, 0)`),
	}, `ngx.say(ngx.shared.boot:get("init"), " ", ngx.shared.boot:get("workers") >= 1)`)
	restytest.AssertBody(t, restytest.Get(h, "/t"), "yes true\n")
	ttl, err := d.TTL("init")
	require.NoError(t, err)
	assert.Greater(t, ttl.Seconds(), 3599.0)
}

// TestSharedDictsCopied checks that the Handler keeps the dicts it was given.
func TestSharedDictsCopied(t *testing.T) {
	dicts := map[string]sharedict.Store{"a": newDict(t, "a")}
	h := luaHandler(t, dicts, nil, `ngx.say(ngx.shared.a ~= nil, " ", ngx.shared.b)`)
	dicts["b"] = newDict(t, "b")
	delete(dicts, "a")
	restytest.AssertBody(t, restytest.Get(h, "/t"), "true nil\n")
}

// TestSharedDictsRequestClock checks that expiry in a request follows its cached time: the
// entry outlives its exptime until ngx.update_time().
func TestSharedDictsRequestClock(t *testing.T) {
	h := luaHandler(t, map[string]sharedict.Store{"c": newDict(t, "c")}, nil, `
		local c = ngx.shared.c
		c:set("k", "v", 0.001)
		local t0 = os.clock() while os.clock() - t0 < 0.02 do end
		ngx.say(c:get("k"))
		ngx.update_time()
		ngx.say(c:get("k"))`)
	restytest.AssertBody(t, restytest.Get(h, "/t"), "v\nnil\n")
}
