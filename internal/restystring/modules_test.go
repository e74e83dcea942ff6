package restystring

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/internal/luatest"
)

// run runs src with the modules on an engine of cfg and returns what it printed.
func run(t *testing.T, cfg lua.Config, src string) (string, error) {
	t.Helper()
	cfg.Modules = Modules()
	out, err := luatest.Run(t, cfg, time.Now(), src)
	return strings.Join(out, "\n"), err
}

func TestModules(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"to_hex", `local str = require "resty.string" print(str.to_hex("\0\15\255Az"), str.to_hex(""), str._VERSION)`,
			"000fff417a\t\t0.16"},
		{"atoi", `local str = require "resty.string"
			local out = {}
			for _, s in ipairs({"42", "", "4 2", "-1", "007", "9223372036854775807", "9223372036854775808"}) do
				out[#out + 1] = str.atoi(s)
			end print(table.concat(out, " "))`,
			"42 -1 -1 -1 7 9.2233720368548e+18 -1"},
		{"sha256 streaming", `local sha256 = require "resty.sha256" local str = require "resty.string"
			local d = sha256:new()
			print(d:update("a"), d:update("bc"), str.to_hex(d:final()))
			print(str.to_hex(d:final()) == str.to_hex(sha256.new():final()), d:reset(), str.to_hex(d:final()))`,
			"true\ttrue\tba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n" +
				"false\ttrue\te3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"digest sizes", `local str = require "resty.string"
			local out = {}
			for _, n in ipairs({"md5", "sha1", "sha224", "sha256", "sha384", "sha512"}) do
				local d = require("resty." .. n):new() d:update("x") out[#out + 1] = #d:final()
			end print(table.concat(out, " "))`,
			"16 20 28 32 48 64"},
		{"objects are independent", `local md5 = require "resty.md5" local str = require "resty.string"
			local a, b = md5:new(), md5:new() a:update("abc")
			print(str.to_hex(a:final()), str.to_hex(b:final()))`,
			"900150983cd24fb0d6963f7d28e17f72\td41d8cd98f00b204e9800998ecf8427e"},
		{"random", `local random = require "resty.random"
			print(#random.bytes(32), #random.bytes(32, true), #random.bytes(2.9), random.bytes(0) == "", random.bytes(16) ~= random.bytes(16))`,
			"32\t32\t2\ttrue\ttrue"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := run(t, lua.Config{}, c.src)
			require.NoError(t, err)
			assert.Equal(t, c.want, out)
		})
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`require("resty.string").to_hex(12)`, "attempt to get length of local 's' (a number value)"},
		{`require("resty.string").to_hex()`, "attempt to get length of local 's' (a nil value)"},
		{`require("resty.string").atoi({})`, "bad argument #1 to 'ngx_atoi' (cannot convert 'table' to 'const unsigned char *')"},
		{`local d = require("resty.sha1"):new() d:update(1)`, "attempt to get length of local 's' (a number value)"},
		{`local d = require("resty.sha1"):new() d.update("x", "y")`, "attempt to index local 'self' (a string value)"},
		{`local d = require("resty.sha1"):new() d.final({})`, "bad argument #1 (a resty.sha1 object expected, got a table without _ctx)"},
		{`require("resty.random").bytes()`, "bad argument #2 to 'ffi_new' (cannot convert 'nil' to 'int')"},
		{`require("resty.random").bytes("4")`, "bad argument #2 to 'ffi_new' (cannot convert 'string' to 'int')"},
		{`require("resty.random").bytes(-1)`, "bad argument #1 to 'ffi_new' (size of C type is unknown or too large)"},
	} {
		_, err := run(t, lua.Config{}, c.src)
		var le *lua.Error
		if assert.ErrorAs(t, err, &le, c.src) {
			assert.Equal(t, c.want, le.Message, c.src)
		}
	}
}

func TestRandomBytesHonoursMaxBytes(t *testing.T) {
	_, err := run(t, lua.Config{MaxBytes: 1000}, `require("resty.random").bytes(1001)`)
	var le *lua.Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "string length overflow", le.Message)
	out, err := run(t, lua.Config{MaxBytes: 1000}, `print(#require("resty.random").bytes(1000))`)
	require.NoError(t, err)
	assert.Equal(t, "1000", out)
}

// A digest object made by init_by_lua is copied into each VM with its state, so what one VM
// feeds it, another never sees.
func TestDigestFromInitIsPerVM(t *testing.T) {
	init, err := lua.Compile("=init", `D = require("resty.sha256"):new() D:update("a")`)
	require.NoError(t, err)
	var out []string
	e, err := lua.NewEngine(lua.Config{Workers: 2, MaxStates: 2, Init: []*lua.Chunk{init}, Modules: Modules(),
		Print: func(line string) { out = append(out, line) }})
	require.NoError(t, err)
	t.Cleanup(e.Close)
	c, err := lua.Compile("=test", `D:update("b") print(require("resty.string").to_hex(D:final()))`)
	require.NoError(t, err)
	var states []*lua.State
	for range 2 {
		s, err := e.Acquire(context.Background())
		require.NoError(t, err)
		t.Cleanup(func() { e.Release(s) })
		states = append(states, s)
	}
	for _, s := range states {
		require.NoError(t, s.Exec(context.Background(), c, 0))
	}
	ab := "fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603" // sha256("ab")
	assert.Equal(t, []string{ab, ab}, out)
}
