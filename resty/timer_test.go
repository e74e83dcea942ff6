package resty_test

import (
	"bytes"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/servertest"
	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
	"github.com/goresty/goresty/sharedict"
)

// TestLuaTimers: ngx.timer.at and every run their callbacks later, on the VM that made them, in
// the timer phase, with their arguments; Close runs the pending ones with premature true and
// waits for them; a failing callback is logged as OpenResty logs it.
func TestLuaTimers(t *testing.T) {
	d, err := sharedict.New("t", 1<<20)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	var logs servertest.SyncBuffer
	h, err := resty.New(resty.Config{
		Logger:      slog.New(slog.NewTextHandler(&logs, nil)),
		SharedDicts: map[string]sharedict.Store{"t": d},
		Lua:         resty.LuaConfig{Workers: 2},
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseInitWorker, `
			if ngx.worker.id() == 0 then
				assert(ngx.timer.every(0.005, function(premature)
					ngx.shared.t:incr("ticks", 1, 0)
					if premature then ngx.shared.t:set("every_premature", true) end
				end))
			end`)},
		Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local id = ngx.worker.id()
			local ok, err = ngx.timer.at(0, function(premature, a, b)
				ngx.shared.t:set("at", table.concat({tostring(premature), a, b, ngx.get_phase(),
					tostring(ngx.worker.id() == id), type(ngx.ctx)}, " "))
			end, "A", 2)
			ngx.say(ok, " ", tostring(err))
			assert(ngx.timer.at(3600, function(premature)
				ngx.shared.t:set("late", tostring(premature) .. " " ..
					table.concat({ngx.timer.at(0, function() end)}, " ", 2))
			end))
			assert(ngx.timer.at(0, function() error("boom") end))
			ngx.say(pcall(ngx.timer.every, 0, print))`)}}},
	})
	require.NoError(t, err)
	restytest.AssertBody(t, restytest.Get(h, "/"),
		"1 nil\nfalsebad argument #2 to '?' (Lua function expected)\n")
	require.Eventually(t, func() bool {
		v, _, _ := d.Get("at")
		return v.String() == "false A 2 timer true table"
	}, 5*time.Second, 5*time.Millisecond)
	require.Eventually(t, func() bool {
		n, _, _ := d.Get("ticks")
		f, _ := n.AsNumber()
		return f >= 3
	}, 5*time.Second, 5*time.Millisecond, "every repeats")
	require.Eventually(t, func() bool {
		return bytes.Contains([]byte(logs.String()), []byte("lua entry thread aborted: runtime error:"))
	}, 5*time.Second, 5*time.Millisecond)
	assert.Contains(t, logs.String(), `boom\nstack traceback:\ncoroutine 0:\n\t[C]: in function 'error'`)

	h.Close() // runs the hour-long timer now, premature
	late, _, _ := d.Get("late")
	assert.Equal(t, "true process exiting", late.String(), "premature, and no new timers once closing")
	premature, _, _ := d.Get("every_premature")
	b, _ := premature.AsBool()
	assert.True(t, b, "the every timer ran once more, premature")
}

// TestLuaTimersPendingLimit: as lua_max_pending_timers, at most 1024 timers wait at once.
// An every timer whose callback runs when Close comes runs once more, premature, as nginx runs
// the next run it has pending while the callback runs.
func TestLuaEveryTimerClosedWhileRunning(t *testing.T) {
	d, err := sharedict.New("t", 1<<20)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	h, err := resty.New(resty.Config{
		SharedDicts: map[string]sharedict.Store{"t": d},
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseInitWorker, `
			assert(ngx.timer.every(0.001, function(premature)
				local t = ngx.shared.t
				t:incr("runs", 1, 0)
				if premature then
					t:set("premature", t:get("runs"))
					return
				end
				t:set("running", true)
				ngx.sleep(0.1) -- Close comes now
			end))`)},
	})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		v, _, _ := d.Get("running")
		b, _ := v.AsBool()
		return b
	}, 5*time.Second, time.Millisecond)
	h.Close()
	runs, _, _ := d.Get("runs")
	premature, _, _ := d.Get("premature")
	assert.Equal(t, runs.String(), premature.String(), "the last run is the premature one")
	assert.NotEqual(t, "", premature.String())
}

func TestLuaTimersPendingLimit(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{Match: "/",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local f = function() end
			for i = 1, 1024 do assert(ngx.timer.at(3600, f)) end
			ngx.say(ngx.timer.pending_count(), " ", tostring(ngx.timer.at(3600, f)), " ",
				select(2, ngx.timer.at(3600, f)))`)}}}})
	restytest.AssertBody(t, restytest.Get(h, "/"), "1024 nil too many pending timers\n")
}

// TestLuaLogOutsideRequests: ngx.log and print in init_worker and in timers go to the Handler's
// logger, as a request's do.
func TestLuaLogOutsideRequests(t *testing.T) {
	var logs servertest.SyncBuffer
	h := restytest.NewHandler(t, resty.Config{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseInitWorker, `
			ngx.log(ngx.WARN, "from init_worker")
			ngx.timer.at(0, function() ngx.log(ngx.ERR, "from a timer") end)`)},
		Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.say("ok")`)}}},
	})
	restytest.AssertBody(t, restytest.Get(h, "/"), "ok\n")
	require.Eventually(t, func() bool { return bytes.Contains([]byte(logs.String()), []byte("from a timer")) },
		5*time.Second, 5*time.Millisecond)
	assert.Contains(t, logs.String(), "from init_worker")
}

// TestLuaTimersOfAFailedInitWorker: a timer made by an init_worker that then fails still runs
// (premature, as New fails) on its VM, which closes after it.
func TestLuaTimersOfAFailedInitWorker(t *testing.T) {
	d, err := sharedict.New("t", 1<<20)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	_, err = resty.New(resty.Config{
		SharedDicts: map[string]sharedict.Store{"t": d},
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseInitWorker, `
			ngx.timer.at(0, function(premature) ngx.shared.t:set("ran", tostring(premature)) end)
			ngx.timer.at(3600, function(premature) ngx.shared.t:set("late", tostring(premature)) end)
			error("init_worker fails")`)},
		Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.say(1)`)}}},
	})
	require.ErrorContains(t, err, "init_worker fails")
	late, _, _ := d.Get("late")
	assert.Equal(t, "true", late.String())
	ran, _, _ := d.Get("ran")
	assert.NotEmpty(t, ran.String(), "the due timer ran too (premature or not)")
}

// TestLuaTimersEndWhenNewFails: when New fails after the Lua engine started (here on a bad
// location), the engine is closed and its timers end, premature.
func TestLuaTimersEndWhenNewFails(t *testing.T) {
	d, err := sharedict.New("t", 1<<20)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	_, err = resty.New(resty.Config{
		SharedDicts: map[string]sharedict.Store{"t": d},
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseInitWorker, `
			ngx.timer.every(3600, function(premature) ngx.shared.t:set("every", tostring(premature)) end)`)},
		Locations: []resty.Location{{Match: "~ (", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.say(1)`)}}},
	})
	require.Error(t, err)
	v, _, _ := d.Get("every")
	assert.Equal(t, "true", v.String())
}
