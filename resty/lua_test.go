package resty_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
	"github.com/goresty/goresty/sharedict"
)

func TestLuaHello(t *testing.T) {
	var logs bytes.Buffer
	h := restytest.NewHandler(t, resty.Config{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Locations: []resty.Location{
			{Match: "= /hello", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.say("Hello, ", ngx.var.arg_name or "World", "!")`)}},
			{Match: "= /err", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `error("boom")`)}},
			{Match: "= /exit", Hooks: []resty.Hook{
				resty.LuaHook(ngx.PhaseAccess, `local ok = pcall(ngx.exit, 403) ngx.say("not reached")`),
			}},
		},
	})
	resp := restytest.Get(h, "/hello?name=Lua")
	restytest.AssertStatus(t, resp, http.StatusOK)
	restytest.AssertBody(t, resp, "Hello, Lua!\n")

	resp = restytest.Get(h, "/err")
	restytest.AssertStatus(t, resp, http.StatusInternalServerError)
	assert.Contains(t, logs.String(), "content_by_lua:1: boom")

	resp = restytest.Get(h, "/exit")
	restytest.AssertStatus(t, resp, http.StatusForbidden)
}

func TestLuaSetAndArgs(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{
			resty.SetLua("$sum", `return tonumber(ngx.arg[1]) + tonumber(ngx.arg[2])`, "$arg_a", "${arg_b}"),
			resty.SetLua("phase", `return ngx.get_phase()`),
			resty.LuaHook(ngx.PhaseContent, `ngx.say(ngx.var.sum, " ", ngx.var.phase)`),
		},
	}}})
	restytest.AssertBody(t, restytest.Get(h, "/?a=2&b=40"), "42 set\n")
}

func TestLuaOutputForbiddenInSet(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{resty.SetLua("x", `ngx.say("no")`)},
	}}})
	restytest.AssertStatus(t, restytest.Get(h, "/"), http.StatusInternalServerError)
}

// TestLuaGlobalsDoNotLeak runs requests concurrently that each set a global and read it back
// later in another phase: no request ever sees another's value.
func TestLuaGlobalsDoNotLeak(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Lua: resty.LuaConfig{MaxStates: 4}, Locations: []resty.Location{{
		Match: "/",
		Hooks: []resty.Hook{
			resty.LuaHook(ngx.PhaseAccess, `
				if leaked ~= nil then ngx.ctx.leak = leaked end
				leaked = ngx.var.arg_id`),
			resty.LuaHook(ngx.PhaseContent, `
				ngx.print(ngx.ctx.leak or "clean", " ", tostring(leaked))`),
		},
	}}})
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := restytest.Get(h, "/?id="+strconv.Itoa(i))
			assert.Equal(t, "clean nil", restytest.Body(resp))
		}()
	}
	wg.Wait()
}

// Globals a request writes stay its own while it waits (ngx.sleep gives the VM to other
// requests, which run the same chunk): before, a chunk without nested functions kept its
// environment in the one function all Execs share, and the next request replaced it.
func TestLuaGlobalsStayAcrossWaits(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`mine = ngx.var.arg_id ngx.sleep(0.02) ngx.print(mine)`, "%s"},
		{`loadstring("mine = ngx.var.arg_id")() ngx.sleep(0.02) ngx.print(mine)`, "%s"},
		{`local function get() return mine end mine = ngx.var.arg_id ngx.sleep(0.02) ngx.print(get(), mine)`, "%s%s"},
		{`local function get() return mine end loadstring("mine = ngx.var.arg_id")() ngx.sleep(0.02)
			ngx.print(get(), mine, ngx.req.get_method() == "GET" and "" or "?")`, "%s%s"},
		{`local function get() return ngx.var.arg_id end ngx.sleep(0.02) ngx.print(get(), tostring(mine))`, "%snil"},
	} {
		h := restytest.NewHandler(t, resty.Config{Lua: resty.LuaConfig{Workers: 1}, Locations: []resty.Location{{
			Match: "/", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, tt.src)},
		}}})
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := strconv.Itoa(i)
				want := strings.ReplaceAll(tt.want, "%s", id)
				assert.Equal(t, want, restytest.Body(restytest.Get(h, "/?id="+id)), tt.src)
			}()
		}
		wg.Wait()
	}
}

func TestLuaRequireFromPackagePath(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "lua", "app"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lua", "app", "greet.lua"), []byte(`
		local _M = {count = 0}
		function _M.hello(name) _M.count = _M.count + 1 return "hello " .. name end
		return _M`), 0o644))
	h := restytest.NewHandler(t, resty.Config{
		Lua: resty.LuaConfig{Prefix: dir, PackagePath: "$prefix/lua/?.lua;;", MaxStates: 1},
		Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local greet = require "app.greet"
			ngx.say(greet.hello("lua"), " ", greet.count)`)}}},
	})
	restytest.AssertBody(t, restytest.Get(h, "/"), "hello lua 1\n")
	// Module state persists per Lua state, as per worker in OpenResty.
	restytest.AssertBody(t, restytest.Get(h, "/"), "hello lua 2\n")
}

