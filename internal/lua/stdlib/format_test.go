package stdlib

import (
	"testing"
)

func TestFormatIntegers(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"integral float", `print(string.format("%d", 3.0))`, "3", ""},
		{"within one of an integer truncates (5.2.4)", `print(string.format("%d|%d", 3.5, -3.9))`, "3|-3", ""},
		{"min int64", `print(string.format("%d", -2^63))`, "-9223372036854775808", ""},
		{"2^63 wraps, as LuaJIT", `print(string.format("%d|%d", 2^63, 1e30))`, "-9223372036854775808|-9223372036854775808", ""},
		{"nan, as LuaJIT", `print(string.format("%d", 0/0))`, "-9223372036854775808", ""},
		{"flags", `print(string.format("%05d|%-5d|%+d|% d|%.3d|%5.3d|%05.3d", 42, 42, 42, 42, 7, 7, 7))`, "00042|42   |+42| 42|007|  007|  007", ""},
		{"zero with zero precision", `print(string.format("[%.0d|%.0i|%5.0d]", 0, 0, 0))`, "[||     ]", ""},
		{"%i", `print(string.format("%i", 42))`, "42", ""},
		{"numeric string", `print(string.format("%d", "1e2"))`, "100", ""},
		{"non-numeric string", `string.format("%d", "x")`, "", "number expected, got string"},
		{"hex", `print(string.format("%x|%X|%#X|%08x|%#x", 3735928559, 3735928559, 3735928559, 255, 0))`, "deadbeef|DEADBEEF|0XDEADBEEF|000000ff|0", ""},
		{"hex of 2^63", `print(string.format("%x", 2^63))`, "8000000000000000", ""},
		{"hex of a negative is its two's complement, as LuaJIT", `print(string.format("%x|%o|%X", -1, -8, -255))`, "ffffffffffffffff|1777777777777777777770|FFFFFFFFFFFFFF01", ""},
		{"2^64 and beyond wrap, as LuaJIT", `print(string.format("%x|%u|%x", 2^64, 2^64, 1e30))`, "0|0|8000000000000000", ""},
		{"hex of -0.5 is 0", `print(string.format("%x", -0.5))`, "0", ""},
		{"octal", `print(string.format("%o|%#o|%#.0o|%#o", 8, 8, 0, 0))`, "10|010|0|0", ""},
		{"unsigned ignores sign flags", `print(string.format("%+x|% x|%+o|%+u", 1, 1, 1, 1))`, "1|1|1|1", ""},
	})
}

func TestFormatChars(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"%c", `print(string.format("%c%c%c", 76, 117, 97))`, "Lua", ""},
		{"%c width", `print(string.format("%5c|%-5c|%05c", 65, 66, 67))`, "    A|B    |    C", ""},
		{"%c wraps to a byte", `print(string.format("%c%c", 256 + 65, -191))`, "AA", ""},
		{"%c of zero keeps the byte", `print(#string.format("%c", 0))`, "1", ""},
	})
}

func TestFormatStrings(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"tostring of values", `print(string.format("%s %s %s %s", 1, 1.5, true, nil))`, "1 1.5 true nil", ""},
		{"__tostring", `print(string.format("%s|%10s|", setmetatable({}, {__tostring = function() return "OBJ" end}), setmetatable({}, {__tostring = function() return "OBJ" end})))`, "OBJ|       OBJ|", ""},
		{"__tostring returning a number", `print(string.format("%s", setmetatable({}, {__tostring = function() return 42 end})))`, "42", ""},
		{"precision counts bytes", `print(string.format("%5.2s|%-5s|%5s|", "abcdef", "\xc3\xa9", "\xc3\xa9"))`, "   ab|\xc3\xa9   |   \xc3\xa9|", ""},
		{"zero precision", `print(string.format("%.0s|%5.0s|", "abc", "abc"))`, "|     |", ""},
		{"stops at NUL below 100 bytes", `print(string.format("%s|%5s|%.1s", "a\0b", "a\0b", "a\0b"))`, "a|    a|a", ""},
		{"keeps long strings whole", `print(#string.format("%s", string.rep("a\0", 60)))`, "120", ""},
		{"numbers as %.14g", `print(string.format("%s|%s|%s", 1e15, 2^53, -0.0))`, "1e+15|9.007199254741e+15|-0", ""},
		{"inf and nan", `print(string.format("%s %s %s", 1/0, -1/0, -(0/0)))`, "inf -inf nan", ""},
	})
}

