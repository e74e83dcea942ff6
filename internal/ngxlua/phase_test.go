package ngxlua_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

var chunkPos = regexp.MustCompile(`[a-z_]+_by_lua\(nginx\.conf:\d+\):\d+: `)

// phaseCalls are calls whose fate depends on the phase, as Lua expressions.
var phaseCalls = map[string]string{
	"say": `ngx.say("x")`, "print": `ngx.print("x")`, "flush": `ngx.flush()`, "eof": `ngx.eof()`,
	"send_headers": `ngx.send_headers()`, "exit": `ngx.exit(200)`, "exec": `ngx.exec("/x")`,
	"redirect": `ngx.redirect("/x")`, "sleep": `ngx.sleep(0.001)`, "read_body": `ngx.req.read_body()`,
	"get_body_data": `ngx.req.get_body_data()`, "set_body_data": `ngx.req.set_body_data("x")`,
	"discard_body": `ngx.req.discard_body()`, "get_post_args": `ngx.req.get_post_args()`,
	"set_uri": `ngx.req.set_uri("/x")`, "set_uri_jump": `ngx.req.set_uri("/x", true)`,
	"set_uri_args": `ngx.req.set_uri_args("a=1")`, "set_method": `ngx.req.set_method(ngx.HTTP_POST)`,
	"set_header": `ngx.req.set_header("X-A", "1")`,
}

