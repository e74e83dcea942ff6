package lua

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"

	glua "github.com/Shopify/go-lua"
)

// Chunk is compiled and patched Lua code. It is immutable and safe for concurrent use: every
// State loads its own copy of the bytecode the first time it runs the chunk.
type Chunk struct {
	name string
	// code holds the patched bytecode for each fixKind.
	code [2][]byte
	// wrapped is true when code is a factory that returns a fresh closure of the main function,
	// so that each Exec gets an _ENV cell of its own; it is false for a chunk whose functions
	// only read globals (onlyReadsEnv), whose one main function reads the globals themselves
	// in every Exec (see State.pushMain).
	wrapped bool
	// helpers are the helper upvalues the code needs; they are the same for every fixKind.
	helpers helperSet
	// file is the version of the file the chunk was compiled from (CompileFile, require).
	file *fileStamp
}

// Name returns the name the chunk was compiled with.
func (c *Chunk) Name() string { return c.name }

// Compile compiles source once and returns patched bytecode. name appears in error messages and
// tracebacks ("name:line: message"); a name starting with '@' or '=' is taken as Lua takes a chunk
// name (file name or literal), any other is used literally. A syntax error reads
// "name:line: message".
func Compile(name, source string) (*Chunk, error) {
	dump, err := compileSource(chunkName(name), source)
	if err != nil {
		return nil, err
	}
	c := &Chunk{name: name, wrapped: !onlyReadsEnv(dump)}
	for _, kind := range []fixKind{fixTop, fixCheck} {
		if c.code[kind], c.helpers, err = patchChunk(dump, kind, c.wrapped, lastLine(source)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return c, nil
}

// chunkName turns a user-facing name into a Lua chunk name.
func chunkName(name string) string {
	if strings.HasPrefix(name, "@") || strings.HasPrefix(name, "=") {
		return name
	}
	return "=" + name
}

// compileSource parses source as text with a throwaway go-lua state and returns the dump of the
// main function. Binary chunks are refused: they bypass the parser's checks.
func compileSource(name, source string) (dump []byte, err error) {
	if strings.HasPrefix(source, glua.Signature) {
		return nil, &Error{Message: "attempt to load a binary chunk"}
	}
	l := glua.NewState()
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Message: fmt.Sprintf("%s: compiler failure: %v", name, r)}
		}
	}()
	if err := glua.LoadBuffer(l, luajitEscapes(source), name, "t"); err != nil {
		msg, _ := l.ToString(-1)
		if msg == "" {
			msg = err.Error()
		}
		msg = syntaxMessage(quoteNear(msg), source)
		return nil, &Error{Message: msg, Value: msg}
	}
	var b bytes.Buffer
	if err := l.Dump(&b); err != nil {
		return nil, fmt.Errorf("%s: dump: %w", name, err)
	}
	return b.Bytes(), nil
}

// lastLine is the line on which source ends, which LuaJIT's debug.getinfo reports as the main
// function's lastlinedefined (Lua 5.2 says 0); patchChunk writes it into the main function.
func lastLine(source string) int32 {
	return int32(min(1+strings.Count(source, "\n"), math.MaxInt32))
}

// quoteNear quotes the token at the end of a go-lua syntax error ("near x" becomes "near 'x'"),
// as Lua words it; go-lua quotes only reserved words.
func quoteNear(msg string) string {
	i := strings.LastIndex(msg, " near ")
	if i < 0 {
		return msg
	}
	tok := msg[i+len(" near "):]
	if tok == "<eof>" || (len(tok) >= 2 && tok[0] == '\'' && tok[len(tok)-1] == '\'') {
		return msg
	}
	return msg[:i] + " near '" + tok + "'"
}

// onlyReadsEnv reports whether the dumped chunk uses its _ENV only to read globals: in the main
// function and in every nested function that reaches the main function's _ENV, GETTABUP of it,
// never SETTABUP, GETUPVAL or SETUPVAL, and no read of a global that gives a chunk its own
// environment (envNames: loading code, whose globals the Exec shares, and the fenv functions).
// Such a chunk, and the closures it makes, share one _ENV cell that holds the globals
// themselves in every Exec, so one main function serves all; any other chunk gets a fresh
// closure with a fresh environment per Exec (Chunk.wrapped).
func onlyReadsEnv(dump []byte) bool {
	_, p, err := decodeChunk(dump)
	return err == nil && readsEnvOnly(p, 0)
}

// envNames are the globals whose use makes a chunk need an environment of its own per Exec.
var envNames = map[string]bool{
	"load": true, "loadstring": true, "loadfile": true, "dofile": true, "setfenv": true, "getfenv": true,
	"module": true,
}

// readsEnvOnly is onlyReadsEnv for function p, whose upvalue env is the main function's _ENV.
func readsEnvOnly(p *proto, env int) bool {
	for _, i := range p.code {
		switch opOf(i) {
		case opGetTabUp:
			if argB(i) == env && argC(i)&rkConstant != 0 && envNames[p.kname(0, argC(i))] {
				return false
			}
		case opSetTabUp:
			if argA(i) == env {
				return false
			}
		case opGetUpval, opSetUpval:
			if argB(i) == env {
				return false
			}
		}
	}
	for _, q := range p.protos {
		for k, u := range q.upvals {
			if u.instack == 0 && int(u.idx) == env && !readsEnvOnly(q, k) {
				return false
			}
		}
	}
	return true
}

// errBinaryChunk is the message load gives for binary chunks, which goresty never accepts from Lua.
var errBinaryChunk = errors.New("attempt to load a binary chunk")
