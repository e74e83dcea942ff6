package ngxlua_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
	"github.com/goresty/goresty/resty/restytest"
)

// get_sys_filter_level follows the Handler's logger; raw_log writes without ngx.log's prefix.
func TestErrlog(t *testing.T) {
	var out strings.Builder
	logger := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := restytest.NewHandler(t, resty.Config{Logger: logger, Locations: []resty.Location{{Match: "/",
		Hooks: []resty.Hook{resty.LuaHook(ngx.PhaseContent, `
			local errlog = require "ngx.errlog"
			errlog.raw_log(ngx.WARN, "kept")
			errlog.raw_log(ngx.INFO, "dropped")
			ngx.say(errlog.get_sys_filter_level() == ngx.WARN)`)}}}})
	assert.Equal(t, "true\n", restytest.Body(restytest.Get(h, "/")))
	assert.Contains(t, out.String(), "msg=kept")
	assert.NotContains(t, out.String(), "dropped")
	assert.NotContains(t, out.String(), "[lua]")
}
