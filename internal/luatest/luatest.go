// Package luatest runs Lua snippets on goresty's engine for the tests of its Lua modules.
package luatest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

// Run runs src once on a new engine made from cfg, as one request (a GET of /t) whose ngx.now
// stands at start until the Lua global advance(ms) moves it. Run sets cfg's Print and Setup. It
// returns the lines that print printed and what Exec returned.
func Run(t testing.TB, cfg lua.Config, start time.Time, src string) ([]string, error) {
	t.Helper()
	now := start
	var out []string
	var r *ngx.Request
	cfg.Print = func(line string) { out = append(out, line) }
	cfg.Setup = func(s *lua.State) error {
		s.L.Register("advance", func(l *glua.State) int {
			now = now.Add(time.Duration(glua.CheckNumber(l, 1) * float64(time.Millisecond)))
			r.Clock().Update()
			return 0
		})
		return nil
	}
	engine, err := lua.NewEngine(cfg)
	require.NoError(t, err)
	t.Cleanup(engine.Close)
	chunk, err := lua.Compile("=test", src)
	require.NoError(t, err)
	s, err := engine.Acquire(context.Background())
	require.NoError(t, err)
	defer engine.Release(s)
	r = ngx.NewRequest(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/t", nil), &ngx.Options{})
	r.Clock().Source = func() time.Time { return now }
	r.Clock().Update()
	s.Data = r
	err = s.Exec(context.Background(), chunk, 0)
	return out, err
}
