package nginxconf

import (
	"errors"
	"fmt"
)

// Part is a piece of an argument that nginx compiles into a template: either
// literal text or a variable reference.
type Part struct {
	// Literal is the text of a literal part.
	Literal string
	// Var is the name of the variable a part refers to, without "$" or
	// braces: "host" for $host and ${host}, "1" for the regex capture $1.
	// It is empty for a literal part.
	Var string
}

// ErrInvalidVariableName is returned by SplitVars for a "$" not followed by a
// variable name, nginx's "invalid variable name".
var ErrInvalidVariableName = errors.New("invalid variable name")

// SplitVars splits an argument into literal text and variable references the
// way nginx's script compiler does: "$" followed by a digit 1-9 is a regex
// capture; otherwise "$name" takes the longest run of letters, digits and
// "_", and "${name}" ends at "}". There is no escape for "$". An argument
// without "$" gives one literal part (none when it is empty).
func SplitVars(arg string) ([]Part, error) {
	var parts []Part
	for i := 0; i < len(arg); {
		if arg[i] != '$' {
			j := i
			for j < len(arg) && arg[j] != '$' {
				j++
			}
			parts = append(parts, Part{Literal: arg[i:j]})
			i = j
			continue
		}
		name, n, err := varAt(arg[i+1:])
		if err != nil {
			return nil, err
		}
		parts = append(parts, Part{Var: name})
		i += 1 + n
	}
	return parts, nil
}

// varAt reads the variable name at the start of s (just after "$") and
// returns it with the number of bytes it took.
func varAt(s string) (string, int, error) {
	if s == "" {
		return "", 0, ErrInvalidVariableName
	}
	if s[0] >= '1' && s[0] <= '9' {
		return s[:1], 1, nil
	}
	bracket := s[0] == '{'
	start := 0
	if bracket {
		start = 1
		if len(s) == 1 {
			return "", 0, ErrInvalidVariableName
		}
	}
	i := start
	for i < len(s) && isVarChar(s[i]) {
		i++
	}
	name := s[start:i]
	if bracket {
		if i == len(s) || s[i] != '}' {
			return "", 0, fmt.Errorf("the closing bracket in \"%s\" variable is missing", name)
		}
		i++
	}
	if name == "" {
		return "", 0, ErrInvalidVariableName
	}
	return name, i, nil
}

func isVarChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
