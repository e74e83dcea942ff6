package resty_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// A Go hook makes a subrequest to a location served by the wrapped application, with its own
// method and body; the subrequest skips access and log, and its response is captured.
func TestSubrequestFromGo(t *testing.T) {
	app := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		w.Header().Set("X-App", "1")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, req.Method+" "+req.URL.String()+" "+string(b)+" "+req.Header.Get("X-In"))
	})
	var logged []string
	h := restytest.NewHandler(t, resty.Config{Next: app, Locations: []resty.Location{
		{Match: "/app", Hooks: []resty.Hook{
			resty.Access(func(r *ngx.Request) error { return r.Exit(http.StatusForbidden) }),
			resty.Log(func(r *ngx.Request) error { logged = append(logged, r.URI()); return nil }),
		}},
		{Match: "= /main", Hooks: []resty.Hook{resty.Content(func(r *ngx.Request) error {
			req := httptest.NewRequest(http.MethodPut, "/app/x?a=1", nil)
			req.Body = io.NopCloser(strings.NewReader("payload"))
			req.Header = r.HTTPRequest().Header.Clone()
			res, err := r.Subrequest(req, nil)
			if err != nil {
				return err
			}
			return r.Print(strconv.Itoa(res.Status) + " " + res.Header.Get("X-App") + " " + string(res.Body))
		})}},
	}})
	req := restytest.NewRequest(http.MethodGet, "/main", nil)
	req.Header.Set("X-In", "hi")
	resp := restytest.Do(h, req)
	assert.Equal(t, "202 1 PUT /app/x?a=1 payload hi", restytest.Body(resp))
	assert.Empty(t, logged, "no log phase for subrequests, and the main location has none")
}

// Subrequests nest up to ngx.MaxSubrequestDepth deep.
func TestSubrequestDepth(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Locations: []resty.Location{{Match: "= /loop",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local ok, res = pcall(ngx.location.capture, "/loop")
			if not ok then ngx.print(res) return end
			ngx.print(res.status, " ", res.body)`)}}}})
	body := restytest.Body(restytest.Get(h, "/loop"))
	require.NotEmpty(t, body)
	assert.Contains(t, body, "failed to issue subrequest: -1")
}

// capture_multi runs its subrequests at once; those sharing the parent's variables and ngx.ctx
// stay race-free (run with -race).
func TestCaptureMultiSharing(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Variables: []string{"$hits"}, Locations: []resty.Location{
		{Match: "= /sub", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			ngx.sleep(0.001)
			ngx.var.hits = (tonumber(ngx.var.hits) or 0) + 1
			ngx.ctx.n = (ngx.ctx.n or 0) + 1
			ngx.print(ngx.var.arg_i)`)}},
		{Match: "= /main", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			ngx.var.hits = 0
			local ctx, reqs = {}, {}
			for i = 1, 8 do
				reqs[i] = {"/sub", {args = {i = i}, share_all_vars = true, ctx = ctx, vars = {hits = ngx.var.hits}}}
			end
			local res = {ngx.location.capture_multi(reqs)}
			local bodies = {}
			for i, r in ipairs(res) do bodies[i] = r.body end
			ngx.say(table.concat(bodies, ","), " ", ctx.n)`)}},
	}})
	assert.Equal(t, "1,2,3,4,5,6,7,8 8\n", restytest.Body(restytest.Get(h, "/main")))
}

// A subrequest's Lua takes no MaxStates slot of its own: requests holding every slot still
// finish their subrequests (with MaxStates 1 this deadlocked).
func TestSubrequestNeedsNoStateSlot(t *testing.T) {
	h := restytest.NewHandler(t, resty.Config{Lua: resty.LuaConfig{Workers: 1, MaxStates: 1},
		Locations: []resty.Location{
			{Match: "= /inner", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `ngx.print("inner")`)}},
			{Match: "= /outer", Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
				local res = ngx.location.capture("/inner")
				local a, b = ngx.location.capture_multi({{"/inner"}, {"/inner"}})
				ngx.say(res.body, " ", a.body, " ", b.body)`)}},
		}})
	done := make(chan string)
	go func() { done <- restytest.Body(restytest.Get(h, "/outer")) }()
	select {
	case body := <-done:
		assert.Equal(t, "inner inner inner\n", body)
	case <-time.After(5 * time.Second):
		t.Fatal("the subrequests never got a Lua state")
	}
}