func TestClose(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{
		Match: "/", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.print("ok")`)},
	}}})
	restytest.AssertBody(t, restytest.Get(h, "/"), "ok")
	h.Close()
	h.Close() // idempotent
}

func TestLuaFileAndCodeCache(t *testing.T) {
	for _, noCache := range []bool{false, true} {
		dir := t.TempDir()
		file := filepath.Join(dir, "hello.lua")
		require.NoError(t, os.WriteFile(file, []byte(`ngx.print("v1")`), 0o644))
		h := restytest.NewHandler(t, resty.Config{
			Lua:       resty.LuaConfig{Prefix: dir, NoCodeCache: noCache},
			Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{{Phase: ngx.PhaseContent, LuaFile: "hello.lua"}}}},
		})
		restytest.AssertBody(t, restytest.Get(h, "/"), "v1")
		// A different size, so the change is seen even within the file system's time resolution.
		require.NoError(t, os.WriteFile(file, []byte(`ngx.print("version 2")`), 0o644))
		want := "v1"
		if noCache {
			want = "version 2"
		}
		restytest.AssertBody(t, restytest.Get(h, "/"), want, "NoCodeCache=%v", noCache)
	}
}

// A module whose loading failed fails again on the next require: with the code cache, with
// LuaJIT's "loop or previous error" (the VM lives on, as an nginx worker does); without it,
// by running again (OpenResty makes a fresh VM per request), so a fix to the file is seen.
func TestRequireAfterAFailedLoad(t *testing.T) {
	for _, noCache := range []bool{false, true} {
		dir := t.TempDir()
		mod := filepath.Join(dir, "flaky.lua")
		require.NoError(t, os.WriteFile(mod, []byte(`error("broken")`), 0o644))
		h := restytest.NewHandler(t, resty.Config{
			Lua: resty.LuaConfig{Prefix: dir, PackagePath: "$prefix/?.lua;;", NoCodeCache: noCache, Workers: 1},
			Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
				local ok, err = pcall(require, "flaky")
				ngx.print(ok, " ", (tostring(err):gsub("^.*flaky.lua:%d+: ", "")))`)}}},
		})
		restytest.AssertBody(t, restytest.Get(h, "/"), "false broken")
		want := "false loop or previous error loading module 'flaky'"
		if noCache {
			want = "false broken"
		}
		restytest.AssertBody(t, restytest.Get(h, "/"), want, "NoCodeCache=%v", noCache)
		if noCache {
			require.NoError(t, os.WriteFile(mod, []byte(`return "fixed now"`), 0o644))
			restytest.AssertBody(t, restytest.Get(h, "/"), "true fixed now")
		}
	}
}

func TestUserModuleShadowsBuiltin(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cjson.lua"), []byte(`return {encode = function() return "mine" end}`), 0o644))
	content := resty.LuaHook(ngx.PhaseContent, `ngx.print(require("cjson").encode({1}))`)
	for _, tt := range []struct{ path, want string }{
		{"$prefix/?.lua;;", "mine"}, // before ";;": the user's copy wins
		{";;$prefix/?.lua", "[1]"},  // after: the bundled one
		{"", "[1]"},                 // no path: bundled
	} {
		h := restytest.NewHandler(t, resty.Config{
			Lua:       resty.LuaConfig{Prefix: dir, PackagePath: tt.path},
			Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{content}}},
		})
		restytest.AssertBody(t, restytest.Get(h, "/"), tt.want, "lua_package_path %q", tt.path)
	}
}

