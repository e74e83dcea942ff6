package resty_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
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
