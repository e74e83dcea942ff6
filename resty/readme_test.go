package resty_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeShowsExample keeps README.md's usage example identical to Example, which go test
// compiles and runs, so the README cannot rot.
func TestReadmeShowsExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	src, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(src), "// readme:begin\n")
	require.True(t, ok, "example_test.go has a readme:begin marker")
	example, _, ok := strings.Cut(rest, "// readme:end")
	require.True(t, ok, "example_test.go has a readme:end marker")
	assert.Contains(t, string(readme), "```go\n"+strings.TrimSpace(example)+"\n```",
		"README.md must show resty/example_test.go's Example verbatim; copy it over")
	assert.True(t, strings.Contains(string(readme), "go run ./examples/hello") &&
		strings.Contains(string(readme), "go test ./..."), "README starts with the two commands")
}
