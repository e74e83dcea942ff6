package ngxlua_test

import (
	"log/slog"
	"testing"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

func TestLog(t *testing.T) {
	run(t, []luaCase{
		{name: "every level", content: `for _, l in ipairs({"STDERR", "EMERG", "ALERT", "CRIT", "ERR", "WARN", "NOTICE", "INFO", "DEBUG"}) do
			ngx.log(ngx[l], "level ", l) end`,
			wantLog: []string{"[stderr] [lua] content_by_lua(nginx.conf:2):2: level STDERR", "[emerg] [lua]", "[alert] [lua]",
				"[crit] [lua]", "[error] [lua]", "[warn] [lua]", "[notice] [lua]", "[info] [lua]", "[debug] [lua] content_by_lua(nginx.conf:2):2: level DEBUG"}},
		{name: "values joined", content: `ngx.log(ngx.WARN, "s", 1, 2.5, true, false, nil, ngx.null)`,
			wantLog: []string{"[warn] [lua] content_by_lua(nginx.conf:2):1: s12.5truefalsenilnull"}},
		{name: "__tostring", content: `ngx.log(ngx.WARN, setmetatable({}, {__tostring = function() return "TOSTR" end}))`,
			wantLog: []string{":1: TOSTR"}},
		{name: "table without __tostring", content: `ngx.say(pcall(ngx.log, ngx.WARN, {}))`,
			wantBody: "falsebad argument #1 to '?' (expected table to have __tostring metamethod)\n"},
		{name: "function", content: `ngx.say(pcall(ngx.log, ngx.WARN, print))`,
			wantBody: "falsebad argument #1 to '?' (string, number, boolean, or nil expected, got function)\n"},
		{name: "bad level", content: `ngx.say(pcall(ngx.log, 99, "x"))`, wantBody: "falsebad argument #1 to '?' (bad log level: 99)\n"},
		{name: "level as string", content: `ngx.say(pcall(ngx.log, "warn", "x"))`,
			wantBody: "falsebad argument #1 to '?' (number expected, got string)\n"},
		{name: "no level", content: `ngx.say(pcall(ngx.log))`, wantBody: "falsebad argument #1 to '?' (number expected, got no value)\n"},
	})
}

func TestPrintLogs(t *testing.T) {
	run(t, []luaCase{
		{name: "notice, tostring of each", content: `print("printed ", 1, " ", nil, " ", true)`,
			wantLog: []string{"[notice] [lua] content_by_lua(nginx.conf:2):1: printed 1 nil true"}},
		{name: "table refused", content: `ngx.say(pcall(print, {}))`,
			wantBody: "falsebad argument #1 to '?' (expected table to have __tostring metamethod)\n"},
	})
}

func TestConstants(t *testing.T) {
	run(t, []luaCase{
		{name: "codes", content: `ngx.say(ngx.OK, ngx.ERROR, ngx.AGAIN, ngx.DONE, ngx.DECLINED)`, wantBody: "0-1-2-4-5\n"},
		{name: "levels", content: `ngx.say(ngx.STDERR, ngx.EMERG, ngx.ALERT, ngx.CRIT, ngx.ERR, ngx.WARN, ngx.NOTICE, ngx.INFO, ngx.DEBUG)`,
			wantBody: "012345678\n"},
		{name: "statuses", content: `ngx.say(ngx.HTTP_OK, ngx.HTTP_SPECIAL_RESPONSE, ngx.HTTP_NOT_MODIFIED, ngx.HTTP_CLOSE, ngx.HTTP_ILLEGAL,
			ngx.HTTP_INSUFFICIENT_STORAGE, ngx.HTTP_TOO_MANY_REQUESTS)`, wantBody: "200300304444451507429\n"},
		{name: "methods", content: `ngx.say(ngx.HTTP_GET, " ", ngx.HTTP_HEAD, " ", ngx.HTTP_POST, " ", ngx.HTTP_PATCH, " ", ngx.HTTP_TRACE)`,
			wantBody: "2 4 8 16384 32768\n"},
		{name: "null", content: `local cjson = require "cjson" ngx.say(type(ngx.null), " ", ngx.null == cjson.null, " ", tostring(ngx.null))`,
			wantBody: "userdata true userdata: NULL\n"},
	})
}

// TestLogOutsideRequests checks that print and ngx.log of init hooks reach the Handler's logger.
func TestLogOutsideRequests(t *testing.T) {
	logs := &logBuffer{}
	restytest.NewHandler(t, resty.Config{
		Logger:    slog.New(logs),
		Hooks:     []resty.Hook{{Phase: ngx.PhaseInit, Lua: `print("from init ", 1)`, Name: "=init_by_lua(nginx.conf:9)"}},
		Locations: []resty.Location{{Match: "/", Hooks: []resty.Hook{content(`ngx.say(1)`)}}},
	})
	assertLog(t, logs, []string{"[notice] [lua] init_by_lua(nginx.conf:9):1: from init 1"})
}
