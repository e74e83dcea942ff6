package pattern

// diffCase is a Lua program whose printed output must be the same under
// go-lua with this package and under lua5.2. knownDiff, when set, names a
// difference that lies outside this package.
type diffCase struct {
	name, src, knownDiff string
}

// classCase prints which of the 256 bytes the escape %c matches.
func classCase(c string) diffCase {
	return diffCase{"class_" + c, `local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
local kept = all:gsub("[^%` + c + `]", "")
local codes = {}
for i = 1, #kept do codes[#codes + 1] = kept:byte(i) end
print(#kept, table.concat(codes, ","))
local n = select(2, all:gsub("%` + c + `", ""))
print(n)`, ""}
}

const argNameDiff = "go-lua's Info 'n' reads the instruction after the call, so argument " +
	"errors name the function by its global name, 'string.gsub', and count self"

var diffCases = append([]diffCase{
	classCase("a"), classCase("A"), classCase("c"), classCase("C"), classCase("d"),
	classCase("D"), classCase("g"), classCase("G"), classCase("l"), classCase("L"),
	classCase("p"), classCase("P"), classCase("s"), classCase("S"), classCase("u"),
	classCase("U"), classCase("w"), classCase("W"), classCase("x"), classCase("X"),
	classCase("z"), classCase("Z"),
}, []diffCase{
	{name: "dot", src: `print(("a\0b\nc"):match("(.)(.)(.)(.)") == "a")
print(#("a\0b\nc"):match(".*"), ("x"):find("."), (""):find("."))`},
	{name: "literal_escapes", src: `for _, p in ipairs{"%.", "%%", "%(", "%)", "%[", "%]", "%-", "%+", "%*", "%?", "%^", "%$", "%q", "%_"} do
  print(p, ("a.%()[]-+*?^$q_"):find(p))
end`},
	{name: "set_basic", src: `print(("hello world"):gsub("[aeiou]", "#"))
print(("x-y_z"):gsub("[%w_]", "."))
print(("abc123"):match("[a-c]+"), ("abc123"):match("[0-9]+"), ("ABC"):match("[a-z]"))`},
	{name: "set_complement", src: `print(("hello world"):gsub("[^aeiou]", "#"))
print(("a1b2"):gsub("[^%d]", ""))
print(("]]x"):match("[^]]+"))`},
	{name: "set_bracket_first", src: `print(("a]b"):find("[]]"), ("a]b"):find("[%]]"), ("a^b"):find("[a^]", 2))
print(("[x"):find("[[]"), ("a-b"):find("[a-]", 2), ("a-b"):find("[-a]", 2))`},
	{name: "set_dash_edges", src: `print(("b-"):gsub("[%-]", "!"), ("q-z"):gsub("[a%-z]", "!"))
print(("m"):find("[z-a]"), ("z"):find("[z-a]"), ("-"):find("[+--]"))`},
	{name: "set_classes_inside", src: `print(("a 1\t_"):gsub("[%d%s]", "."))
print(("AbC"):gsub("[%u]", "u"), ("AbC"):gsub("[^%U]", "u"))
print(("\200\255a"):gsub("[\128-\255]", "H"))`},
	{name: "set_escape_last", src: `print(("%]"):find("[%%]"), ("a%"):find("[a%%]", 2))
print(pcall(string.find, "a", "[a%"))`},
	{name: "star_greedy", src: `print(("aaab"):match("a*"), ("aaab"):match("a*b"), ("b"):match("a*b"))
print(("<a><b>"):match("<.*>"), ("xyz"):find("y*"))`},
	{name: "plus", src: `print(("aaab"):match("a+"), ("b"):match("a+"), ("  x"):match("%s+()"))
print(("abc123def"):match("%a+(%d+)%a+"))`},
	{name: "minus_lazy", src: `print(("<a><b>"):match("<.->"), ("/* x */ y /* z */"):gsub("/%*.-%*/", "C"))
print(("aaa"):match("a-"), ("aaa"):match("a-$"), ("ab"):match("a-b"))`},
	{name: "question", src: `print(("ac"):match("ab?c"), ("abc"):match("ab?c"), ("abbc"):match("ab?c"))
print(("-12"):match("^[+-]?%d+$"), ("12"):match("^[+-]?%d+$"), ("+-1"):match("^[+-]?%d+$"))`},
	{name: "backtracking", src: `print(("aaaa"):match("^(a*)(a)(a)$"))
print(("abcabc"):match("(.*)c"), ("abcabc"):match("(.-)c"))
print(("xxxyyy"):find("x*y+$"))`},
	{name: "anchor_start", src: `print(("hello"):find("^h"), ("hello"):find("^e"), ("hello"):find("^e", 2))
print(("hello"):match("^(h)(e)"), ("ahello"):match("^hello"))
print(("a^b"):find("a^b"), ("^b"):find("^^b"))`},
	{name: "anchor_end", src: `print(("hello"):find("o$"), ("hello"):find("l$"), ("a$b"):find("a$b"))
print(("hello"):match(".$"), (""):find("^$"), ("x"):find("^$"), ("$"):find("$$"))`},
	{name: "captures_basic", src: `print(("key = value"):match("(%w+)%s*=%s*(%w+)"))
print(("2024-01-31"):match("(%d+)-(%d+)-(%d+)"))
print(string.find("hello world", "(o)(r)"))`},
	{name: "captures_nested", src: `print(("abcd"):match("((a)(b(c)))(d)"))
print(("abc"):find("((%a)%a)"))`},
	{name: "captures_empty", src: `print(("abc"):match("()"), ("abc"):match("(x*)"), #("abc"):match("(x*)"))
print(("abc"):match("a(.-)b"), ("abc"):find("b()"))`},
	{name: "position_captures", src: `print(("hello"):match("()ll()"))
print(type(("hello"):match("()")), ("hello"):find("()l()l"))
print(string.match("abc", "()", 4)) -- init past #s+1: corpus luajit/pat_init_past_end`},
	{name: "captures_32_ok", src: `local p = string.rep("(a)", 32)
local r = {string.match(string.rep("a", 32), p)}
print(#r, r[1], r[32])`},
	{name: "captures_33_error", src: `print(pcall(string.match, string.rep("a", 33), string.rep("(a)", 33)))
print(pcall(string.find, "a", string.rep("()", 33)))`},
	{name: "backref", src: `print(("hello"):find("(l)%1"), ("abab"):match("(ab)%1"), ("abba"):match("(a)(b)%2%1"))
print(('x = "a\'b" ok'):match("([\"'])(.-)%1"))
print(("aa bb cd"):gsub("(%a)%1", "<%0>"))`},
	{name: "backref_position", src: `print(("aa"):match("()a%1"), ("aa"):find("()%1"))`},
	{name: "backref_errors", src: `print(pcall(string.find, "a", "%1"))
print(pcall(string.find, "a", "(a%1)"))
print(pcall(string.find, "aa", "(a)%2"))
print(pcall(string.find, "a", "%0"))
print(pcall(string.find, "a", "(a)%9"))`},
	{name: "balance", src: `print(("f(a(b)c) d"):match("%b()"), ("x[1][2]"):gsub("%b[]", "I"))
print(("(unclosed"):match("%b()"), ("no"):find("%b()"), ("''"):find("%b''"))
print(("if x then (a) end"):match("then (%b())"), ("(()"):match("%b()"), ("a)"):find("%b()"))`},
	{name: "balance_errors", src: `print(pcall(string.find, "a", "%b"))
print(pcall(string.find, "a", "%ba"))
print(pcall(string.find, "ab", "%bab"))`},
	{name: "frontier", src: `print(("THE (quick) fox"):gsub("%f[%a]%a+", "W"))
print(("hello world"):find("%f[%w]%w+", 2))
print(("abc"):find("%f[%z]"), ("abc"):find("%f[%Z]"), ("a.b"):gsub("%f[%W]", "|"))`},
	{name: "frontier_sets", src: `print(("THE quick BROWN"):gsub("%f[%u][%u]+%f[^%u]", "X"))
print(("aaa"):find("%f[a]"), ("aaa"):find("%f[^a]"), ("1x"):find("%f[^%d]"))`},
	{name: "frontier_errors", src: `print(pcall(string.find, "a", "%f"))
print(pcall(string.find, "a", "%fa"))
print(pcall(string.find, "a", "%f[a"))`},
	{name: "err_ends_with_percent", src: `print(pcall(string.find, "a", "%"))
print(pcall(string.match, "a", "a%"))
print(pcall(string.gsub, "a", "%", "x"))`},
	{name: "err_missing_bracket", src: `print(pcall(string.find, "a", "[a"))
print(pcall(string.find, "a", "[]"))
print(pcall(string.find, "a", "[^]"))
print(pcall(string.match, "a", "[%"))
print(pcall(string.match, "a", "["))`},
	{name: "err_unfinished_capture", src: `print(pcall(string.match, "a", "(a"))
print(pcall(string.find, "a", "("))
print(pcall(string.gsub, "a", "(", "%1"))
print(pcall(string.find, "b", "(a"))`},
	{name: "err_invalid_pattern_capture", src: `print(pcall(string.match, "a", "a)"))
print(pcall(string.gsub, "a", ")", ""))
print(pcall(string.find, "a", "b)"))`},
	{name: "err_with_position", src: `print(pcall(function() return ("x"):match("(") end))
print(pcall(function()
  return ("x"):gsub("%", "")
end))
print(pcall(function() for w in ("x"):gmatch("[") do end end))`},
	{name: "too_complex_boundary", src: `for _, n in ipairs{100, 198, 199, 200, 201, 300} do
  print(n, pcall(string.find, string.rep("a", n), string.rep("a?", n)))
end`},
	{name: "too_complex_star_captures", src: `local s = string.rep("a", 500)
print(pcall(string.match, s, string.rep("(a)", 30)))
print(pcall(string.find, s, string.rep(".-", 250) .. "b"))
print(pcall(string.find, "ab", string.rep("%a-", 199)))
print(pcall(string.find, "ab", string.rep("%a-", 200)))`},
	{name: "deep_max_expand", src: `local s = string.rep("a", 100000)
print(#s:match(".*"), s:find(".-$"), #s:gsub("a", ""))`},
	{name: "find_init", src: `local s = "hello hello"
print(s:find("l"), s:find("l", 5), s:find("l", -3), s:find("l", -100), s:find("l", 0))
print(s:find("l", 12), s:find("", 12), s:find("h", 7.9)) -- init past #s+1: corpus luajit/pat_init_past_end
print(s:find("o", "5"), s:find("h", -1.5))`},
	{name: "find_plain", src: `print(("a.b"):find(".", 1, true), ("a+b"):find("+", 1, true), ("a%b"):find("%", 1, 1))
print(("a.b"):find(".", 1, false), ("a.b"):find(".", 1, nil), ("(x"):find("(", 1, true))
print(("abc"):find("", 2, true), ("abc"):find("c", -1, true), ("abc"):find("abcd", 1, true))`},
	{name: "find_specials_check", src: `print(("a]b"):find("]"), ("a)b"):find(")"), ("a}b"):find("}"), ("a{b"):find("{"))
print(pcall(string.find, "a)b", ")x*"))
print(("a\0b"):find("\0"), ("a\0b"):find("\0", 1, true))`},
	{name: "find_returns_captures", src: `print(("key=val"):find("(%w+)=(%w+)"))
print(("abc"):find("b()"), ("abc"):find("x(y)"))`},
	{name: "match_init", src: `print(("hello"):match("l+", 4), ("hello"):match("^l", 3), ("hello"):match("^l", -2))
print(("hello"):match(".", -1), ("hello"):match(".", 6), ("hello"):match(".", 99))`},
	{name: "match_whole_and_captures", src: `print(("abc"):match("b"), ("abc"):match("(b)"), ("abc"):match("x"))
print(string.match(12345, "3(4)"), string.find(12345, 34))`},
	{name: "gmatch_words", src: `for w in ("one two  three"):gmatch("%a+") do print(w) end`},
	{name: "gmatch_pairs", src: `for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do print(k, v) end`},
	{name: "gmatch_empty_matches", src: `local t = {}
for m in ("abc"):gmatch("x*") do t[#t + 1] = "[" .. m .. "]" end
print(#t, table.concat(t))
for a, b in ("ab"):gmatch("()(.?)") do print(a, b) end`},
	{name: "gmatch_anchor_literal", src: `for k in ("^a^a"):gmatch("^a") do print(k) end
for k in ("aaa"):gmatch("^a") do print(k) end
print("done")`},
	{name: "gmatch_position_captures", src: `for p in ("a,b,c"):gmatch("(),") do print(p, type(p)) end`},
	{name: "gmatch_exhausted", src: `local it = ("a b"):gmatch("%a")
print(it(), it(), it(), it())`},
	{name: "gmatch_errors", src: `print(pcall(string.gmatch, "a"))
print(pcall(string.gmatch))
local it = string.gmatch("a", "(")
print(pcall(it))
print(pcall(string.gmatch("a", "%f"), nil))`},
	{name: "gmatch_lines", src: `for line in ("l1\nl2\n\nl4"):gmatch("([^\n]*)\n?") do print("[" .. line .. "]") end`},
	{name: "gsub_string_repl", src: `print(("hello world"):gsub("o", "0"))
print(("hello world"):gsub("(o)", "[%1]"))
print(("hello world"):gsub("%w+", "<%0>"))
print(("abc"):gsub("", "-"))`},
	{name: "gsub_percent_escapes", src: `print(("abc"):gsub("b", "%%"), ("abc"):gsub("b", "100%%"))
print(("a b"):gsub("(%a) (%a)", "%2 %1"), ("ab"):gsub("(a)(b)", "%2%2%1%0"))`},
	{name: "gsub_repl_errors", src: `print(pcall(string.gsub, "abc", "%w", "%2"))
print(pcall(string.gsub, "abc", "(%w)", "%2"))
print(pcall(string.gsub, "abc", "%w", "%"))
print(pcall(string.gsub, "abc", "%w", "%x"))
print(pcall(string.gsub, "abc", "%w", "%a"))
print(pcall(string.gsub, "", "x", "%"))`},
	{name: "gsub_repl_position_capture", src: `print(("abc"):gsub("()b", "%1"), ("abc"):gsub("()", "%1"))`},
	{name: "gsub_number_repl", src: `print(("abc"):gsub("b", 5), ("abc"):gsub("b", 1.5), ("abc"):gsub("%w", 0, 2))`},
	{name: "gsub_table_repl", src: `local t = {a = "1", b = true, c = false, d = 4}
print(("abcde"):gsub("%w", t))
print(("k1 k2 k3"):gsub("(k)(%d)", {k = "K"}))
print(("$x $y"):gsub("%$(%w+)", {x = "X"}))`},
	{name: "gsub_table_index_meta", src: `local t = setmetatable({}, {__index = function(_, k) return k:upper() end})
print(("abc"):gsub("%w", t))`},
	{name: "gsub_function_repl", src: `print(("hello world"):gsub("%w+", function(w) return w:upper() end))
print(("abc"):gsub("%w", function(c) if c == "b" then return nil end return c .. c end))
print(("abc"):gsub("%w", function() return false end))
print(("abc"):gsub("(%w)()", function(c, p) return c .. p end))
print(("x=1 y=2"):gsub("(%w)=(%w)", function(k, v) return v .. "=" .. k end))`},
	{name: "gsub_function_numbers", src: `print(("a b"):gsub("%w", function() return 42 end))
print(("a b"):gsub("%w", function() return 2.5 end))
print(("ab"):gsub("", function() end))`},
	{name: "gsub_invalid_replacement", src: `print(pcall(string.gsub, "abc", "%w", {a = {}}))
print(pcall(string.gsub, "abc", "%w", function() return {} end))
print(pcall(string.gsub, "abc", "%w", function() return true end))
print(pcall(function() return ("abc"):gsub("%w", function() return print end) end))`},
	{name: "gsub_max_n", src: `print(("abc"):gsub("%w", "x", 2), ("abc"):gsub("%w", "x", 0))
print(("abc"):gsub("%w", "x", -1), ("abc"):gsub("%w", "x", 1.9), ("abc"):gsub("%w", "x", "2"))
print(("abc"):gsub("", "x", 2), ("abc"):gsub("%w", "x", 100))`},
	{name: "gsub_anchored", src: `print(("aaa"):gsub("^a", "b"), ("aaa"):gsub("^a*", "b"), ("baa"):gsub("^a", "b"))
print(("abc"):gsub("^", ">"), ("abc"):gsub("$", "<"), ("abc"):gsub("^$", "x"))`},
	{name: "gsub_empty_pattern_and_subject", src: `print((""):gsub("", "x"), (""):gsub("a", "x"), (""):gsub(".-", "x"))
print(("ab"):gsub(".-", "-"), ("ab"):gsub("x*", "-"))`},
	{name: "gsub_callback_errors", src: `print(pcall(string.gsub, "abc", "%w", function(c) error("boom " .. c) end))
print(pcall(string.gsub, "abc", "%w", function(c) return c:gsub("%", "") end))
print(pcall(function() return ("abc"):gsub("b", function() error("deep", 2) end) end))`},
	{name: "gsub_nested", src: `print(("a-b c-d"):gsub("%S+", function(w) return (w:gsub("-", "+")) end))
print(("(a(b))"):gsub("%b()", function(s) return s:sub(2, -2):upper() end))`},
	{name: "gsub_trim", src: `print(("  \t hi there \n "):gsub("^%s*(.-)%s*$", "%1"))
print(("x"):gsub("^%s*(.-)%s*$", "[%1]"), ("   "):gsub("^%s*(.-)%s*$", "[%1]"))`},
	{name: "gsub_arg_errors", src: `print(pcall(string.gsub, "abc", "%w", true))
print(pcall(string.gsub, "abc", "%w"))
print(pcall(string.gsub, "abc", "%w", nil))
print(pcall(string.gsub, "abc", "b", "x", "y"))
print(pcall(string.gsub, "abc", {}, "x"))
print(pcall(string.gsub))`},
	{name: "find_match_arg_errors", src: `print(pcall(string.find, "abc", "b", "x"))
print(pcall(string.find))
print(pcall(string.find, "a"))
print(pcall(string.match, {}, "a"))
print(pcall(string.match, "a", "a", {}))`},
	{name: "arg_error_method_call", knownDiff: argNameDiff,
		src: `print(pcall(function() return ("abc"):gsub("%w", true) end))`},
	{name: "arg_error_field_call", knownDiff: argNameDiff,
		src: `print(pcall(function() return string.find("abc", "b", {}) end))`},
	{name: "number_subjects", src: `print(string.gsub(1234, "%d", "x"), string.match(3.5, "%.(%d)"), string.find(1e3, "0+"))
print(string.gsub("a1", 1, "x"), string.gsub("a1", "1", 2))`},
	{name: "method_calls", src: `local s = "The Quick Brown"
print(s:find("Quick"), s:match("%u%l+$"), s:gsub("%u", string.lower))
local n = 0
for _ in s:gmatch("%u") do n = n + 1 end
print(n, ("x"):rep(3):gsub("x", "y"))`},
	{name: "embedded_zeros", src: `print(("a\0b\0c"):gsub("%z", "0"), ("a\0b"):find("[%z]"), ("a\0b"):match("a%Zb"))
print(("a\0b"):gsub("[\0-\5]", "!"), ("\0\0"):find("\0+"), ("x\0y"):match("(.)\0(.)"))`},
	{name: "high_bytes", src: `print(("\255\128a"):gsub("%a", "A"), ("\233t\233"):gsub("%W", "?"), ("\200"):find("%c"))
print(("caf\195\169"):match("[\128-\255]+") == "\195\169", ("\128"):find("[^%z]"))`},
	{name: "whitespace_classes", src: `print(("a\tb\nc\vd\fe\rf g"):gsub("%s", "_"))
print(("\1\31\127 "):gsub("%c", "C"))`},
	{name: "hex_and_punct", src: `print(("0x1F aG zz"):gsub("%x+", "H"))
print(("a!b@c#{d}~"):gsub("%p", ""))`},
	{name: "url_decode", src: `local s = "a%20b%2Bc+d"
print((s:gsub("+", " "):gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end)))`},
	{name: "url_encode", src: `print((("a b&c=d/é"):gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end)))`},
	{name: "split_csv", src: `local out = {}
for field in ("a,,b,c d,"):gmatch("([^,]*)") do out[#out + 1] = "<" .. field .. ">" end
print(table.concat(out, " "))`},
	{name: "ngx_header_parse", src: `local h = "Content-Type: text/html; charset=utf-8"
print(h:match("^([%w-]+):%s*(.-)$"))
print(h:match("charset=([%w-]+)"), h:lower():find("content%-type", 1))`},
	{name: "ip_and_path", src: `print(("192.168.1.10"):match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$"))
print(("/api/v1/users/42"):match("^/api/v(%d+)/(%w+)/(%d+)$"))
print(("/a/b/../c"):gsub("/[^/]+/%.%.", ""))`},
	{name: "template_expand", src: `local vars = {name = "world", n = 3}
print((("hello ${name}, ${n} times ${missing}"):gsub("%${(%w+)}", function(k) return vars[k] and tostring(vars[k]) end)))`},
	{name: "optional_and_greedy_mix", src: `print(("aaab"):match("a-a?b"), ("ab"):match("a?a?b"), ("b"):match("a?a?b"))
print(("xyz"):match("x?y?z?w?"), ("abc"):match("[ab]*c"), ("abcabd"):match(".*b(.)"))`},
	{name: "set_with_escaped_specials", src: `print(("a+b*c"):gsub("[%+%*]", " "), ("[x]"):gsub("[%[%]]", ""))
print(("a^b"):gsub("[%^]", "!"), ("a.b"):gsub("[.]", "!"), ("a$b"):gsub("[$]", "!"))`},
	{name: "repeated_quantifier_chars", src: `print(("a**"):match("a**"), ("a++"):find("a++"), ("a-"):find("a--"))
print(("?"):find("??"), ("*"):find("*"), ("+"):find("+"), ("-"):find("-"))`},
	{name: "dollar_not_at_end", src: `print(("a$"):find("$"), ("$"):find("$", 1, true), ("x$y"):match("x$y"), ("x"):find("x$$"))`},
	{name: "long_subject_lazy_fail", src: `local s = string.rep("a", 2000)
print(s:match(".-b"), s:find("a-b"), #s:gsub("a-", "b"))`},
	{name: "capture_order_gsub_table", src: `print(("ab"):gsub("(a)(b)", {a = "X"}), ("ab"):gsub("()(b)", {[2] = "two"}))`},
	{name: "frontier_at_edges", src: `print(("word"):find("%f[%w]"), ("word"):find("%f[%W]"), (""):find("%f[%z]"))
print(("a b"):gsub("%f[%w]", "^"), ("a b"):gsub("%f[%W]", "$"))`},
	{name: "match_char_class_errors_in_set", src: `print(pcall(string.find, "a", "[%a"))
print(pcall(string.find, "a", "[a-"))
print(pcall(string.find, "a", "[%]"))`},
	{name: "lazy_errors", src: `print(pcall(string.gsub, "abc", "x%", ""))
print(pcall(string.gsub, "abxc", "x%", ""))
print(pcall(string.gsub, "abc", "[", "", 0))
print(pcall(string.match, "", "a("), pcall(string.match, "a", "a("))
print(pcall(string.find, "abc", "b%f"), pcall(string.find, "abc", "x%b"))`},
	{name: "leading_captures", src: `print(("axxb"):gsub("(((x)))", "%3%2"), ("axb"):find("()(x)()"))
print(pcall(string.find, "ab", string.rep("(", 31) .. "b" .. string.rep(")", 31)))
print(pcall(string.find, "ab", string.rep("(", 32) .. "b" .. string.rep(")", 32)))
print(pcall(string.find, "ab", string.rep("(", 33) .. "b"))`},
	{name: "first_class_kinds", src: `print(("a.b.c"):gsub("%.", "/"), ("a1b22"):gsub("%d", "#"), ("a]b"):gsub("[]]", "!"))
print(("aaa"):gsub("a", "b", 2), ("xyz"):find("[^x]"), ("xyz"):find("$", 2), ("a$"):gsub("$a", ""))`},
	{name: "string_library_identity", src: `print(string.find == ("").find, string.gsub == ("").gsub)
print(type(string.gmatch), type(string.match))`},
}...)
