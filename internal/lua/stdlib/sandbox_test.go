package stdlib

import (
	"testing"
)

func TestDisabledFunctions(t *testing.T) {
	var cases []luaCase
	for _, name := range []string{"os.exit", "os.execute", "os.remove", "os.rename", "os.tmpname", "os.setlocale",
		"io.close", "io.flush", "io.input", "io.lines", "io.open", "io.output", "io.popen", "io.read", "io.tmpfile",
		"io.write"} {
		cases = append(cases, luaCase{name, name + `("x")`, "", name + " is disabled in goresty"})
	}
	cases = append(cases,
		luaCase{"io.stderr methods", `io.stderr:write("x")`, "", "io.stderr:write is disabled in goresty"},
		luaCase{"io.stdout methods", `io.stdout:flush()`, "", "io.stdout:flush is disabled in goresty"},
		luaCase{"io.type kept", `print(io.type(42))`, "nil", ""},
		luaCase{"pcall catches it", `print(pcall(os.exit, 1))`, "", ""},
	)
	cases[len(cases)-1].want = "false\tos.exit is disabled in goresty: it would act on the whole server process"
	runCases(t, Options{}, cases)
}
