package resty_test

import (
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// TestLuaThreadsUnderConcurrency: many requests at once, on few VMs, each spawning light
// threads that sleep and return, get their own results; threads may spawn threads, and a
// socket object a thread made serves its parent.
func TestLuaThreadsUnderConcurrency(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{
		Lua: resty.LuaConfig{Workers: 2},
		Locations: []resty.Location{{Match: "= /t", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local id = tonumber(ngx.var.arg_id)
			local function work(k)
				ngx.sleep(0.001 * k)
				local inner = ngx.thread.spawn(function() ngx.sleep(0.001) return k * 10 end)
				local _, v = ngx.thread.wait(inner)
				return id * 1000 + v
			end
			local ts = {}
			for k = 1, 3 do ts[k] = ngx.thread.spawn(work, k) end
			local sum = 0
			for k = 1, 3 do
				local ok, v = ngx.thread.wait(ts[k])
				assert(ok, v)
				sum = sum + v
			end
			ngx.print(sum)`)}}},
	})
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 10 {
				id := g*100 + i
				body := restytest.Body(restytest.Get(h, "/t?id="+strconv.Itoa(id)))
				assert.Equal(t, strconv.Itoa(3*id*1000+60), body, "request %d", id)
			}
		})
	}
	wg.Wait()
}

// TestLuaThreadExitAndErrors: ngx.exit in a light thread ends the request with its status
// while the entry thread sleeps; an error in the entry thread stops its threads.
func TestLuaThreadExitAndErrors(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{
		Locations: []resty.Location{
			{Match: "= /exit", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
				ngx.thread.spawn(function()
					ngx.sleep(0.01)
					ngx.status = 201
					ngx.say("from thread")
					ngx.exit(201)
				end)
				ngx.sleep(5) -- cut short
				ngx.say("not reached")`)}},
			{Match: "= /error", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
				ngx.thread.spawn(function() ngx.sleep(5) ngx.log(ngx.ERR, "not reached") end)
				error("entry fails")`)}},
		},
	})
	resp := restytest.Get(h, "/exit")
	restytest.AssertStatus(t, resp, 201)
	restytest.AssertBody(t, resp, "from thread\n")
	restytest.AssertStatus(t, restytest.Get(h, "/error"), 500)
}

// TestLuaClosuresOfConcurrentRequests: a closure over a request's local, run in a coroutine
// while other requests of the same VM run the same code, sees its own request's local. go-lua's
// closure cache, which compares open upvalues by stack index only, used to hand one request's
// closure to another at the same stack depth (see internal/lua/patch.go, helperNoCache).
func TestLuaClosuresOfConcurrentRequests(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{
		Lua: resty.LuaConfig{Workers: 1},
		Locations: []resty.Location{{Match: "= /t", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local id = ngx.var.arg_id
			local function work()
				local before = id
				ngx.sleep(0.001)
				return before .. "/" .. id
			end
			ngx.print(coroutine.wrap(work)())`)}}},
	})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 10 {
				id := strconv.Itoa(g*100 + i)
				assert.Equal(t, id+"/"+id, restytest.Body(restytest.Get(h, "/t?id="+id)))
			}
		})
	}
	wg.Wait()
}
