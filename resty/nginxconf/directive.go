package nginxconf

import (
	"fmt"
	"strconv"
	"strings"
)

// Directive is one nginx directive as written in a configuration file: a name,
// its arguments, and either a terminating ";" or a block.
//
// A block directive (HasBlock) holds the directives inside its braces in Block,
// except the *_by_lua_block directives, whose braces hold Lua source: for
// those, Lua is set and Block is nil.
//
// ParseFile replaces every include directive by the directives of the files it
// names, so a tree from ParseFile holds no include directives and each
// directive carries the File and Line it was read from.
type Directive struct {
	// Name is the directive name, unquoted and unescaped as nginx compares it.
	Name string
	// Args are the arguments as nginx passes them to the directive's handler:
	// quotes removed and the escapes \" \' \\ \t \r \n applied (any other
	// backslash is kept). Variables such as $host or ${host} are kept
	// verbatim; ArgHasVars and SplitVars find them.
	Args []string
	// File is the name of the file the directive was read from: the name
	// given to Parse, the path given to ParseFile, or the path an include
	// resolved to.
	File string
	// Line is the 1-based line on which the directive's name starts.
	Line int
	// HasBlock reports whether the directive ended with a block ("{ ... }")
	// rather than ";". An empty block gives HasBlock true and a nil Block.
	HasBlock bool
	// Block holds the directives inside the braces, in order.
	Block []*Directive
	// Lua is the Lua source of a *_by_lua_block directive, nil for any other
	// directive.
	Lua *LuaBlock
}

// LuaBlock is the Lua source inside the braces of a *_by_lua_block directive
// (content_by_lua_block, set_by_lua_block $var, init_by_lua_block, ...).
type LuaBlock struct {
	// Source is the text between the braces, byte for byte: it starts with
	// whatever follows "{" on its line and ends just before the closing "}".
	Source string
	// Line is the configuration line holding the opening "{", which is line 1
	// of Source. OpenResty names the chunk after it too:
	// "content_by_lua(nginx.conf:<Line>)".
	Line int
}

// ConfigLine maps a line number of the Lua chunk (as in a Lua error message) to
// the line of the configuration file it came from.
func (b *LuaBlock) ConfigLine(luaLine int) int {
	return b.Line + luaLine - 1
}

// IsLuaBlockName reports whether name is the name of a directive whose block
// holds Lua source rather than directives: every name ending in
// "_by_lua_block".
func IsLuaBlockName(name string) bool {
	return strings.HasSuffix(name, "_by_lua_block")
}

// Pos returns the directive's position as "file:line", the form nginx uses in
// its messages.
func (d *Directive) Pos() string {
	return d.File + ":" + strconv.Itoa(d.Line)
}

// Errorf returns an *Error located at the directive, for reporting a bad
// directive the way nginx does: d.Errorf("invalid number of arguments in %q
// directive", d.Name) prints as `invalid number of arguments in "listen"
// directive in /etc/nginx/nginx.conf:12`.
func (d *Directive) Errorf(format string, args ...any) error {
	return &Error{File: d.File, Line: d.Line, Msg: fmt.Sprintf(format, args...)}
}

// ArgHasVars reports whether argument i refers to a variable, that is contains
// a "$": nginx compiles such an argument into a template in the directives
// that accept variables (see SplitVars). It reports false for an i out of range.
func (d *Directive) ArgHasVars(i int) bool {
	return i >= 0 && i < len(d.Args) && strings.IndexByte(d.Args[i], '$') >= 0
}

// Find returns the directives named name directly inside d's block, in order.
func (d *Directive) Find(name string) []*Directive {
	return Find(d.Block, name)
}

// Find returns the directives in ds named name, in order, without looking into
// blocks.
func Find(ds []*Directive, name string) []*Directive {
	var out []*Directive
	for _, d := range ds {
		if d.Name == name {
			out = append(out, d)
		}
	}
	return out
}

// Walk calls fn for each directive in ds and, depth first, in their blocks,
// with the chain of enclosing block directives (outermost first; the slice is
// reused between calls, copy it to keep it). When fn returns false Walk skips
// the directive's block.
func Walk(ds []*Directive, fn func(d *Directive, parents []*Directive) bool) {
	walk(ds, nil, fn)
}

func walk(ds, parents []*Directive, fn func(*Directive, []*Directive) bool) {
	for _, d := range ds {
		if fn(d, parents) && len(d.Block) > 0 {
			walk(d.Block, append(parents, d), fn)
		}
	}
}
