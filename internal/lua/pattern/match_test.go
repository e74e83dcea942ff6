package pattern

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// values renders the values of m's last match as Lua returns them: text, or
// "@n" for a position capture at Lua position n.
func values(t *testing.T, m *Matcher) []string {
	t.Helper()
	var out []string
	for i := range m.NumCaptures() {
		c, err := m.Capture(i)
		require.NoError(t, err)
		if c.Position {
			out = append(out, "@"+strconv.Itoa(c.Start+1))
		} else {
			out = append(out, m.src[c.Start:c.End])
		}
	}
	return out
}

func TestMatcherFind(t *testing.T) {
	tests := []struct {
		name, subject, pattern string
		init, start, end       int
		values                 []string
	}{
		{"literal", "hello", "ll", 0, 2, 4, []string{"ll"}},
		{"no match", "hello", "x", 0, -1, -1, nil},
		{"init skips", "abab", "ab", 1, 2, 4, []string{"ab"}},
		{"empty pattern at end", "ab", "", 2, 2, 2, []string{""}},
		{"dot", "a\x00b", ".(.).", 0, 0, 3, []string{"\x00"}},
		{"class a", "12ab3", "%a+", 0, 2, 4, []string{"ab"}},
		{"class complement", "ab 12", "%A+", 0, 2, 5, []string{" 12"}},
		{"class c", "a\tb", "%c", 0, 1, 2, []string{"\t"}},
		{"class d", "x42y", "%d+", 0, 1, 3, []string{"42"}},
		{"class g", "  !a ", "%g+", 0, 2, 4, []string{"!a"}},
		{"class l", "ABcD", "%l", 0, 2, 3, []string{"c"}},
		{"class p", "ab,c", "%p", 0, 2, 3, []string{","}},
		{"class s", "a \r\n\v\fb", "%s+", 0, 1, 6, []string{" \r\n\v\f"}},
		{"class u", "abCd", "%u", 0, 2, 3, []string{"C"}},
		{"class w", "--a1_", "%w+", 0, 2, 4, []string{"a1"}},
		{"class x", "zzfF09g", "%x+", 0, 2, 6, []string{"fF09"}},
		{"class z", "a\x00", "%z", 0, 1, 2, []string{"\x00"}},
		{"high bytes in no class", "\xe9a", "%a", 0, 1, 2, []string{"a"}},
		{"escaped special", "a.b", "%.", 0, 1, 2, []string{"."}},
		{"set range", "xyz5", "[x-y]+", 0, 0, 2, []string{"xy"}},
		{"set complement", "aab", "[^a]", 0, 2, 3, []string{"b"}},
		{"set leading bracket", "a]", "[]]", 0, 1, 2, []string{"]"}},
		{"set escaped bracket", "a]", "[%]]", 0, 1, 2, []string{"]"}},
		{"set trailing dash", "a-", "[%a-]+", 0, 0, 2, []string{"a-"}},
		{"set with class", "a 1", "[%d%s]+", 0, 1, 3, []string{" 1"}},
		{"star greedy", "aaab", "a*", 0, 0, 3, []string{"aaa"}},
		{"plus needs one", "baa", "a+", 0, 1, 3, []string{"aa"}},
		{"minus lazy", "<a><b>", "<.->", 0, 0, 3, []string{"<a>"}},
		{"question", "ac", "ab?c", 0, 0, 2, []string{"ac"}},
		{"anchor", "aab", "^b", 0, -1, -1, nil},
		{"anchor at init", "aab", "^b", 2, 2, 3, []string{"b"}},
		{"caret in middle is literal", "a^b", "a^b", 0, 0, 3, []string{"a^b"}},
		{"dollar", "abab", "ab$", 0, 2, 4, []string{"ab"}},
		{"dollar in middle is literal", "a$b", "a$b", 0, 0, 3, []string{"a$b"}},
		{"captures", "k=v", "(%w)=(%w)", 0, 0, 3, []string{"k", "v"}},
		{"nested captures", "abc", "((a)b)", 0, 0, 2, []string{"ab", "a"}},
		{"position captures", "abc", "()b()", 0, 1, 2, []string{"@2", "@3"}},
		{"back-reference", "xabab", "(ab)%1", 0, 1, 5, []string{"ab"}},
		{"back-reference to position fails", "aa", "()a%1", 0, -1, -1, nil},
		{"balance", "x(a(b))y", "%b()", 0, 1, 7, []string{"(a(b))"}},
		{"balance unclosed", "(a(b)", "%b()", 0, 2, 5, []string{"(b)"}},
		{"frontier", "the cat", "%f[%w]%w+", 1, 4, 7, []string{"cat"}},
		{"frontier at end", "ab", "%f[%z]", 0, 2, 2, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Matcher
			m.Reset(tt.subject, tt.pattern)
			start, end, err := m.Find(tt.init)
			require.NoError(t, err)
			assert.Equal(t, []int{tt.start, tt.end}, []int{start, end})
			assert.Equal(t, tt.values, values(t, &m))
		})
	}
}