func TestLuaInitOnceGlobalsEverywhere(t *testing.T) {
	var inits atomic.Int32
	h := restytest.NewHandler(t, resty.Config{
		Lua: resty.LuaConfig{MaxStates: 4},
		Hooks: []resty.Hook{
			resty.Init(func() error { inits.Add(1); return nil }),
			resty.LuaHook(ngx.PhaseInit, `
				config = {greeting = "hi"}
				local n = 0
				function counter() n = n + 1 return n end
				cjson = require "cjson"`),
			resty.LuaHook(ngx.PhaseInitWorker, `worker_started = ngx.get_phase()`),
		},
		Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			config.greeting = config.greeting .. "!"
			ngx.print(config.greeting, " ", counter(), " ", worker_started, " ", cjson.encode({1}))`)}}},
	})
	assert.Equal(t, int32(1), inits.Load())
	// Each state is a worker with its own copy: the first request on any state sees init's values.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := restytest.Body(restytest.Get(h, "/"))
			assert.Regexp(t, `^hi!+ \d+ init_worker \[1\]$`, body)
		}()
	}
	wg.Wait()
}

func TestLuaLimitModules(t *testing.T) {
	d, err := sharedict.New("my_limit_req_store", 1<<20)
	require.NoError(t, err)
	t.Cleanup(d.Close)
	h := restytest.NewHandler(t, resty.Config{
		SharedDicts: map[string]sharedict.Store{"my_limit_req_store": d},
		Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{
			resty.LuaHook(ngx.PhaseAccess, `
				local limit_req = require "resty.limit.req"
				local lim, err = limit_req.new("my_limit_req_store", 1, 0)
				if not lim then return ngx.exit(500) end
				local delay, err = lim:incoming(ngx.var.arg_key, true)
				if not delay then
					if err == "rejected" then return ngx.exit(503) end
					return ngx.exit(500)
				end
				local missing, err2 = limit_req.new("no_such_dict", 1, 0)
				ngx.ctx.missing = tostring(missing) .. " " .. err2`),
			resty.LuaHook(ngx.PhaseContent, `ngx.print(ngx.ctx.missing)`),
		}}},
	})
	restytest.AssertBody(t, restytest.Get(h, "/?key=a"), "nil shared dict not found")
	restytest.AssertStatus(t, restytest.Get(h, "/?key=a"), http.StatusServiceUnavailable)
	restytest.AssertStatus(t, restytest.Get(h, "/?key=b"), http.StatusOK)
}

// TestLuaWorkerAndConfig: the Handler's Lua VMs are ngx.worker's workers, numbered from 0 (nil
// in init, which runs before them); ngx.config describes the nginx goresty follows.
func TestLuaWorkerAndConfig(t *testing.T) {
	prefix := t.TempDir()
	h := restytest.NewHandler(t, resty.Config{
		Lua: resty.LuaConfig{Workers: 3, Prefix: prefix},
		Hooks: []resty.Hook{
			resty.LuaHook(ngx.PhaseInit, `init_id = tostring(ngx.worker.id()) .. "/" .. ngx.worker.count()`),
			resty.LuaHook(ngx.PhaseInitWorker, `started_as = ngx.worker.id()`),
		},
		Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			assert(started_as == ngx.worker.id())
			ngx.say(init_id, " ", ngx.worker.id() < ngx.worker.count(), " ", ngx.worker.pid() > 0, " ",
				tostring(ngx.worker.exiting()), " ", tostring(ngx.is_subrequest))
			ngx.say(ngx.config.subsystem, " ", ngx.config.nginx_version, " ", ngx.config.ngx_lua_version,
				" ", tostring(ngx.config.debug), " ", ngx.config.prefix())`)}}},
	})
	restytest.AssertBody(t, restytest.Get(h, "/"),
		"nil/3 true true false false\nhttp 1022001 10023 false "+prefix+"/\n")
}

// TestLuaStatusesNetHTTPCannotSend: a status outside 100-999, which net/http cannot send (and
// panics on), never reaches it: ngx.status refuses it with an error log, and ngx.exit with one
// sends 500.
func TestLuaStatusesNetHTTPCannotSend(t *testing.T) {
	for _, tt := range []struct{ code, want int }{{1000, 500}, {99, 500}, {1, 500}, {600, 600}} {
		h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{Match: "/",
			Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.exit(`+strconv.Itoa(tt.code)+`)`)}}}})
		restytest.AssertStatus(t, restytest.Get(h, "/"), tt.want, "ngx.exit(%d)", tt.code)
	}
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{Match: "/",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.status = 201 ngx.status = 1000 ngx.say(ngx.status)`)}}}})
	resp := restytest.Get(h, "/")
	restytest.AssertStatus(t, resp, 201)
	restytest.AssertBody(t, resp, "201\n")
}

// init_worker runs with a fake request, as timers do. The wants are what nginx 1.22.1 with
// lua-nginx-module 0.10.23 logged for the same code in an init_worker_by_lua_block, run with
// ../shared/oracle/nginx-lua -h (the oracle cases cannot hold http-level blocks), less
// resty.core's own file positions and with the chunk named as goresty names it.
func TestLuaInitWorkerFakeRequest(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{
		Lua: resty.LuaConfig{MaxStates: 1, Workers: 1},
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseInitWorker, `
			local r = {}
			local function try(name, f) local ok, e = pcall(f) r[#r+1] = name .. "=" .. tostring(ok) .. ":" .. tostring(e) end
			try("get_method", function() local v = ngx.req.get_method() return v end)
			try("start_time", function() local v = ngx.req.start_time() return v end)
			try("header_get", function() local v = ngx.header.x return v end)
			try("status_get", function() local v = ngx.status return v end)
			try("var_get", function() local v = ngx.var.uri return v end)
			try("say", function() local v = ngx.say("x") return v end)
			try("read_body", function() local v = ngx.req.read_body() return v end)
			try("ctx", function() local v = ngx.ctx return type(v) end)
			try("arg", function() local v = ngx.arg[1] return v end)
			IW = table.concat(r, "\n")`)},
		Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{
			resty.LuaHook(ngx.PhaseContent, `ngx.print(IW)`)}}},
	})
	assert.Equal(t, `get_method=false:init_worker_by_lua:4: API disabled in the current context
start_time=true:0
header_get=false:init_worker_by_lua:6: API disabled in the current context
status_get=false:init_worker_by_lua:7: API disabled in the current context
var_get=false:init_worker_by_lua:8: API disabled in the current context
say=false:init_worker_by_lua:9: API disabled in the context of init_worker_by_lua*
read_body=false:init_worker_by_lua:10: API disabled in the context of init_worker_by_lua*
ctx=true:table
arg=false:API disabled in the current context`, restytest.Body(restytest.Get(h, "/")))
}