// TestPhaseRules checks, for each phase that forbids some calls, what each call does there, as
// recorded from OpenResty: "disabled" raises "API disabled in the context of <phase>_by_lua*".
func TestPhaseRules(t *testing.T) {
	const disabled = "disabled"
	allowed := map[string]string{"get_body_data": "true nil", "discard_body": "true nil", "set_uri": "true nil",
		"set_uri_args": "true nil", "set_method": "true nil", "set_header": "true nil",
		"set_body_data": "false request body not read yet",
		"get_post_args": "false no request body found; maybe you should turn on lua_need_request_body?"}
	forbidden := []string{"say", "print", "flush", "send_headers", "exec", "redirect", "sleep", "read_body", "set_uri_jump"}
	expect := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range allowed {
			m[k] = v
		}
		for _, k := range forbidden {
			m[k] = disabled
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	phases := []struct {
		phase ngx.Phase
		want  map[string]string
	}{
		{ngx.PhaseSet, expect(map[string]string{"eof": disabled, "exit": disabled})},
		{ngx.PhaseHeaderFilter, expect(map[string]string{"eof": disabled})},
		{ngx.PhaseBodyFilter, expect(map[string]string{"eof": "true nil", "exit": disabled})},
		{ngx.PhaseLog, expect(map[string]string{"eof": "true nil", "exit": disabled})},
	}
	for _, p := range phases {
		for name, want := range p.want {
			t.Run(p.phase.String()+"/"+name, func(t *testing.T) {
				src := fmt.Sprintf(`if ngx.get_phase() ~= "body_filter" or ngx.arg[2] then
					local ok, err = pcall(function() return (%s) end)
					ngx.log(ngx.ERR, "result: ", tostring(ok), " ", tostring(err)) end`, phaseCalls[name])
				hk := lua(p.phase, src)
				if p.phase == ngx.PhaseSet {
					hk.Var = "$v"
				}
				resp, logs := serve(t, luaCase{hooks: []resty.Hook{hk, content(`ngx.say("body")`)}})
				restytest.AssertStatus(t, resp, http.StatusOK)
				restytest.AssertBody(t, resp, "body\n")
				if want == disabled {
					want = "false API disabled in the context of " + p.phase.String() + "_by_lua*"
				}
				// The error carries the position of the closure, as in OpenResty; compare without it.
				got := chunkPos.ReplaceAllString(logs.String(), "")
				assert.Contains(t, got, "result: "+want)
			})
		}
	}
}

func TestGetPhase(t *testing.T) {
	run(t, []luaCase{{name: "every phase", hooks: []resty.Hook{
		resty.SetLua("$p", `return ngx.get_phase()`),
		lua(ngx.PhaseRewrite, `ngx.ctx.p = ngx.var.p .. " " .. ngx.get_phase()`),
		lua(ngx.PhaseAccess, `ngx.ctx.p = ngx.ctx.p .. " " .. ngx.get_phase()`),
		content(`ngx.say(ngx.ctx.p, " ", ngx.get_phase())`),
		lua(ngx.PhaseHeaderFilter, `ngx.header["X-Phase"] = ngx.get_phase()`),
		lua(ngx.PhaseBodyFilter, `if ngx.arg[2] then ngx.arg[1] = ngx.get_phase() .. "\n" end`),
		lua(ngx.PhaseLog, `ngx.log(ngx.WARN, "phase ", ngx.get_phase())`),
	}, wantBody: "set rewrite access content\nbody_filter\n", wantHeader: map[string]string{"X-Phase": "header_filter"},
		wantLog: []string{"phase log"}}})
}

func TestBodyFilter(t *testing.T) {
	run(t, []luaCase{
		{name: "change chunks", hooks: []resty.Hook{content(`ngx.say("hello") ngx.flush(true) ngx.say("world")`),
			lua(ngx.PhaseBodyFilter, `ngx.arg[1] = string.upper(ngx.arg[1])`)}, wantBody: "HELLO\nWORLD\n"},
		{name: "append at eof", hooks: []resty.Hook{content(`ngx.say("body")`),
			lua(ngx.PhaseBodyFilter, `if ngx.arg[2] then ngx.arg[1] = ngx.arg[1] .. "-- trailer\n" end`)},
			wantBody: "body\n-- trailer\n"},
		{name: "drop with nil and empty", hooks: []resty.Hook{
			content(`ngx.say("keep") ngx.flush(true) ngx.say("secret") ngx.flush(true) ngx.say("drop") ngx.flush(true) ngx.say("end")`),
			lua(ngx.PhaseBodyFilter, `local c = ngx.arg[1] if c:find("secret") then ngx.arg[1] = nil elseif c:find("drop") then ngx.arg[1] = "" end`)},
			wantBody: "keep\nend\n"},
		{name: "table", hooks: []resty.Hook{content(`ngx.say("x")`),
			lua(ngx.PhaseBodyFilter, `if ngx.arg[1] ~= "" then ngx.arg[1] = {"<", {ngx.arg[1], 1}, ">"} end`)},
			wantBody: "<x\n1>"},
		{name: "number and truthy eof", hooks: []resty.Hook{content(`ngx.say("x")`),
			lua(ngx.PhaseBodyFilter, `if ngx.arg[2] then ngx.arg[1] = 12 ngx.arg[2] = "yes" end`)},
			wantBody: "x\n12"},
		{name: "bad values", hooks: []resty.Hook{content(`ngx.say("x")`), lua(ngx.PhaseBodyFilter, `if ngx.arg[2] then
			ngx.log(ngx.ERR, select(2, pcall(function() ngx.arg[1] = true end)))
			ngx.log(ngx.ERR, select(2, pcall(function() ngx.arg[3] = "x" end)))
			ngx.log(ngx.ERR, select(2, pcall(function() ngx.arg[1] = {"a", true} end)))
			ngx.log(ngx.ERR, select(2, pcall(function() ngx.arg[1] = {a = 1} end)))
			ngx.log(ngx.ERR, select(2, pcall(function() ngx.arg.x = 1 end))) end`)},
			wantBody: "x\n", wantLog: []string{"bad chunk data type: boolean", "bad index: 3",
				"bad argument #3 to '__newindex' (bad data type boolean found)",
				"bad argument #3 to '__newindex' (non-array table found)",
				"bad argument #2 to '__newindex' (number expected, got string)"}},
		{name: "return ngx.ERROR drops the connection", hooks: []resty.Hook{
			content(`ngx.say("one") ngx.flush(true) ngx.say("two")`),
			lua(ngx.PhaseBodyFilter, `if ngx.arg[1]:find("two") then return ngx.ERROR end`)}, wantStatus: -1},
		{name: "ngx.arg outside filters", content: `ngx.say(pcall(function() return ngx.arg[1] end))
			ngx.say(pcall(function() ngx.arg[1] = "x" end))`,
			wantBody: "falseAPI disabled in the current context\nfalsecontent_by_lua(nginx.conf:2):2: API disabled in the context of content_by_lua*\n"},
	})
}

func TestHeaderFilter(t *testing.T) {
	run(t, []luaCase{
		{name: "status", hooks: []resty.Hook{content(`ngx.say("body")`),
			lua(ngx.PhaseHeaderFilter, `ngx.header["X-Was"] = ngx.status ngx.status = 201`)},
			wantStatus: 201, wantBody: "body\n", wantHeader: map[string]string{"X-Was": "200"}},
		{name: "headers", hooks: []resty.Hook{content(`ngx.header["X-Remove"] = "1" ngx.header["X-Replace"] = "old" ngx.say("body")`),
			lua(ngx.PhaseHeaderFilter, `ngx.header["X-Remove"] = nil ngx.header["X-Replace"] = "new" ngx.header.content_type = "text/html"`)},
			wantBody: "body\n", wantHeader: map[string]string{"X-Remove": "", "X-Replace": "new", "Content-Type": "text/html"}},
		{name: "error pages", hooks: []resty.Hook{content(`ngx.exit(403)`),
			lua(ngx.PhaseHeaderFilter, `ngx.header["X-Status"] = ngx.status ngx.header["X-Type"] = ngx.header.content_type`)},
			wantStatus: 403, wantBody: page403, wantHeader: map[string]string{"X-Status": "403", "X-Type": "text/html"}},
		{name: "late status and headers in body_filter", hooks: []resty.Hook{content(`ngx.say("body")`),
			lua(ngx.PhaseBodyFilter, `if ngx.arg[2] then ngx.status = 500 ngx.header["X-Late"] = "1" end`)},
			wantBody: "body\n", wantLog: []string{"attempt to set ngx.status after sending out response headers",
				"attempt to set ngx.header.HEADER after sending out response headers"}},
	})
}

func TestErrors(t *testing.T) {
	page500 := "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n" +
		"<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	run(t, []luaCase{
		{name: "content", content: "local x = 1\nerror(\"boom\")", wantStatus: 500, wantBody: page500,
			wantLog: []string{"lua entry thread aborted: runtime error: content_by_lua(nginx.conf:2):2: boom"}},
		{name: "level 0", content: `error("plain", 0)`, wantStatus: 500, wantBody: page500,
			wantLog: []string{"lua entry thread aborted: runtime error: plain"}},
		{name: "after output", content: `ngx.say("partial") ngx.flush(true) error("late")`, wantStatus: -1,
			wantLog: []string{"runtime error: content_by_lua(nginx.conf:2):1: late"}},
		{name: "in rewrite", hooks: []resty.Hook{lua(ngx.PhaseRewrite, `error("in rewrite")`), content(`ngx.say("no")`)},
			wantStatus: 500, wantBody: page500, wantLog: []string{"rewrite_by_lua(nginx.conf:3):1: in rewrite"}},
		{name: "exit in pcall wins", content: `pcall(function() ngx.exit(202) end) error("never")`, wantStatus: 202},
	})
}