func TestMatcherErrors(t *testing.T) {
	tests := []struct{ pattern, subject, msg string }{
		{"%", "a", "malformed pattern (ends with '%')"},
		{"[a", "a", "malformed pattern (missing ']')"},
		{"[]", "a", "malformed pattern (missing ']')"},
		{"[%", "a", "malformed pattern (missing ']')"},
		{"%b", "a", "malformed pattern (missing arguments to '%b')"},
		{"%bx", "a", "malformed pattern (missing arguments to '%b')"},
		{"%f", "a", "missing '[' after '%f' in pattern"},
		{"%fa", "a", "missing '[' after '%f' in pattern"},
		{"%1", "a", "invalid capture index %1"},
		{"%0", "a", "invalid capture index %0"},
		{"(a%1)", "a", "invalid capture index %1"},
		{"a)", "a", "invalid pattern capture"},
		{"(((((((((((((((((((((((((((((((((", "a", "too many captures"},
		{strings.Repeat("a?", 200), strings.Repeat("a", 200), "pattern too complex"},
	}
	for _, tt := range tests {
		t.Run(tt.msg+" "+tt.pattern, func(t *testing.T) {
			var m Matcher
			m.Reset(tt.subject, tt.pattern)
			_, _, err := m.Find(0)
			require.Error(t, err)
			assert.Equal(t, tt.msg, err.Error())
		})
	}
}

func TestMatcherDepthLimitIsExact(t *testing.T) {
	tests := []struct {
		n       int
		tooDeep bool
	}{{198, false}, {199, false}, {200, true}}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.n), func(t *testing.T) {
			var m Matcher
			m.Reset(strings.Repeat("a", tt.n), strings.Repeat("a?", tt.n))
			_, _, err := m.Find(0)
			assert.Equal(t, tt.tooDeep, err != nil, "error: %v", err)
		})
	}
}

func TestMatcherCaptureUnfinished(t *testing.T) {
	var m Matcher
	m.Reset("ab", "(a")
	start, end, err := m.Find(0)
	require.NoError(t, err)
	require.Equal(t, []int{0, 1}, []int{start, end})
	_, err = m.Capture(0)
	require.EqualError(t, err, "unfinished capture")
}

func TestMatcherCaptureIndexOutOfRange(t *testing.T) {
	var m Matcher
	m.Reset("ab", "(a)")
	_, _, err := m.Find(0)
	require.NoError(t, err)
	_, err = m.Capture(1)
	require.EqualError(t, err, "invalid capture index")
}

func TestMatcherMatchAt(t *testing.T) {
	tests := []struct {
		name, subject, pattern string
		pos, end               int
	}{
		{"matches at pos", "xab", "ab", 1, 3},
		{"does not search on", "xab", "ab", 0, -1},
		{"caret is literal", "^a", "^a", 0, 2},
		{"empty match at end", "ab", "x*", 2, 2},
		{"pos past end", "ab", "", 3, -1},
		{"negative pos", "ab", "", -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Matcher
			m.Reset(tt.subject, tt.pattern)
			end, err := m.MatchAt(tt.pos)
			require.NoError(t, err)
			assert.Equal(t, tt.end, end)
		})
	}
}

func TestMatcherFindDoesNotAllocate(t *testing.T) {
	var m Matcher
	subject := strings.Repeat("word ", 50) + "key=value"
	allocs := testing.AllocsPerRun(100, func() {
		m.Reset(subject, "(%w+)=(%w+)")
		if _, _, err := m.Find(0); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}
