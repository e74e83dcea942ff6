package golden

import (
	"strings"

	glua "github.com/Shopify/go-lua"
)

// RunLua runs code as the chunk "=case" on l, with a global emit(s) that writes s and a newline
// to the output, and returns the output; an error the chunk raises ends it with "ERROR: " and
// the message. l is a go-lua state with the libraries under test installed.
func RunLua(l *glua.State, code string) string {
	var out strings.Builder
	l.Register("emit", func(l *glua.State) int {
		s, _ := l.ToString(1)
		out.WriteString(s + "\n")
		return 0
	})
	err := glua.LoadBuffer(l, code, "=case", "")
	if err == nil {
		err = l.ProtectedCall(0, 0, 0)
	}
	if err != nil {
		out.WriteString("ERROR: " + err.Error() + "\n")
	}
	return out.String()
}
