package resty_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeShowsExamples keeps README.md's code blocks identical to the examples between
// "// readme:begin NAME" and "// readme:end NAME" in example_test.go, which go test compiles
// and runs, so the README cannot rot.
func TestReadmeShowsExamples(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	src, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	blocks := regexp.MustCompile(`(?s)// readme:begin (\w+)\n(.*?)// readme:end (\w+)\n`).FindAllStringSubmatch(string(src), -1)
	require.Len(t, blocks, 2, "example_test.go marks the Go and the Lua example")
	for _, b := range blocks {
		require.Equal(t, b[1], b[3], "readme markers pair up")
		assert.Contains(t, string(readme), "```go\n"+strings.TrimSpace(b[2])+"\n```",
			"README.md must show the %q example of resty/example_test.go verbatim; copy it over", b[1])
	}
	assert.True(t, strings.Contains(string(readme), "go run ./examples/hello") &&
		strings.Contains(string(readme), "go test ./..."), "README starts with the two commands")
}
