package luare

import (
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"

	"github.com/goresty/goresty/internal/golden"
)

// TestSplit runs ngx.re.split on go-lua; the wants are what OpenResty's lua-resty-core printed
// for the same calls (the oracle case re_split checks them on nginx).
func TestSplit(t *testing.T) {
	l := glua.NewState()
	glua.OpenLibraries(l)
	OpenModule(l, "0.1.25")
	l.SetGlobal("re")
	out := golden.RunLua(l, `
local function dump(t)
  if type(t) ~= "table" then return tostring(t) end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for i, k in ipairs(keys) do parts[i] = k .. "=" .. string.format("%q", t[k]) end
  return "{" .. table.concat(parts, ",") .. "}"
end
local function show(...) local r, e = re.split(...) emit(dump(r) .. " " .. tostring(e)) end
show("a,b,,c", ",")
show("a,b,,", ",")
show(",a,,b,,", ",")
show("a,b,,c", ",", nil, nil, 2)
show("a,b,,c", ",", nil, nil, 3)
show("a,b,,", ",", nil, nil, 10)
show("abc", "")
show("a1b2c", [[(\d)]])
show("", ",")
show("abc", "x")
show(123, "2")
show("a,b", "(")
local ctx = {pos = 3}
show("a,b,c,d", ",", nil, ctx)
emit(ctx.pos)
show("a  b   c", [[\s*]])
show("aXbXc", "x", "i")
local res = {"old1", "old2", "old3", "old4", "old5"}
local r = re.split("a,b", ",", nil, nil, nil, res)
emit(dump(r) .. " " .. tostring(r == res))
emit(select(2, pcall(re.split, "a", ",", nil, nil, nil, "x")))
emit(select(2, pcall(re.opt, "bogus", 1)))
`)
	assert.Equal(t, `{1="a",2="b",3="",4="c"} nil
{1="a",2="b"} nil
{1="",2="a",3="",4="b"} nil
{1="a",2="b,,c"} nil
{1="a",2="b",3=",c"} nil
{1="a",2="b",3="",4=""} nil
{1="a",2="b",3="c"} nil
{1="a",2="1",3="b",4="2",5="c"} nil
{} nil
{1="abc"} nil
{1="1",2="3"} nil
nil pcre_compile() failed: missing ) in "("
{1="b",2="c",3="d"} nil
6
{1="a",2="a  ",3="b",4="b   ",5="c"} nil
{1="a",2="b",3="c"} nil
{1="a",2="b",4="old4",5="old5"} true
res is not a table
unrecognized option name
`, out)
}
