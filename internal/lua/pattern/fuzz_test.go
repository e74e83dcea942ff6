package pattern

import (
	"strings"
	"testing"
)

// FuzzMatch checks that no pattern and subject make the matcher panic or
// return a match outside the subject, and that Find and MatchAt agree.
func FuzzMatch(f *testing.F) {
	seeds := [][2]string{
		{"hello world", "(%w+) (%w+)"}, {"key=val", "^(%w+)=(%w*)$"}, {"f(a(b))", "%b()"},
		{"THE (quick) fox", "%f[%a]%a+"}, {"abab", "(ab)%1"}, {"a.b", "[%.%]]"},
		{"x", "%"}, {"x", "[a"}, {"x", "%f"}, {"x", "%bx"}, {"x", "(x"}, {"x", "x)"},
		{"aaa", "a-a?a*a+"}, {"a\x00b", "%z[\x00-\x05]"}, {"\xff\x80", "[\x80-\xff]+"},
		{"abc", "()()"}, {"abc", "%0"}, {"a$", "a$$"}, {"^a", "^^a"}, {"", ""},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, subject, pattern string) {
		// Backtracking is exponential in the number of quantifiers, as in
		// lua5.2; keep inputs where that stays fast.
		if len(subject) > 64 || len(pattern) > 48 || strings.Count(pattern, "*")+
			strings.Count(pattern, "+")+strings.Count(pattern, "-")+strings.Count(pattern, "?") > 4 {
			t.Skip()
		}
		var m Matcher
		m.Reset(subject, pattern)
		start, end, err := m.Find(0)
		if err != nil || start < 0 {
			return
		}
		if start > end || end > len(subject) {
			t.Fatalf("match [%d:%d] outside subject of %d bytes", start, end, len(subject))
		}
		checkCaptures(t, &m, len(subject))
		if pattern == "" || pattern[0] != '^' {
			if e, err := m.MatchAt(start); err != nil || e != end {
				t.Fatalf("MatchAt(%d) = %d, %v; Find gave end %d", start, e, err, end)
			}
		}
		_, _, _ = Gsub(subject, pattern, "<%0>", -1)
	})
}

func checkCaptures(t *testing.T, m *Matcher, n int) {
	for i := range m.NumCaptures() {
		c, err := m.Capture(i)
		if err == nil && (c.Start < 0 || c.Start > c.End || c.End > n) {
			t.Fatalf("capture %d [%d:%d] outside subject of %d bytes", i, c.Start, c.End, n)
		}
	}
}
