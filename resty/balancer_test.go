package resty_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// TestLuaBalancerModules: lua-resty-balancer's modules load in a Handler; a balancer made by
// init_by_lua keeps its state per VM across requests, as per worker in OpenResty.
func TestLuaBalancerModules(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{
		Lua: resty.LuaConfig{Workers: 1},
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseInit, `
			rr = require("resty.roundrobin"):new({a = 2, b = 1})
			ring = require("resty.chash"):new({s1 = 1, s2 = 1, s3 = 1})`)},
		Locations: []resty.Location{{Match: "= /pick", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			ngx.print(rr:find(), " ", ring:find(ngx.var.arg_key))`)}}},
	})
	counts := map[string]int{}
	first := map[string]string{}
	for i := range 30 {
		key := string(rune('a' + i%5))
		f := strings.Fields(restytest.Body(restytest.Get(h, "/pick?key="+key)))
		if !assert.Len(t, f, 2) {
			return
		}
		counts[f[0]]++
		if prev, ok := first[key]; ok {
			assert.Equal(t, prev, f[1], "key %s always on the same server", key)
		}
		first[key] = f[1]
	}
	assert.Equal(t, map[string]int{"a": 20, "b": 10}, counts, "weights 2:1 over whole rounds")
}
