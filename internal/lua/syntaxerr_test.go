package lua

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSyntaxErrorToClose(t *testing.T) {
	// lua5.2: "x:3: ')' expected (to close '(' at line 1) near <eof>"
	_, err := Compile("x", "local x = f(\n1\n")
	assert.EqualError(t, err, "x:3: ')' expected (to close '(' at line 1) near <eof>")
}
