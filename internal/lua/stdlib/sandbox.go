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

// openIO keeps io.open (read-only modes), io.lines(filename) and io.type, and makes every other io
// function, and the standard streams, raise an error.
func openIO(l *glua.State) {
	pushLib(l, "io")
	l.Field(-1, "open")
	l.PushGoClosure(protect(ioOpenReadOnly), 1)
	l.SetField(-2, "open")
	l.Field(-1, "lines")
	l.PushGoClosure(protect(ioLinesOfFile), 1)
	l.SetField(-2, "lines")
	for _, name := range []string{"close", "flush", "input", "output", "popen", "read", "tmpfile", "write"} {
		l.PushGoFunction(protect(disabled("io." + name)))
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
		l.PushGoFunction(protect(disabled(name + ":" + key)))
		return 1
	}))
	l.SetField(-2, "__index")
	l.SetMetaTable(-2)
}

// ioOpenReadOnly is io.open(filename [, mode]) limited to modes "r" and "rb".
func ioOpenReadOnly(l *glua.State) int {
	glua.CheckString(l, 1)
	mode := glua.OptString(l, 2, "r")
	if mode != "r" && mode != "rb" {
		errorf(l, "io.open with mode '%s' is disabled in goresty: files can only be read", mode)
	}
	return callUpvalue(l)
}

// ioLinesOfFile is io.lines(filename, ...); io.lines() on standard input is disabled.
func ioLinesOfFile(l *glua.State) int {
	if l.IsNoneOrNil(1) {
		errorf(l, "io.lines without a file name is disabled in goresty: it would read standard input")
	}
	return callUpvalue(l)
}

// callUpvalue calls the original function kept as upvalue 1 with all arguments.
func callUpvalue(l *glua.State) int {
	n := l.Top()
	l.PushValue(glua.UpValueIndex(1))
	l.Insert(1)
	l.Call(n, glua.MultipleReturns)
	return l.Top()
}
