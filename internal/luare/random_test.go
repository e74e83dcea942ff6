package luare

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// randomPattern builds a PCRE pattern from pieces whose meaning PCRE and .NET may disagree on.
func randomPattern(r *rand.Rand, depth int) string {
	atoms := []string{"a", "b", "c", "é", `\d`, `\w`, `\s`, `\W`, ".", "[a-c]", "[^b]", `[\d\s]`,
		"[[:alpha:]]", `\b`, `\B`, "^", "$", `\n`, `\xff`, `\h`, `\R`, " ", "A", "[é-ÿ]", `\1`,
		`\2`, "(?<n>a|b)", `\k<n>`, "[^[:^digit:]a]", `\Qa.\E`, `[\x{41}-\x{5a}]`, `\x41`, `\S`,
		"(?|(a)|(b))", "(?(1)a|b)", `\K`, "[]a]", `[\]\-]`, `\p{Lu}`, `\P{L}`, "(?s:.)", "(?-i:a)",
		"(?m)", "(?x)", `\v`, `\H`, "[^\n]", `\A`, `\z`, `\Z`, `\G`, "(?>a+)", "(?U)"}
	var b strings.Builder
	n := 1 + r.IntN(4)
	for range n {
		switch k := r.IntN(10); {
		case k < 6 || depth > 2:
			b.WriteString(atoms[r.IntN(len(atoms))])
		case k == 6:
			b.WriteString("(" + randomPattern(r, depth+1) + ")")
		case k == 7:
			b.WriteString("(?:" + randomPattern(r, depth+1) + "|" + randomPattern(r, depth+1) + ")")
		case k == 8:
			b.WriteString([]string{"(?=", "(?!", "(?<=", "(?<!"}[r.IntN(4)] + atoms[r.IntN(4)] + ")")
		default:
			b.WriteString("(?i)")
		}
		if r.IntN(3) == 0 {
			b.WriteString([]string{"*", "+", "?", "{1,2}", "*?", "++", "{2}", "?+"}[r.IntN(8)])
		}
	}
	return b.String()
}

// randomSeed picks the generated cases; LUARE_SEED explores others.
func randomSeed() uint64 {
	if v, err := strconv.ParseUint(os.Getenv("LUARE_SEED"), 10, 64); err == nil {
		return v
	}
	return 1
}

func randomCases(n int) (pats, subjects, opts []string) {
	r := rand.New(rand.NewPCG(randomSeed(), 2))
	alphabet := []string{"a", "b", "c", "A", "1", " ", "\n", "é", "\xff", "_", "B", "Z", "\r\n", "\t", "ab"}
	for range n {
		pats = append(pats, randomPattern(r, 0))
		var s strings.Builder
		for range r.IntN(8) {
			s.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		subjects = append(subjects, s.String())
		opts = append(opts, []string{"", "i", "m", "s", "u", "iu", "ms", "x", "D", "a", "J", "imsx"}[r.IntN(12)])
	}
	return pats, subjects, opts
}

// randomProgram runs gsub with a function replacement over generated cases and prints each
// result, so that a run on nginx and one here can be compared line by line.
func randomProgram(n int) string {
	pats, subjects, opts := randomCases(n)
	var b strings.Builder
	b.WriteString("local cases = {\n")
	for i := range pats {
		fmt.Fprintf(&b, "{%q, %q, %q},\n", pats[i], subjects[i], opts[i])
	}
	b.WriteString(`}
local function esc(s)
  local t = {}
  for i = 1, #s do
    local c = s:byte(i)
    t[i] = (c == 10 and "\\n") or string.char(c)
  end
  return table.concat(t)
end
for i, c in ipairs(cases) do
  local s, n, err = ngx.re.gsub(c[2], c[1], function(m)
    local parts = {}
    for k = 0, 9 do
      if m[k] == nil then break end
      parts[#parts + 1] = tostring(m[k])
    end
    return "<" .. table.concat(parts, ",") .. ">"
  end, c[3])
  emit(i .. " " .. esc(tostring(s)) .. " " .. tostring(n) .. " " .. esc(tostring(err)))
end
`)
	return b.String()
}

func TestRandomAgainstOracle(t *testing.T) {
	prog := randomProgram(4000)
	got := runNginx(t, []string{"local emit = ngx.say " + prog})[0]
	mine := runLua("local emit = emit " + prog)
	gotLines, mineLines := strings.Split(got, "\n"), strings.Split(mine, "\n")
	pats, subjects, opts := randomCases(4000)
	bad := 0
	for i := range gotLines {
		if i < len(mineLines) && gotLines[i] != mineLines[i] && bad < 30 {
			bad++
			assert.Equal(t, gotLines[i], mineLines[i], "pattern %q subject %q opts %q", pats[i], subjects[i], opts[i])
		}
	}
	assert.Equal(t, len(gotLines), len(mineLines))
}
