package stdlib

import (
	"testing"
)

func TestStringCase(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"upper is byte-wise", `print(string.upper("abc\xc3\xa9xyz"))`, "ABC\xc3\xa9XYZ", ""},
		{"lower is byte-wise", `print(string.lower("ABC\xc3\x89XYZ"))`, "abc\xc3\x89xyz", ""},
		{"upper keeps invalid UTF-8", `print(#string.upper("\xff\xfe"), string.upper("\xff") == "\xff")`, "2\ttrue", ""},
		{"method call", `print(("MiXeD"):lower(), ("MiXeD"):upper())`, "mixed\tMIXED", ""},
		{"number argument", `print(string.upper(12))`, "12", ""},
		{"reverse is byte-wise", `print(string.reverse("ab\xc3\xa9") == "\xa9\xc3ba", string.reverse(""))`, "true\t", ""},
		{"not a string", `string.upper({})`, "", "bad argument #1 to '?' (string expected, got table)"},
	})
}

func TestStringRep(t *testing.T) {
	runCases(t, Options{MaxBytes: 100}, []luaCase{
		{"plain", `print(string.rep("ab", 3))`, "ababab", ""},
		{"separator", `print(string.rep("ab", 3, ","))`, "ab,ab,ab", ""},
		{"zero and negative", `print(string.rep("x", 0) == "", string.rep("x", -1) == "")`, "true\ttrue", ""},
		{"count truncates", `print(string.rep("x", 2.9))`, "xx", ""},
		{"count wraps as a C int", `print(string.rep("x", 2^32 + 2))`, "xx", ""},
		{"at the cap", `print(#string.rep("x", 50, "y"))`, "99", ""},
		{"over the cap", `string.rep("x", 51, "y")`, "", "resulting string too large"},
		{"huge count with empty string", `print(string.rep("", 2^31 - 1) == "")`, "true", ""},
	})
}

func TestStringRepNoCap(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"large without a cap", `print(#string.rep("abc", 100000, ","))`, "399999", ""},
	})
}

func TestStringChar(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"bytes", `print(string.char(76, 117, 97), #string.char())`, "Lua\t0", ""},
		{"wraps as a C int", `print(string.char(2^32 + 65))`, "A", ""},
		{"out of range", `string.char(256)`, "", "bad argument #1 to '?' (value out of range)"},
		{"negative", `string.char(65, -1)`, "", "bad argument #2 to '?' (value out of range)"},
	})
}

func TestTostring(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"numbers as C %.14g", `print(tostring(1/0), tostring(-1/0), tostring(-(0/0)), tostring(0/0), tostring(0.1), tostring(2^63))`, "inf\t-inf\tnan\t-nan\t0.1\t9.2233720368548e+18", ""},
		{"integers", `print(tostring(42), tostring(-0.0), tostring(1e14), tostring(99999999999999))`, "42\t-0\t1e+14\t99999999999999", ""},
		{"others", `print(tostring(nil), tostring(true), tostring("s"))`, "nil\ttrue\ts", ""},
		{"__tostring", `print(tostring(setmetatable({}, {__tostring = function() return "T" end})))`, "T", ""},
		{"__tostring returning a table", `print(type(tostring(setmetatable({}, {__tostring = function() return {} end}))))`, "table", ""},
		{"no argument", `tostring()`, "", "bad argument #1 to '?' (value expected)"},
	})
}

func TestStringSubByteLen(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"sub", `local s = "hello" print(s:sub(2), s:sub(-3), s:sub(0), s:sub(-100, 2), s:sub(2, 100), s:sub(4, 2) == "", s:sub(1.9, 3.9))`,
			"ello\tllo\thello\the\tello\ttrue\thel", ""},
		{"sub with extreme positions", `local s = "hello" print(s:sub(2^63), s:sub(-2^63), s:sub(0/0), s:sub(1, 0/0) == "", s:sub(1e300))`,
			"hello\thello\thello\ttrue\thello", ""},
		{"byte", `local s = "hello" print(s:byte(), s:byte(-1), s:byte(10), s:byte(0)) print(s:byte(2, -2))`, "104\t111\tnil\n101\t108\t108", ""},
		{"byte of an empty range", `print(select("#", ("hello"):byte(3, 2)), select("#", (""):byte()))`, "0\t0", ""},
		{"byte of a long slice", `print(select("#", string.rep("x", 100000):byte(1, -1)))`, "100000", ""},
		{"byte slice too long for the stack", `string.rep("x", 2000000):byte(1, -1)`, "", "stack overflow (string slice too long)"},
		{"len counts bytes", `print(string.len(""), string.len("a\0b"), string.len("\xc3\xa9"))`, "0\t3\t2", ""},
		{"sub needs a start", `string.sub("x")`, "", "bad argument #2 to '?' (number expected, got no value)"},
		{"byte needs a string", `string.byte({})`, "", "bad argument #1 to '?' (string expected, got table)"},
	})
}

func TestNumbersConvertAsTostring(t *testing.T) {
	// go-lua converts numbers to strings as Go's %.14g ("+Inf", "NaN"); Lua's functions use 5.2's.
	runCases(t, Options{}, []luaCase{
		{"len", `print(string.len(1/0), string.len(0/0), string.len(12.5))`, "3\t4\t4", ""},
		{"sub and byte", `print(string.sub(-1/0, 1), string.byte(1/0, 1, -1))`, "-inf\t105\t110\t102", ""},
		{"case and reverse", `print(string.upper(0/0), string.lower(1/0), string.reverse(1/0))`, "-NAN\tinf\tfni", ""},
		{"rep", `print(string.rep(1/0, 2, -(0/0)))`, "infnaninf", ""},
		{"format string and %q", `print(string.format(1/0), string.format("%q", 1/0))`, "inf\t\"inf\"", ""},
		{"concat separator", `print(table.concat({1, 2}, 1/0))`, "1inf2", ""},
	})
}