func TestFormatFloats(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"%g default precision", `print(string.format("%g %g %g %g %g", 1e20, 0.1, 100000, 1e-5, 123456789))`, "1e+20 0.1 100000 1e-05 1.23457e+08", ""},
		{"%g flags", `print(string.format("%.3g|%10.3g|%-10.3g|%+g|% g|%#g|%010g", math.pi, math.pi, math.pi, 1, 1, 1, -1.5))`, "3.14|      3.14|3.14      |+1| 1|1.00000|-0000001.5", ""},
		{"%#g", `print(string.format("%#.3g|%#g|%#.10g|%#.0g", 0.0001, 123456789, 1, 5))`, "0.000100|1.23457e+08|1.000000000|5.", ""},
		{"%e", `print(string.format("%e %E %.0e %#.0e %e", 12345.678, 0.00012, 5, 5, 1e100))`, "1.234568e+04 1.200000E-04 5e+00 5.e+00 1.000000e+100", ""},
		{"%f rounds ties away from zero, as LuaJIT", `print(string.format("%.0f %.0f %.0f %#.0f %.2f %.0f", 0.5, 1.5, 2.5, 3, 0.125, -2.5))`, "1 2 3 3. 0.13 -3", ""},
		{"%e and %g ties", `print(string.format("%.0e %.2e %.1g %.14g %.3g", 2.5, 1.125, 0.25, 123456789012345, 1.0625))`, "3e+00 1.13e+00 0.3 1.2345678901235e+14 1.06", ""},
		{"%f width", `print(string.format("%f|%10.3f|%-10.3f|", 1/3, -1/3, 1/3))`, "0.333333|    -0.333|0.333     |", ""},
		{"%f exact digits", `print(string.format("%.20f", 0.1))`, "0.10000000000000000555", ""},
		{"inf and nan", `print(string.format("%g %g %g %G %5.1f|%-8.3e|", 1/0, -1/0, 0/0, 1/0, 1/0, -1/0))`, "inf -inf -nan INF   inf|-inf    |", ""},
		{"inf ignores the zero flag", `print(string.format("%010.2f|%+010.2f|% 010.2f", 1/0, 1/0, 1/0))`, "       inf|      +inf|       inf", ""},
		{"%a", `print(string.format("%a|%A|%a|%.2a|%a|%a", 1, 0.5, 0, 1/3, -0.0, 255.5))`, "0x1p+0|0X1P-1|0x0p+0|0x1.55p-2|-0x0p+0|0x1.ffp+7", ""},
		{"%a subnormal", `print(string.format("%a|%a", 5e-324, 2.2250738585072014e-308))`, "0x0.0000000000001p-1022|0x1p-1022", ""},
		{"%a width and precision", `print(string.format("%10.3a|%-+12a|%.0a|%.1a", 1, 1, 1.5, 1.96875))`, "0x1.000p+0|+0x1p+0     |0x2p+0|0x2.0p+0", ""},
		{"%a rounding", `print(string.format("%.0a|%.0a|%.1a|%.13a|%.15a|%#a|%#.0a", 2.5, 1.25, 1.03125, 1/3, 1/3, 1, 1))`, "0x1p+1|0x1p+0|0x1.0p+0|0x1.5555555555555p-2|0x1.555555555555500p-2|0x1.p+0|0x1.p+0", ""},
	})
}

func TestFormatQuoted(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"escapes", `print(string.format("%q", 'he said "hi"\n\0001\r\t\\ \127\200'))`, "\"he said \\\"hi\\\"\\\n\\0001\\13\\9\\\\ \\127\xc8\"", ""},
		{"number", `print(string.format("%q", 1/3))`, `"0.33333333333333"`, ""},
		{"table", `string.format("%q", {})`, "", "bad argument #2 to '?' (string expected, got table)"},
	})
}

func TestFormatErrors(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"missing value", `string.format("%d")`, "", "bad argument #2 to '?' (no value)"},
		{"missing later value", `string.format("%d %s", 1)`, "", "bad argument #3 to '?' (no value)"},
		{"trailing percent", `string.format("abc%")`, "", "bad argument #2 to '?' (no value)"},
		{"invalid option", `string.format("%y", 1)`, "", "invalid option '%y' to 'format'"},
		{"length modifier", `string.format("%ld", 1)`, "", "invalid option '%l' to 'format'"},
		{"five flags are allowed", `print(string.format("%-+ #0d", 1))`, "+1", ""},
		{"six flags", `string.format("%-+ #0-d", 1)`, "", "invalid format (repeated flags)"},
		{"width too long", `string.format("%100d", 1)`, "", "invalid format (width or precision too long)"},
		{"precision too long", `string.format("%1.100f", 1)`, "", "invalid format (width or precision too long)"},
		{"no format", `string.format()`, "", "bad argument #1 to '?' (string expected, got no value)"},
		{"percent percent", `print(string.format("100%% %d%%", 5))`, "100% 5%", ""},
	})
}

func TestFormatMaxBytes(t *testing.T) {
	runCases(t, Options{MaxBytes: 8}, []luaCase{
		{"under", `print(string.format("%5s", "x"))`, "    x", ""},
		{"over", `string.format("%s%s", "aaaaa", "bbbbb")`, "", "resulting string too large"},
		{"over with literal text", `string.format("0123456789")`, "", "resulting string too large"},
	})
}
