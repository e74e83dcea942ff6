package ngxlua_test

import (
	"testing"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

// dump is the deterministic table printer of the differential cases, inlined.
const dump = `local function dump(v)
	if v == ngx.null then return "null" end
	if type(v) == "string" then return '"' .. v .. '"' end
	if type(v) ~= "table" then return tostring(v) end
	local keys = {}
	for k in pairs(v) do keys[#keys + 1] = k end
	table.sort(keys, function(a, b)
		if type(a) ~= type(b) then return type(a) < type(b) end
		return a < b
	end)
	local parts = {}
	for i, k in ipairs(keys) do parts[i] = tostring(k) .. "=" .. dump(v[k]) end
	return "{" .. table.concat(parts, ",") .. "}"
end
`

func TestReqMethod(t *testing.T) {
	run(t, []luaCase{
		{name: "get and set", method: "POST", hooks: []resty.Hook{
			lua(ngx.PhaseRewrite, `ngx.ctx.m = ngx.req.get_method() ngx.req.set_method(ngx.HTTP_PUT)`),
			content(`ngx.say(ngx.ctx.m, " ", ngx.req.get_method(), " ", ngx.var.request_method)`),
		}, wantBody: "POST PUT PUT\n"},
		{name: "every constant", content: `for _, m in ipairs({"GET", "PUT", "POST", "DELETE", "OPTIONS", "MKCOL", "COPY",
			"MOVE", "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK", "PATCH", "TRACE"}) do
			ngx.req.set_method(ngx["HTTP_" .. m]) ngx.print(ngx.req.get_method() == m and "" or m) end`},
		{name: "unknown number", content: `ngx.say(pcall(ngx.req.set_method, 3))`, wantBody: "falseunsupported HTTP method: 3\n"},
		{name: "string", content: `ngx.say(pcall(ngx.req.set_method, "GET"))`, wantBody: "falsebad method number\n"},
	})
}

func TestReqURIArgs(t *testing.T) {
	run(t, []luaCase{
		{name: "values repeats flags escapes", target: "/t?a=1&b=2&a=3&flag&empty=&sp=a+b%20c&%3D=%26&=noname&c=1=2",
			content:  dump + `ngx.say(dump(ngx.req.get_uri_args()))`,
			wantBody: `{=="&",a={1="1",2="3"},b="2",c="1=2",empty="",flag=true,sp="a b c"}` + "\n"},
		{name: "max truncates", target: "/t?a=1&b=2&c=3", content: dump + `ngx.say(dump(ngx.req.get_uri_args(2)), " ", select(2, ngx.req.get_uri_args(2)))`,
			wantBody: `{a="1",b="2"} truncated` + "\n"},
		{name: "max 0 is no limit", target: "/t?a=1&b=2&c=3", content: dump + `ngx.say(dump(ngx.req.get_uri_args(0)))`,
			wantBody: `{a="1",b="2",c="3"}` + "\n"},
		{name: "set string", target: "/t?o=1", content: `ngx.req.set_uri_args("x=1&y=2") ngx.say(ngx.var.args, " ", ngx.var.arg_y)`,
			wantBody: "x=1&y=2 2\n"},
		{name: "set table", content: `ngx.req.set_uri_args({k = {"1", "2"}}) ngx.say(ngx.var.args)`, wantBody: "k=1&k=2\n"},
		{name: "set flags", content: `ngx.req.set_uri_args({flag = true, off = false}) ngx.say(ngx.var.args)`, wantBody: "flag\n"},
		{name: "set number", content: `ngx.req.set_uri_args(12) ngx.say(ngx.var.args)`, wantBody: "12\n"},
		{name: "set nil", content: `ngx.say(pcall(ngx.req.set_uri_args, nil))`,
			wantBody: "falsebad argument #1 to '?' (string, number, or table expected, but got nil)\n"},
	})
}

func TestReqPostArgs(t *testing.T) {
	form := header("Content-Type: application/x-www-form-urlencoded")
	run(t, []luaCase{
		{name: "after read_body", method: "POST", header: form, body: "a=1&b=x+y&a=2&c",
			content:  dump + `ngx.req.read_body() ngx.say(dump(ngx.req.get_post_args()), " ", select(2, ngx.req.get_post_args(1)))`,
			wantBody: `{a={1="1",2="2"},b="x y",c=true} truncated` + "\n"},
		{name: "unread", method: "POST", body: "a=1", content: `ngx.say(pcall(ngx.req.get_post_args))`,
			wantBody: "falseno request body found; maybe you should turn on lua_need_request_body?\n"},
		{name: "discarded", method: "POST", body: "a=1", content: `ngx.req.discard_body() ngx.say(pcall(ngx.req.get_post_args))`,
			wantBody: "falseno request body found; maybe you should turn on lua_need_request_body?\n"},
		{name: "no body", content: dump + `ngx.req.read_body() ngx.say(dump(ngx.req.get_post_args()))`, wantBody: "{}\n"},
	})
}

func TestReqHeaders(t *testing.T) {
	run(t, []luaCase{
		{name: "lower-cased, repeats as arrays", header: header("X-Foo: one", "X-Multi: a", "X-Multi: b"),
			content:  dump + `local h = ngx.req.get_headers() ngx.say(dump(h)) ngx.say(h.x_foo, h["X-Foo"], h.X_FOO)`,
			wantBody: `{host="localhost",x-foo="one",x-multi={1="a",2="b"}}` + "\noneoneone\n"},
		{name: "raw", header: header("X-Foo: one"),
			content:  dump + `local h = ngx.req.get_headers(0, true) ngx.say(dump(h), " ", tostring(h.x_foo))`,
			wantBody: `{Host="localhost",X-Foo="one"} nil` + "\n"},
		{name: "max", header: header("X-A: 1", "X-B: 2"),
			content:  `local h, err = ngx.req.get_headers(2) local n = 0 for _ in pairs(h) do n = n + 1 end ngx.say(n, " ", err)`,
			wantBody: "2 truncated\n"},
		{name: "set_header", header: header("X-Old: original", "X-Gone: bye"), hooks: []resty.Hook{
			lua(ngx.PhaseRewrite, `ngx.req.set_header("X-New", "v") ngx.req.set_header("X-Old", "replaced")
				ngx.req.set_header("X-List", {"1", "2"}) ngx.req.set_header("X-Gone", nil) ngx.req.set_header("X-Num", 42)`),
			content(dump + `ngx.say(dump(ngx.req.get_headers()))`),
		}, wantBody: `{host="localhost",x-list={1="1",2="2"},x-new="v",x-num="42",x-old="replaced"}` + "\n"},
		{name: "clear_header", header: header("X-Multi: a", "X-Multi: b", "X-Other: c"),
			content:  dump + `ngx.req.clear_header("X-Multi") ngx.req.clear_header("x_other") ngx.say(dump(ngx.req.get_headers()))`,
			wantBody: `{host="localhost",x-other="c"}` + "\n"},
		{name: "host", content: `ngx.req.set_header("Host", "example.org") ngx.say(ngx.var.host, " ", ngx.var.http_host)`,
			wantBody: "example.org example.org\n"},
		{name: "nil name", content: `ngx.say(pcall(ngx.req.set_header))`,
			wantBody: "falsebad 'name' argument: string expected, got nil\n"},
		{name: "boolean value", content: `ngx.req.set_header("X-B", true) ngx.say(ngx.var.http_x_b)`, wantBody: "true\n"},
	})
}

func TestReqBody(t *testing.T) {
	run(t, []luaCase{
		{name: "read and get", method: "POST", body: "hello body",
			content:  `local b = ngx.req.get_body_data() ngx.req.read_body() ngx.say(tostring(b), " [", ngx.req.get_body_data(), "] ", tostring(ngx.req.get_body_file()))`,
			wantBody: "nil [hello body] nil\n"},
		{name: "read twice", method: "POST", body: "x=1", content: `ngx.req.read_body() ngx.req.read_body() ngx.say(ngx.req.get_body_data())`,
			wantBody: "x=1\n"},
		{name: "set_body_data", method: "POST", body: "a=old",
			header: header("Content-Type: application/x-www-form-urlencoded", "Content-Length: 5"),
			hooks: []resty.Hook{
				lua(ngx.PhaseRewrite, `ngx.req.read_body() ngx.req.set_body_data("a=new&b=2")`),
				content(`ngx.say(ngx.req.get_body_data(), " ", ngx.req.get_post_args().a, " ", ngx.var.content_length)`),
			}, wantBody: "a=new&b=2 new 9\n"},
		{name: "set_body_data unread", method: "POST", body: "abc", content: `ngx.say(pcall(ngx.req.set_body_data, "x"))`,
			wantBody: "falserequest body not read yet\n"},
		{name: "discard", method: "POST", body: "a=1", content: `ngx.req.discard_body() ngx.say(tostring(ngx.req.get_body_data()))`,
			wantBody: "nil\n"},
		{name: "init, append, finish", method: "POST", body: "a=old",
			header: header("Content-Type: application/x-www-form-urlencoded", "Content-Length: 5"),
			hooks: []resty.Hook{
				lua(ngx.PhaseRewrite, `ngx.req.read_body() ngx.req.init_body(4096) ngx.req.append_body("a=new") ngx.req.append_body("&b=2") ngx.req.finish_body()`),
				content(`ngx.say(ngx.req.get_body_data(), " ", ngx.req.get_post_args().b, " ", ngx.var.http_content_length)`),
			}, wantBody: "a=new&b=2 2 9\n"},
		{name: "append before init", method: "POST", body: "abc",
			content:  `ngx.req.read_body() ngx.say(pcall(ngx.req.append_body, "x")) ngx.say(pcall(ngx.req.finish_body))`,
			wantBody: "falserequest_body not initialized\nfalserequest_body not initialized\n"},
		{name: "init unread", method: "POST", body: "abc", content: `ngx.say(pcall(ngx.req.init_body))`,
			wantBody: "falserequest body not read yet\n"},
		{name: "init bad size", method: "POST", body: "abc", content: `ngx.req.read_body() ngx.say(pcall(ngx.req.init_body, -1))`,
			wantBody: "falsebad size argument: -1\n"},
		{name: "set_body_file disabled", method: "POST", body: "abc",
			content:  `ngx.req.read_body() local ok, err = pcall(ngx.req.set_body_file, "/etc/hostname") ngx.say(ok, " ", err)`,
			wantBody: "false ngx.req.set_body_file is disabled in goresty: it would read and delete files of the server process; use ngx.req.set_body_data\n"},
	})
}

func TestReqMisc(t *testing.T) {
	run(t, []luaCase{
		{name: "http_version", content: `ngx.say(ngx.req.http_version(), " ", type(ngx.req.http_version()))`, wantBody: "1.1 number\n"},
		{name: "start_time", content: `local t = ngx.req.start_time() ngx.say(type(t), " ", t <= ngx.now(), " ", t > 1e9)`,
			wantBody: "number true true\n"},
		{name: "is_internal", content: `ngx.say(ngx.req.is_internal())`, wantBody: "false\n"},
		{name: "raw_header", target: "/t?a=1", header: header("X-Z: 1"), content: `ngx.print(ngx.req.raw_header(true))`,
			wantBody: "Host: localhost\r\nX-Z: 1\r\n\r\n"},
	})
}

func TestReqSetURI(t *testing.T) {
	target := resty.Location{Match: "= /t/target", Hooks: []resty.Hook{content(
		`ngx.say(ngx.var.uri, " ", ngx.var.args, " ", ngx.req.is_internal(), " ", tostring(ngx.ctx.kept))`)}}
	run(t, []luaCase{
		{name: "without jump", target: "/t?a=1", content: `ngx.req.set_uri("/t/new path") ngx.say(ngx.var.uri, " ", ngx.var.request_uri)`,
			wantBody: "/t/new path /t?a=1\n"},
		{name: "empty", content: `ngx.say(pcall(ngx.req.set_uri, ""))`, wantBody: "falseattempt to use zero-length uri\n"},
		{name: "jump outside rewrite", content: `ngx.say(pcall(ngx.req.set_uri, "/x", true))`,
			wantBody: "falseAPI disabled in the context of content_by_lua*\n"},
		{name: "jump nil", content: `ngx.say(pcall(ngx.req.set_uri, "/x", nil))`,
			wantBody: "falsebad argument #2 to '?' (boolean expected, got nil)\n"},
		{name: "jump in rewrite", target: "/t?q=1", hooks: []resty.Hook{
			lua(ngx.PhaseRewrite, `ngx.ctx.kept = "yes" ngx.req.set_uri("/t/target", true) ngx.say("no")`),
		}, wantBody: "/t/target q=1 true nil\n"},
	}, target)
}
