package sharedict_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
	"github.com/goresty/goresty/sharedict"
)

// lockHandler serves src as the content of "/" with the shared dict "locks".
func lockHandler(t *testing.T, src string) *resty.Handler {
	d, err := sharedict.New("locks", 1<<20)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	return restytest.NewHandler(t, resty.Config{
		SharedDicts: map[string]sharedict.Store{"locks": d},
		Locations:   []resty.Location{{Match: "/", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, src)}}},
	})
}

func TestLuaLock(t *testing.T) {
	h := lockHandler(t, `
		local lock = require "resty.lock"
		ngx.say(lock._VERSION, " ", lock:new("nope"))
		local a = lock:new("locks", {timeout = 0.01})
		local b = lock:new("locks", {timeout = 0.01, step = 0.002})
		ngx.say(a:lock("k"), " ", a:lock("k2"))
		local elapsed, err = b:lock("k")
		ngx.say(elapsed, " ", err, " ", b:lock(nil))
		ngx.say(a:expire(10), " ", ngx.shared.locks:ttl("k"))
		ngx.say(a:unlock(), " ", a:unlock())
		ngx.say(a:expire(), " ", b:lock("k"), " ", b:unlock())
		local c = lock:new("locks", {timeout = 0})
		ngx.say(c:lock("k"), " ", lock:new("locks", {timeout = 0.01}):lock("k"), " ", c:lock("k"))`)
	assert.Equal(t, "0.09 nildictionary not found\n"+
		"0 nillocked\n"+
		"nil timeout nilnil key\n"+
		"true 10\n"+
		"1 nilunlocked\n"+
		"nil 0 1\n"+
		"0 nil nillocked\n", restytest.Body(restytest.Get(h, "/")))
}

// A waiter sleeps in steps that double from step up to max_step and returns the time it slept
// when the holder (a timer here) unlocks.
func TestLuaLockWaitsForTheHolder(t *testing.T) {
	h := lockHandler(t, `
		local lock = require "resty.lock"
		local holder = lock:new("locks")
		assert(holder:lock("k") == 0)
		assert(ngx.timer.at(0.02, function() holder:unlock() end))
		local elapsed, err = lock:new("locks", {max_step = 0.008}):lock("k")
		ngx.say(elapsed, " ", err)`)
	body := strings.TrimSpace(restytest.Body(restytest.Get(h, "/")))
	elapsed, err := strconv.ParseFloat(strings.Fields(body)[0], 64)
	require.NoError(t, err, body)
	// The steps: 0.001, 0.002, 0.004, then 0.008 each.
	sums := map[string]bool{}
	for s, step := 0.0, 0.001; s < 2; step = min(step*2, 0.008) {
		s += step
		sums[strconv.FormatFloat(s, 'f', 3, 64)] = true
	}
	assert.True(t, sums[strconv.FormatFloat(elapsed, 'f', 3, 64)], "%v is a sum of the steps", elapsed)
	assert.GreaterOrEqual(t, elapsed, 0.015)
	assert.Contains(t, body, " nil")
}
