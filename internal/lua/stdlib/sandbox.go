package stdlib

import (
	glua "github.com/Shopify/go-lua"
)

// disabled returns a function that raises a clear error naming name: the function would act on the
// whole server process (exit it, run commands, touch files or standard streams).
func disabled(name string) glua.Function {
	return func(l *glua.State) int {
		errorf(l, "%s is disabled in goresty: it would act on the whole server process", name)
		return 0
	}
}

// openIO makes every io function except io.type, and the standard streams, raise an error: writing
// would touch the server's files and streams, and go-lua's reading is unimplemented (f:read returns
// nothing), so no io function would work as a script expects.
func openIO(l *glua.State) {
	pushLib(l, "io")
	for _, name := range []string{"close", "flush", "input", "lines", "open", "output", "popen", "read",
		"tmpfile", "write"} {
		pushFunction(l, disabled("io."+name))
		l.SetField(-2, name)
	}
	for _, name := range []string{"stdin", "stdout", "stderr"} {
		pushDisabledObject(l, "io."+name)
		l.SetField(-2, name)
	}
	l.Pop(1)
}

// pushDisabledObject pushes a table whose every field is a function raising name's error, so that
// io.stderr:write(...) says what is wrong instead of "attempt to index a nil value".
func pushDisabledObject(l *glua.State, name string) {
	l.NewTable()
	l.NewTable()
	l.PushGoFunction(protect(func(l *glua.State) int {
		key, _ := l.ToString(2)
		pushFunction(l, disabled(name+":"+key))
		return 1
	}))
	l.SetField(-2, "__index")
	l.SetMetaTable(-2)
}
