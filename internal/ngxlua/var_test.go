package ngxlua_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

func TestVar(t *testing.T) {
	run(t, []luaCase{
		{name: "built-ins", method: "POST", target: "/t?a=1&b=2", body: "body",
			header: header("X-Foo: bar", "Cookie: c1=v1; c2=v2", "Content-Type: text/plain"),
			content: `local v = ngx.var ngx.say(v.uri, "|", v.request_uri, "|", v.args, "|", v.is_args, "|", v.arg_a, "|",
				tostring(v.arg_missing), "|", v.request_method, "|", v.host, "|", v.http_x_foo, "|", v.cookie_c1, "|", v.content_type)`,
			wantBody: "/t|/t?a=1&b=2|a=1&b=2|?|1|nil|POST|localhost|bar|v1|text/plain\n"},
		{name: "undefined", content: `ngx.say(tostring(ngx.var.no_such_var), " ", tostring(ngx.var.args), " [", ngx.var.is_args, "]")`,
			wantBody: "nil nil []\n"},
		{name: "args writable", target: "/t?a=1", content: `ngx.var.args = "x=1" ngx.say(ngx.var.args, " ", ngx.var.arg_x)`,
			wantBody: "x=1 1\n"},
		{name: "number and table values", target: "/t?a=1", content: `ngx.var.args = 12 ngx.say(ngx.var.args)
			ngx.say(pcall(function() ngx.var.args = {} end))`, wantBody: "12\ntrue\n"},
		{name: "nil args", target: "/t?a=1", content: `ngx.var.args = nil ngx.say(tostring(ngx.var.args))`, wantBody: "nil\n",
			skip: "needs pipeline: ngx.Request.UnsetVar(\"args\") leaves $args found (\"\")"},
		{name: "read-only", content: `ngx.say(pcall(function() ngx.var.uri = "/x" end))`,
			wantBody: "falsecontent_by_lua(nginx.conf:2):1: variable \"uri\" not changeable\n"},
		{name: "set_by_lua", hooks: []resty.Hook{
			resty.SetLua("$v", `return ngx.var.arg_a .. "-" .. ngx.get_phase()`),
			content(`ngx.say(ngx.var.v) ngx.var.v = "changed" ngx.say(ngx.var.v)`),
		}, target: "/t?a=x", wantBody: "x-set\nchanged\n"},
		{name: "status in log", hooks: []resty.Hook{
			content(`ngx.status = 201 ngx.say("x")`),
			lua(ngx.PhaseLog, `ngx.log(ngx.WARN, "status=", ngx.var.status, " ", ngx.status)`),
		}, wantStatus: 201, wantBody: "x\n", wantLog: []string{"status=201 201"}},
	})
}

func TestCtx(t *testing.T) {
	run(t, []luaCase{
		{name: "across phases", hooks: []resty.Hook{
			lua(ngx.PhaseRewrite, `ngx.ctx.trail = "r"`),
			lua(ngx.PhaseAccess, `ngx.ctx.trail = ngx.ctx.trail .. "a"`),
			content(`ngx.ctx.trail = ngx.ctx.trail .. "c" ngx.say(ngx.ctx.trail)`),
			lua(ngx.PhaseHeaderFilter, `ngx.ctx.trail = ngx.ctx.trail .. "h" ngx.header["X-Trail"] = ngx.ctx.trail`),
			lua(ngx.PhaseBodyFilter, `if ngx.arg[2] then ngx.ctx.trail = ngx.ctx.trail .. "b" end`),
			lua(ngx.PhaseLog, `ngx.log(ngx.WARN, "trail ", ngx.ctx.trail)`),
		}, wantBody: "rac\n", wantHeader: map[string]string{"X-Trail": "rach"}, wantLog: []string{"trail rachb"}},
		{name: "fresh per request", content: `local n = 0 for _ in pairs(ngx.ctx) do n = n + 1 end ngx.ctx.x = 1 ngx.say(n)`,
			wantBody: "0\n"},
		{name: "replaced by a table", hooks: []resty.Hook{
			lua(ngx.PhaseRewrite, `ngx.ctx = {replaced = true}`),
			content(`ngx.say(tostring(ngx.ctx.replaced)) ngx.say(pcall(function() ngx.ctx = "str" end))`),
		}, wantBody: "true\nfalsectx should be a table while getting a string\n"},
	})
}

// TestVarDeclared checks assignments to declared and undeclared user variables.
func TestVarDeclared(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Variables: []string{"mine"}, Locations: []resty.Location{{
		Match: "/t", Hooks: []resty.Hook{content(`ngx.say("[", ngx.var.mine, "]") ngx.var.mine = "x" ngx.say(ngx.var.mine)
			ngx.var.mine = nil ngx.say(tostring(ngx.var.mine)) ngx.say(pcall(function() ngx.var.other = 1 end))`)},
	}}})
	body := restytest.Body(restytest.Get(h, "/t"))
	assert.True(t, strings.HasPrefix(body, "[]\nx\nnil\nfalsecontent_by_lua(nginx.conf:2):2: variable \"other\" not found for writing; "), body)
}

// TestSetByLuaResult checks what set_by_lua assigns, as OpenResty's lua_tolstring does: strings
// and numbers as text; nil, booleans and tables (even with __tostring) as "" (recorded from
// nginx with the oracle).
func TestSetByLuaResult(t *testing.T) {
	run(t, []luaCase{{name: "types", hooks: []resty.Hook{
		resty.SetLua("$a", `return true`),
		resty.SetLua("$b", `return setmetatable({}, {__tostring = function() return "T" end})`),
		resty.SetLua("$c", `return 12.5`),
		resty.SetLua("$d", `return nil`),
		resty.SetLua("$e", `return "s"`),
		content(`ngx.say("a=[", ngx.var.a, "] b=[", ngx.var.b, "] c=[", ngx.var.c, "] d=[", ngx.var.d, "] e=[", ngx.var.e, "]")`),
	}, wantBody: "a=[] b=[] c=[12.5] d=[] e=[s]\n"}})
}
