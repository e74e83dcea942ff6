package luare

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPatternsAgainstOracle compares ngx.re.match on real nginx and here for syntax corners.
// Known differences, left out: \C in UTF-8 mode (one byte there, one character here), the
// newline conventions (*CR) and friends, backtracking verbs such as (*COMMIT), and recursion.
func TestPatternsAgainstOracle(t *testing.T) {
	cases := [][3]string{
		{`(a)\g{1}\g1\g-1\g{-1}`, "aaaaa", ""}, {`(?<n>a)\k{n}\k'n'(?P=n)`, "aaaa", ""},
		{`(?<n>a)?(?(<n>)b|c)(?('n')d|e)(?(n)f|g)`, "abdf", ""}, {`\o{101}\101\x{41}`, "AAA", ""},
		{`\cA\c[\c?`, "\x01\x1b\x7f", ""}, {`\x{10FFFF}`, "x", "u"}, {`\x{110000}`, "x", "u"},
		{`\x{d800}`, "x", "u"}, {`\N+`, "ab\ncd", ""}, {`\X`, "é", "u"}, {`\p{^L}+`, "ab12", "u"}, {`\p{L&}+`, "aBǅ1", "u"}, {`[\p{Lu}a]+`, "AaBb", "iu"},
		{`(?x) a [ ] b # c`, "a b", ""}, {`(?x)[a b]+`, "a b", ""}, {`a(?x: b c )d`, "abcd", ""},
		{`(?-x: a )`, " a ", "x"}, {`\Q(a\E+`, "(aa", ""}, {`[\Qa-z\E]+`, "a-z", ""},
		{`[a\Q]\E]+`, "a]", ""}, {`\h+\H\v+\V`, " \txy\n\nz", ""}, {`\R`, "\r\n", ""},
		{`(?i)[^a]`, "A", ""}, {`(?i)\x{e9}`, "É", "u"}, {`[[:word:]]+`, "a_1-", ""},
		{`[[:^space:]]+`, "ab c", ""}, {`[[.a.]]`, "a", ""}, {`[[=a=]]`, "a", ""}, {`(?i)ǅ`, "ǆ", "u"},
		{`(?s)a.c`, "a\nc", ""}, {`(?m)^b`, "a\nb", ""}, {`(?J)(?<a>x)(?<a>y)`, "xy", ""},
		{`(?U)a+`, "aaa", ""}, {`(?U)a+?`, "aaa", ""}, {`(?X)a`, "a", ""}, {`a{0}b`, "ab", ""},
		{`(a){0}b\1`, "b", ""}, {`a{3,2}`, "a", ""}, {`a{65536}`, "a", ""}, {`(?<=a{2})b`, "aab", ""},
		{`(?<=\x{41}|bc)d`, "Ad", ""}, {`(?<=\Qab\E)c`, "abc", ""}, {`(?<=[ab]\d)c`, "a1c", ""},
		{`(?<=\R)a`, "\na", ""}, {`(?<=(?i)a)b`, "Ab", ""}, {`(?<=a(?=b))b`, "ab", ""},
		{`(?!)`, "a", ""}, {`()`, "a", ""}, {`(|a)+`, "aa", ""}, {`(a|)+b`, "aab", ""},
		{`^$`, "", ""}, {`$`, "a\n", ""}, {`\Z`, "a\n\n", ""}, {`\z`, "a\n", ""}, {`\G`, "a", ""},
		{`[\w-]+`, "a-b", ""}, {`[-\w]+`, "a-b", ""}, {`[\w-.]`, "-", ""}, {`[a-\w]`, "-", ""},
		{`[\d-z]+`, "1-z", ""}, {`[%--]+`, "%+-", ""}, {`[\x00-\x{ff}]+`, "ab", ""},
		{`(?i)[k]`, "\u212a", "u"}, {`(?i)\x{212a}`, "k", "u"}, {`(?i)ß`, "ẞ", "u"},
		{`\300`, "\xc0", ""}, {`\0`, "\x00", ""}, {`\08`, "\x008", ""}, {`[\0-\7]`, "\x05", ""},
		{`\E\Qa`, "a", ""}, {`a\E*`, "aa", ""}, {`(?#x)*a`, "a", ""}, {`a(?#x)*`, "aa", ""},
		{`(*UTF8)é`, "é", ""}, {`(*UCP)\w`, "é", "u"}, {`(?C)a`, "a", ""}, {`(a)(?1)`, "aa", ""}, {`(?P>n)(?<n>a)`, "aa", ""},
		{`\g<1>(a)`, "aa", ""}, {`(?(DEFINE)(?<d>a))b`, "b", ""}, {`(?(R)a|b)`, "b", ""}, {`(?<x>a)(?&x)(?1)`, "aaa", ""},
		{`(?(DEFINE)(?<n>\d+))(?&n)-(?&n)`, "12-34", ""}, {`(?(DEFINE)a|b)`, "", ""}, {`(?-1)(a)`, "aa", ""},
		{`(?(?<=a)b|c)`, "ab", ""}, {`(?(?!a)b|c)`, "b", ""}, {`(?(2)a|b)(x)`, "bx", ""},
		{`(?(0)a)`, "a", ""}, {`(?(+1)a|b)(c)`, "bc", ""}, {`(?(-1)a|b)`, "b", ""},
		{`(?P<n>a)(?P<n>b)`, "ab", ""}, {`(?'n'a)(?'n'b)`, "ab", "D"}, {`(?<n>a)(?<N>b)`, "ab", ""},
		{`(?<abcdefghijabcdefghijabcdefghijabc>a)`, "a", ""}, {`(?<a->a)`, "a", ""},
		{`\k<1>`, "a", ""}, {`(a)\k<1>`, "aa", ""}, {`\g{}`, "a", ""}, {`\g{+1}(a)`, "aa", ""},
		{`\9`, "9", ""}, {`(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\10`, "abcdefghijj", ""}, {`\11`, "\x09", ""},
		{`\81`, "81", ""}, {`[\8]`, "8", ""}, {`\c`, "", ""}, {`\cé`, "", "u"},
		{`\p`, "", ""}, {`\p{`, "", ""}, {`\pL`, "a", ""}, {`\p{Greek}`, "α", "u"}, {`\p{Xan}+`, "a1_", "u"},
		{`\p{Xwd}+`, "a1_", "u"}, {`\p{Xsp}+`, " \t", "u"}, {`\p{Han}`, "中", "u"}, {`\p{Any}`, "x", ""},
		{`\u0041`, "A", "J"}, {`\U`, "U", "J"}, {`[]`, "", "J"}, {`[^]`, "x", "J"}, {`a]`, "a]", ""},
		{`(?i)A(?^)a`, "Aa", ""}, {`x*+x`, "xx", ""}, {`(?:x|y)++z`, "xyz", ""}, {`a{1,}+a`, "aa", ""},
		{`é{2}`, "éé", ""}, {`é{2}`, "éé", "u"}, {`[é]`, "é", ""}, {`[^é]`, "é", ""}, {`[^é]`, "é", "u"},
		{`.{2}`, "é", ""}, {`(?i)[é]`, "É", ""}, {`\w+`, "añb", "u"}, {`\bñ\b`, " ñ ", "u"},
	}
	var b strings.Builder
	b.WriteString("local cases = {\n")
	for _, c := range cases {
		fmt.Fprintf(&b, "{%q, %q, %q},\n", c[0], c[1], c[2])
	}
	b.WriteString(`}
for i, c in ipairs(cases) do
  local ok, m, err = pcall(ngx.re.match, c[2], c[1], c[3])
  local parts = {}
  if type(m) == "table" then
    for k = 0, 12 do if m[k] == nil then break end parts[#parts + 1] = tostring(m[k]) end
  end
  local line = i .. " " .. tostring(ok) .. " [" .. table.concat(parts, "|") .. "] " .. tostring(type(m) == "table" or m) .. " " .. tostring(err)
  local t = {}
  for j = 1, #line do local c = line:byte(j) t[j] = (c == 10 and "\\n") or (c == 13 and "\\r") or string.char(c) end
  emit(table.concat(t))
end
`)
	got := runNginx(t, []string{"local emit = ngx.say " + b.String()})[0]
	mine := runLua("local emit = emit " + b.String())
	g, m := strings.Split(got, "\n"), strings.Split(mine, "\n")
	for i := range g {
		if i < len(m) && g[i] != m[i] {
			assert.Equal(t, g[i], m[i], "%q", cases[i])
		}
	}
}
