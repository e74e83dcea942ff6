package ngxlua_test

import (
	"testing"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

const page403 = "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n" +
	"<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

func TestSay(t *testing.T) {
	run(t, []luaCase{
		{name: "returns 1", content: `local ok, err = ngx.say("hello") ngx.say(ok, " ", err)`,
			wantBody: "hello\n1 nil\n"},
		{name: "numbers as LuaJIT prints them",
			content:  `ngx.say(1, " ", 2.5, " ", -0.1, " ", 1e15, " ", 2^53, " ", 1/3, " ", 1e14, " ", 99999999999999)`,
			wantBody: "1 2.5 -0.1 1e+15 9.007199254741e+15 0.33333333333333 1e+14 99999999999999\n"},
		{name: "booleans nil and null", content: `ngx.say(true, " ", false, " ", nil, " ", ngx.null)`,
			wantBody: "true false nil null\n"},
		{name: "no arguments", content: `ngx.say() ngx.say("")`, wantBody: "\n\n"},
		{name: "nested arrays", content: `ngx.say({"a", {"b", {"c", 1}}, true, ngx.null}, "|", {}, "|", {{}, {"x"}})`,
			wantBody: "abc1truenull||x\n"},
		{name: "holes print nil", content: `ngx.say({"a", nil, "c"})`, wantBody: "anilc\n"},
		{name: "hash table refused", content: `ngx.say(pcall(ngx.say, {a = 1}))`,
			wantBody: "falsebad argument #1 to '?' (non-array table found)\n"},
		{name: "fractional key refused", content: `ngx.say(pcall(ngx.say, {[1.5] = "x"}))`,
			wantBody: "falsebad argument #1 to '?' (non-array table found)\n"},
		{name: "zero key refused", content: `ngx.say(pcall(ngx.say, {[0] = "x"}))`,
			wantBody: "falsebad argument #1 to '?' (non-array table found)\n"},
		{name: "nested hash names the argument", content: `ngx.say(pcall(ngx.print, "x", {1, {k = 2}}))`,
			wantBody: "falsebad argument #2 to '?' (non-array table found)\n"},
		{name: "function refused", content: `ngx.say(pcall(ngx.say, print))`,
			wantBody: "falsebad argument #1 to '?' (string, number, boolean, nil, ngx.null, or array table expected, but got function)\n"},
		{name: "function in a table refused", content: `ngx.say(pcall(ngx.print, "a", {print}))`,
			wantBody: "falsebad argument #2 to '?' (bad data type function found)\n"},
		{name: "after eof", content: `ngx.say("a") ngx.eof() local ok, err = ngx.say("b") ngx.log(ngx.WARN, ok, " ", err)`,
			wantBody: "a\n", wantLog: []string{"[warn] [lua] content_by_lua(nginx.conf:2):1: nil seen eof"}},
	})
}

func TestPrint(t *testing.T) {
	run(t, []luaCase{
		{name: "no newline, returns 1", content: `local ok = ngx.print("a", "b") local ok2 = ngx.print() ngx.print(ok, ok2)`,
			wantBody: "ab11"},
		{name: "nested", content: `ngx.print({"p", {"q"}}, "\n")`, wantBody: "pq\n"},
		{name: "after eof", content: `ngx.eof() ngx.log(ngx.WARN, select(2, ngx.print("x")))`,
			wantLog: []string{"seen eof"}},
	})
}

func TestFlush(t *testing.T) {
	run(t, []luaCase{
		{name: "after output", content: `ngx.say("a") ngx.say("flush ", ngx.flush()) ngx.say("wait ", ngx.flush(true))`,
			wantBody: "a\nflush 1\nwait 1\n"},
		{name: "nothing to flush", content: `local ok, err = ngx.flush() ngx.header.x_a = "1" ngx.say(ok, " ", err, " ", ngx.headers_sent)`,
			wantBody: "nil nothing to flush false\n", wantHeader: map[string]string{"X-A": "1"}},
		{name: "nil is not a boolean", content: `ngx.say(pcall(ngx.flush, nil))`,
			wantBody: "falsebad argument #1 to '?' (boolean expected, got nil)\n"},
		{name: "two arguments", content: `ngx.say(pcall(ngx.flush, true, true))`,
			wantBody: "falseattempt to pass 2 arguments, but accepted 0 or 1\n"},
		{name: "after eof", content: `ngx.say("a") ngx.eof() ngx.log(ngx.WARN, ngx.flush())`,
			wantBody: "a\n", wantLog: []string{"nilseen eof"}},
		{name: "runs the body filter on an empty chunk", hooks: []resty.Hook{
			content(`ngx.print("a") ngx.flush(true) ngx.print("b")`),
			lua(ngx.PhaseBodyFilter, `ngx.log(ngx.WARN, "[", ngx.arg[1], "] ", ngx.arg[2])`),
		}, wantBody: "ab", wantLog: []string{"[a] false", "[] false", "[b] false", "[] true"}},
	})
}

func TestEOF(t *testing.T) {
	run(t, []luaCase{
		{name: "returns 1 then seen eof", content: `ngx.say("a") ngx.log(ngx.WARN, ngx.eof()) ngx.log(ngx.WARN, ngx.eof())`,
			wantBody: "a\n", wantLog: []string{":1: 1", ":1: nilseen eof"}},
		{name: "no arguments", content: `ngx.say(pcall(ngx.eof, nil))`, wantBody: "falseno argument is expected\n"},
		{name: "in log phase", hooks: []resty.Hook{content(`ngx.say("a")`),
			lua(ngx.PhaseLog, `ngx.log(ngx.WARN, "eof ", ngx.eof())`)},
			wantBody: "a\n", wantLog: []string{"eof nilseen eof"}},
	})
}

func TestExit(t *testing.T) {
	run(t, []luaCase{
		{name: "200 after output", content: `ngx.say("sent") ngx.exit(ngx.HTTP_OK) ngx.say("no")`, wantBody: "sent\n"},
		{name: "403 page", content: `ngx.exit(403)`, wantStatus: 403, wantBody: page403},
		{name: "headers kept on the page", content: `ngx.header["X-Reason"] = "denied" ngx.exit(403)`,
			wantStatus: 403, wantBody: page403, wantHeader: map[string]string{"X-Reason": "denied", "Content-Type": "text/html"}},
		{name: "201 has no page", content: `ngx.exit(201)`, wantStatus: 201,
			wantHeader: map[string]string{"Content-Type": "text/plain"}},
		{name: "204", content: `ngx.header["X-A"] = "b" ngx.exit(204)`, wantStatus: 204,
			wantHeader: map[string]string{"X-A": "b"}},
		{name: "ngx.OK keeps ngx.status", content: `ngx.status = 202 ngx.say("accepted") ngx.exit(ngx.OK)`,
			wantStatus: 202, wantBody: "accepted\n"},
		{name: "ngx.ERROR drops the connection", content: `ngx.exit(ngx.ERROR)`, wantStatus: -1},
		{name: "NGX_AGAIN refused", content: `ngx.say(pcall(ngx.exit, ngx.AGAIN))`,
			wantBody: "falsebad argument to 'ngx.exit': does not accept NGX_AGAIN or NGX_DONE\n"},
		{name: "through pcall", content: `pcall(ngx.exit, 403) ngx.say("no")`, wantStatus: 403, wantBody: page403},
		{name: "through nested pcall", content: `ngx.say("a") pcall(function() pcall(function() ngx.exit(200) end) ngx.say("no") end) ngx.say("no")`,
			wantBody: "a\n"},
		{name: "through xpcall", content: `xpcall(function() ngx.exit(403) end, function(e) ngx.say(e) end)`,
			wantStatus: 403, wantBody: page403},
		{name: "status after headers sent is logged", content: `ngx.say("partial") ngx.flush(true) ngx.exit(500)`,
			wantBody: "partial\n", wantLog: []string{"attempt to set status 500 via ngx.exit after sending out the response status 200"}},
		{name: "ngx.OK in rewrite moves on", hooks: []resty.Hook{
			lua(ngx.PhaseRewrite, `ngx.ctx.r = "r" ngx.exit(ngx.OK) ngx.ctx.r = "no"`),
			content(`ngx.say(ngx.ctx.r)`),
		}, wantBody: "r\n"},
		{name: "header_filter goes on after exit", hooks: []resty.Hook{
			content(`ngx.say("body")`),
			lua(ngx.PhaseHeaderFilter, `ngx.exit(ngx.OK) ngx.header["X-After"] = "1"`),
		}, wantBody: "body\n", wantHeader: map[string]string{"X-After": "1"}},
	})
}

func TestStatus(t *testing.T) {
	run(t, []luaCase{
		{name: "0 until set", content: `local b = ngx.status ngx.status = 201 ngx.say(b, " ", ngx.status)`,
			wantStatus: 201, wantBody: "0 201\n"},
		{name: "numeric string", content: `ngx.status = "299" ngx.say(ngx.status)`, wantStatus: 299, wantBody: "299\n"},
		{name: "after headers sent", content: `ngx.say("a") ngx.status = 500 ngx.say(ngx.status)`,
			wantBody: "a\n200\n", wantLog: []string{"[error] attempt to set ngx.status after sending out response headers"}},
	})
}

func TestSendHeaders(t *testing.T) {
	run(t, []luaCase{
		{name: "twice returns 1", content: `ngx.header["X-Sent"] = "yes" local b = ngx.headers_sent
			local ok = ngx.send_headers() local ok2 = ngx.send_headers() ngx.say(b, " ", ok, " ", ok2, " ", ngx.headers_sent)`,
			wantBody: "false 1 1 true\n", wantHeader: map[string]string{"X-Sent": "yes"}},
		{name: "headers_sent after say", content: `ngx.print(tostring(ngx.headers_sent), " ") ngx.say(ngx.headers_sent)`,
			wantBody: "false true\n"},
	})
}

func TestArgumentCounts(t *testing.T) {
	run(t, []luaCase{
		{name: "sleep", content: `ngx.say(pcall(ngx.sleep))`, wantBody: "falseattempt to pass 0 arguments, but accepted 1\n"},
		{name: "redirect", content: `ngx.say(pcall(ngx.redirect))`, wantBody: "falseexpecting one or two arguments\n"},
		{name: "redirect nil status", content: `ngx.say(pcall(ngx.redirect, "/x", nil))`,
			wantBody: "falsebad argument #2 to '?' (number expected, got nil)\n"},
		{name: "exec", content: `ngx.say(pcall(ngx.exec))`, wantBody: "falseexpecting one or two arguments, but got 0\n"},
		{name: "read_body", content: `ngx.say(pcall(ngx.req.read_body, 1))`, wantBody: "falseexpecting 0 arguments but seen 1\n"},
		{name: "set_body_data", content: `ngx.say(pcall(ngx.req.set_body_data))`, wantBody: "falseexpecting 1 arguments but seen 0\n"},
		{name: "set_uri", content: `ngx.say(pcall(ngx.req.set_uri))`, wantBody: "falseexpecting 1, 2 or 3 arguments but seen 0\n"},
	})
}
