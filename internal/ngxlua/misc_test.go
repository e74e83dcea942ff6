package ngxlua_test

import (
	"testing"

	"github.com/goresty/goresty/ngx"
	"github.com/goresty/goresty/resty"
)

const hex = `local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end `

func TestDigests(t *testing.T) {
	run(t, []luaCase{
		{name: "md5", content: `ngx.say(ngx.md5("hello"), " ", ngx.md5(123), " ", ngx.md5(nil), " ", ngx.md5(true))`,
			wantBody: "5d41402abc4b2a76b9719d911017c592 202cb962ac59075b964b07152d234b70 d41d8cd98f00b204e9800998ecf8427e b326b5062b2f0e69046810717534cb09\n"},
		{name: "md5_bin", content: hex + `ngx.say(hex(ngx.md5_bin("hello")))`, wantBody: "5d41402abc4b2a76b9719d911017c592\n"},
		{name: "sha1_bin", content: hex + `ngx.say(hex(ngx.sha1_bin("hello")))`, wantBody: "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\n"},
		{name: "hmac_sha1", content: hex + `ngx.say(hex(ngx.hmac_sha1("key", "The quick brown fox jumps over the lazy dog")))`,
			wantBody: "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9\n"},
		{name: "hmac_sha1 nil", content: `ngx.say(pcall(ngx.hmac_sha1, nil, nil))`,
			wantBody: "falsebad argument #1 to '?' (string expected, got nil)\n"},
		{name: "crc32", content: `ngx.say(ngx.crc32_short("hello"), " ", ngx.crc32_long("hello"), " ", ngx.crc32_short(nil), " ", ngx.crc32_long(12))`,
			wantBody: "907060870 907060870 0 1330857165\n"},
	})
}

func TestBase64(t *testing.T) {
	run(t, []luaCase{
		{name: "encode", content: `ngx.say(ngx.encode_base64("hello"), " ", ngx.encode_base64("hello", true), " [", ngx.encode_base64(""), "] ", ngx.encode_base64(123))`,
			wantBody: "aGVsbG8= aGVsbG8 [] MTIz\n"},
		{name: "decode", content: `ngx.say(ngx.decode_base64("aGVsbG8="), " ", ngx.decode_base64("aGVsbG8"), " ", tostring(ngx.decode_base64("!!")))`,
			wantBody: "hello hello nil\n"},
		{name: "bad no_padding", content: `ngx.say(pcall(ngx.encode_base64, "x", "yes"))`,
			wantBody: "falsebad no_padding: boolean expected, got string\n"},
		{name: "decode nil", content: `ngx.say(pcall(ngx.decode_base64, nil))`, wantBody: "falsestring argument only\n"},
	})
}

func TestEscapeURI(t *testing.T) {
	run(t, []luaCase{
		{name: "component", content: `ngx.say(ngx.escape_uri("a b&c=d/e?f#g~h"))`, wantBody: "a%20b%26c%3Dd%2Fe%3Ff%23g~h\n"},
		{name: "uri", content: `ngx.say(ngx.escape_uri("a b/c?d=e", 0))`, wantBody: "a%20b/c%3Fd=e\n"},
		{name: "args", content: `ngx.say(ngx.escape_uri(" /?&=#%+é", 1))`, wantBody: "%20/%3F&=%23%25%2B%C3%A9\n"},
		{name: "html", content: `ngx.say(ngx.escape_uri(" /?&=#%+<>\"'", 3))`, wantBody: "%20/?&=%23%25+<>%22%27\n"},
		{name: "refresh", content: `ngx.say(ngx.escape_uri(" #%\"'", 4))`, wantBody: "%20#%%22%27\n"},
		{name: "memcached", content: `ngx.say(ngx.escape_uri(" %\127é", 5))`, wantBody: "%20%25\x7fé\n"},
		{name: "nil", content: `ngx.say("[", ngx.escape_uri(nil), "]")`, wantBody: "[]\n"},
		{name: "type out of range", content: `ngx.say(pcall(ngx.escape_uri, "x", 7))`,
			wantBody: "falsecontent_by_lua(nginx.conf:2):1: \"type\" 7 out of range\n"},
		{name: "type not a number", content: `ngx.say(pcall(ngx.escape_uri, "x", "a"))`,
			wantBody: "falsecontent_by_lua(nginx.conf:2):1: \"type\" is not a number\n"},
		{name: "unescape", content: `ngx.say(ngx.unescape_uri("a%20b+c%2Fd%zz%4"), "|", ngx.unescape_uri(12), "|", ngx.unescape_uri(nil), "|")`,
			wantBody: "a b c/d%zz%4|12||\n"},
	})
}

