package corpus

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// lineDiff renders the difference between want and got line by line ("-" want, "+" got,
// " " common), quoting each line so that tabs, trailing spaces and bytes are visible.
// It returns "" when they are equal.
func lineDiff(want, got string) string {
	if want == got {
		return ""
	}
	a, b := splitLines(want), splitLines(got)
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var sb strings.Builder
	line := func(mark string, s string, n int) {
		fmt.Fprintf(&sb, "%s%4d %s\n", mark, n, strconv.Quote(s))
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			line(" ", a[i], i+1)
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			line("-", a[i], i+1)
			i++
		default:
			line("+", b[j], j+1)
			j++
		}
	}
	return sb.String()
}

// splitLines splits s after each newline; a final newline does not start an empty line.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func TestLineDiff(t *testing.T) {
	tests := []struct {
		name, want, got, diff string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"changed line", "a\nb\n", "a\nc\n", `    1 "a\n"` + "\n" + `-   2 "b\n"` + "\n" + `+   2 "c\n"` + "\n"},
		{"missing newline", "a\n", "a", `-   1 "a\n"` + "\n" + `+   1 "a"` + "\n"},
		{"extra line", "a\n", "a\nz\n", `    1 "a\n"` + "\n" + `+   2 "z\n"` + "\n"},
		{"tab vs space", "x\ty\n", "x y\n", `-   1 "x\ty\n"` + "\n" + `+   1 "x y\n"` + "\n"},
		{"empty got", "a\n", "", `-   1 "a\n"` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.diff, lineDiff(tt.want, tt.got))
		})
	}
}
