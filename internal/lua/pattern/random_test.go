package pattern

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var (
	randomAtoms = []string{"a", "b", "c", " ", ".", "%a", "%d", "%s", "%w", "%p", "%A", "%S",
		"[ab]", "[^a]", "[a-c]", "[%d_]", "[]]", "%%", "%.", "%(", "(", ")", "()", "%1", "%2",
		"%b()", "%bab", "%f[%w]", "%f[^a]", "$", "^", "[", "%", "%b", "%f", "[%a-]"}
	randomSuffixes = []string{"", "", "", "*", "+", "-", "?"}
	randomBytes    = "abc1 _.()%]"
)

// randomCase returns a short subject and a pattern built from atoms, some of
// them malformed, so that every branch of the matcher and its errors shows up.
func randomCase(r *rand.Rand) (subject, pattern string) {
	var s, p strings.Builder
	for range r.IntN(13) {
		s.WriteByte(randomBytes[r.IntN(len(randomBytes))])
	}
	for range 1 + r.IntN(6) {
		p.WriteString(randomAtoms[r.IntN(len(randomAtoms))])
		p.WriteString(randomSuffixes[r.IntN(len(randomSuffixes))])
	}
	return s.String(), p.String()
}

// TestRandomPatternsAgainstLua52 runs find, match, gsub and gmatch over 3000
// generated subject/pattern pairs under go-lua and lua5.2 and compares every
// printed line.
func TestRandomPatternsAgainstLua52(t *testing.T) {
	r := rand.New(rand.NewPCG(52, 1))
	var prog strings.Builder
	prog.WriteString(`local function try(i, s, p)
  print(i, "find", pcall(string.find, s, p))
  print(i, "match", pcall(string.match, s, p, math.min(2, #s + 1))) -- past #s+1 LuaJIT and 5.2 differ
  print(i, "gsub", pcall(string.gsub, s, p, "<%0>"))
  print(i, "gmatch", pcall(function()
    local out = {}
    for a, b in string.gmatch(s, p) do
      out[#out + 1] = tostring(a) .. "," .. tostring(b)
      if #out > 20 then break end
    end
    return table.concat(out, ";")
  end))
end
`)
	for i := range 3000 {
		s, p := randomCase(r)
		prog.WriteString("try(" + strconv.Itoa(i) + ", " + luaQuote(s) + ", " + luaQuote(p) + ")\n")
	}
	want := lua52(t, []string{prog.String()})[0]
	got := runGo(t, Options{}, prog.String())
	wantLines, gotLines := strings.Split(want, "\n"), strings.Split(got, "\n")
	t.Logf("%d lines, %d errors, %d nil", len(wantLines), strings.Count(want, "\tfalse\t"), strings.Count(want, "\ttrue\tnil"))
	for i := range min(len(wantLines), len(gotLines)) {
		require.Equal(t, wantLines[i], gotLines[i], "line %d differs", i+1)
	}
	require.Equal(t, len(wantLines), len(gotLines))
}
