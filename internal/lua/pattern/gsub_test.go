package pattern

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGsub(t *testing.T) {
	tests := []struct {
		name, s, pattern, repl string
		n                      int
		want                   string
		count                  int
	}{
		{"all", "hello world", "o", "0", -1, "hell0 w0rld", 2},
		{"limited", "aaa", "a", "b", 2, "bba", 2},
		{"none", "aaa", "a", "b", 0, "aaa", 0},
		{"whole match", "ab", "%w", "<%0>", -1, "<a><b>", 2},
		{"captures swapped", "k=v", "(%w)=(%w)", "%2=%1", -1, "v=k", 1},
		{"percent", "a", "a", "%%", -1, "%", 1},
		{"position capture", "abc", "()b", "%1", -1, "a2c", 1},
		{"empty pattern", "ab", "", "-", -1, "-a-b-", 3},
		{"anchored", "aaa", "^a", "b", -1, "baa", 1},
		{"no capture means whole", "ab", "a", "[%1]", -1, "[a]b", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, count, err := Gsub(tt.s, tt.pattern, tt.repl, tt.n)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.count, count)
		})
	}
}

func TestGsubErrors(t *testing.T) {
	tests := []struct{ name, pattern, repl, msg string }{
		{"bad pattern", "[", "x", "malformed pattern (missing ']')"},
		{"bad escape", "a", "%x", "invalid use of '%' in replacement string"},
		{"trailing percent", "a", "x%", "invalid use of '%' in replacement string"},
		{"missing capture", "(a)", "%2", "invalid capture index"},
		{"unfinished capture", "(a", "%1", "unfinished capture"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Gsub("abc", tt.pattern, tt.repl, -1)
			require.EqualError(t, err, tt.msg)
		})
	}
}
