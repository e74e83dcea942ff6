package pattern

import (
	"testing"

	glua "github.com/Shopify/go-lua"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGsubMaxBytes(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"result at the cap", `print(("aaaaa"):gsub("a", "bb"))`, "bbbbbbbbbb\t5\n"},
		{"replacement past the cap", `print(pcall(function() return ("aaaaa"):gsub("a", "bbb") end))`,
			"false\tinput:1: resulting string too large\n"},
		{"tail past the cap", `print(pcall(string.gsub, ("a"):rep(11), "x", "y"))`,
			"false\tresulting string too large\n"},
		{"function result past the cap", `print(pcall(string.gsub, "a", "a", function() return ("z"):rep(11) end))`,
			"false\tresulting string too large\n"},
		{"table result past the cap", `print(pcall(string.gsub, "ab", "%w", {a = ("z"):rep(10)}))`,
			"false\tresulting string too large\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, runGo(t, Options{MaxBytes: 10}, tt.src))
		})
	}
}

func TestOpenOnStateWithoutStringLibrary(t *testing.T) {
	l := glua.NewState()
	Open(l)
	require.NoError(t, glua.DoString(l, `return ("key=val"):match("(%w+)=(%w+)")`))
	require.Equal(t, 2, l.Top())
	k, _ := l.ToString(1)
	v, _ := l.ToString(2)
	assert.Equal(t, []string{"key", "val"}, []string{k, v})
}

func TestOpenKeepsTheRestOfTheStringLibrary(t *testing.T) {
	assert.Equal(t, "ababab\t3\tA\n",
		runGo(t, Options{}, `print(("ab"):rep(3), #string.format("%d", 123), string.upper("a"))`))
}

func TestGmatchIteratorsAreIndependent(t *testing.T) {
	src := `local a, b = ("1 2 3"):gmatch("%d"), ("x y"):gmatch("%a")
print(a(), b(), a(), b(), a(), b())`
	assert.Equal(t, "1\tx\t2\ty\t3\n", runGo(t, Options{}, src))
}