func TestArgsCodec(t *testing.T) {
	run(t, []luaCase{
		{name: "encode", content: `ngx.say(ngx.encode_args({a = "b c"}), "|", ngx.encode_args({a = {"1", "2"}}), "|",
			ngx.encode_args({flag = true}), "|", ngx.encode_args({off = false}), "|", ngx.encode_args({n = 1.5}))`,
			wantBody: "a=b%20c|a=1&a=2|flag||n=1.5\n"},
		{name: "encode bad value", content: `ngx.say(pcall(ngx.encode_args, {a = print}))`,
			wantBody: "falseattempt to use function as query arg value\n"},
		{name: "encode null", content: `ngx.say(pcall(ngx.encode_args, {a = ngx.null}))`,
			wantBody: "falseattempt to use userdata as query arg value\n"},
		{name: "encode non-table", content: `ngx.say(pcall(ngx.encode_args, "x"))`,
			wantBody: "falsebad argument #1 to '?' (table expected, got string)\n"},
		{name: "encode number key", content: `ngx.say(pcall(ngx.encode_args, {[1] = "a"}))`,
			wantBody: "falseattempt to use a non-string key in the \"args\" option table\n"},
		{name: "decode", content: dump + `ngx.say(dump(ngx.decode_args("a=1&b=2&a=3&c&d=&e=x+y%21")))`,
			wantBody: `{a={1="1",2="3"},b="2",c=true,d="",e="x y!"}` + "\n"},
		{name: "decode max", content: dump + `ngx.say(dump(ngx.decode_args("a=1&b=2&c=3", 2)), dump(ngx.decode_args("a=1&b=2&c=3", -1)))`,
			wantBody: `{a="1",b="2"}{a="1",b="2",c="3"}` + "\n"},
		{name: "decode nil", content: `ngx.say(pcall(ngx.decode_args, nil))`,
			wantBody: "falsebad argument #1 to '?' (string expected, got nil)\n"},
		{name: "decode bad max", content: `ngx.say(pcall(ngx.decode_args, "a=1", "x"))`,
			wantBody: "falsebad argument #2 to '?' (number expected, got string)\n"},
		{name: "quote_sql_str", content: `ngx.say(ngx.quote_sql_str("it's \"x\" \\ \n\0\26"), " ", ngx.quote_sql_str(12))`,
			wantBody: `'it\'s \"x\" \\ \n\0\Z' '12'` + "\n"},
		{name: "quote_sql_str nil", content: `ngx.say(pcall(ngx.quote_sql_str, nil))`,
			wantBody: "falsebad argument #1 to '?' (string expected, got nil)\n"},
	})
}

func TestTime(t *testing.T) {
	run(t, []luaCase{
		{name: "time and now agree", content: `local t, n = ngx.time(), ngx.now() ngx.say(type(t), " ", t == math.floor(n), " ", ngx.now() == n)`,
			wantBody: "number true true\n"},
		{name: "update_time returns nothing", content: `ngx.say(select("#", ngx.update_time()))`, wantBody: "0\n"},
		{name: "formats", content: `ngx.say(ngx.today():match("^%d%d%d%d%-%d%d%-%d%d$") ~= nil, ngx.localtime():match("^%d%d%d%d%-%d%d%-%d%d %d%d:%d%d:%d%d$") ~= nil,
			ngx.utctime() == os.date("!%Y-%m-%d %H:%M:%S", ngx.time()))`, wantBody: "truetruetrue\n"},
		{name: "http_time", content: `ngx.say(ngx.http_time(0), "|", ngx.http_time(1290079655.9), "|", ngx.cookie_time(4102444800))`,
			wantBody: "Thu, 01 Jan 1970 00:00:00 GMT|Thu, 18 Nov 2010 11:27:35 GMT|Fri, 01-Jan-2100 00:00:00 GMT\n"},
		{name: "http_time non-number", content: `ngx.say(pcall(ngx.http_time, "x"))`, wantBody: "falsenumber argument only\n"},
		{name: "parse_http_time", content: `ngx.say(ngx.parse_http_time("Thursday, 18-Nov-10 11:27:35 GMT"), " ", tostring(ngx.parse_http_time("x")))`,
			wantBody: "1290079655 nil\n"},
		{name: "parse_http_time non-string", content: `ngx.say(pcall(ngx.parse_http_time, 12))`, wantBody: "falsestring argument only\n"},
	})
}

func TestSleep(t *testing.T) {
	run(t, []luaCase{
		{name: "updates the cached time", content: `local t0 = ngx.now() local r = ngx.sleep(0.02) local dt = ngx.now() - t0
			ngx.say(tostring(r), " ", dt >= 0.015, " ", dt < 1)`, wantBody: "nil true true\n"},
		{name: "negative", content: `ngx.say(pcall(ngx.sleep, -0.5))`, wantBody: "falseinvalid sleep duration \"-500\"\n"},
		{name: "not a number", content: `ngx.say(pcall(ngx.sleep, "x"))`, wantBody: "falsebad argument #1 to '?' (number expected, got string)\n"},
		{name: "in rewrite and access", hooks: []resty.Hook{
			lua(ngx.PhaseRewrite, `ngx.sleep(0.001) ngx.ctx.r = true`),
			lua(ngx.PhaseAccess, `ngx.sleep(0.001) ngx.ctx.a = true`),
			content(`ngx.say(ngx.ctx.r, " ", ngx.ctx.a)`),
		}, wantBody: "true true\n"},
	})
}