// TestSleepClientGone checks that a sleep ends when the client goes away, as OpenResty's does
// with lua_check_client_abort on: status 499, the log phase still runs.
func TestSleepClientGone(t *testing.T) {
	logs := &logBuffer{}
	h := newHandler(t, logs, lua(ngx.PhaseLog, `ngx.log(ngx.WARN, "log phase ", ngx.status)`),
		content(`ngx.sleep(5) ngx.log(ngx.ERR, "not reached")`))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	restytest.Do(h, restytest.NewRequest(http.MethodGet, "/t", nil).WithContext(ctx))
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Contains(t, logs.String(), "[info] client prematurely closed connection")
	assert.Contains(t, logs.String(), "log phase 499")
	assert.False(t, strings.Contains(logs.String(), "not reached"))
}

// TestErrorTraceback checks that the error-log line of an uncaught error carries a traceback.
func TestErrorTraceback(t *testing.T) {
	logs := &logBuffer{}
	h := newHandler(t, logs, content("local function f()\n  error(\"boom\")\nend\nf()"))
	restytest.AssertStatus(t, restytest.Get(h, "/t"), http.StatusInternalServerError)
	msg := strings.Join(logs.full, "\n")
	assert.Contains(t, msg, "lua entry thread aborted: runtime error: content_by_lua(nginx.conf:2):2: boom\nstack traceback:")
	assert.Contains(t, msg, "content_by_lua(nginx.conf:2):4: in main chunk")
}
