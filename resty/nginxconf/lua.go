package nginxconf

import "bytes"

// luaBlock reads the Lua source of a *_by_lua_block directive, the lexer
// standing just after its opening "{". It finds the matching "}" as
// lua-nginx-module's block lexer does: braces count unless they are inside a
// string ('...' or "..." with backslash escapes, ending at the line's end at
// the latest; a quote with no closing quote on its line is an ordinary
// character), a long string ([[...]], [==[...]==]) or a comment (-- to the
// end of the line, --[[...]], --[==[...]==]).
func (lx *lexer) luaBlock() (*LuaBlock, error) {
	begin, startLine := lx.pos, lx.line
	curlyLine := lx.line // nginx reports a missing "}" at the last "{" seen
	level := 1
	var unclosed [2]int // per quote kind: scans starting before this fail
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		switch {
		case c == '\n':
			lx.line++
			lx.pos++
		case c == '{':
			level++
			lx.pos++
			curlyLine = lx.line
		case c == '}':
			level--
			lx.pos++
			if level == 0 {
				src := string(lx.data[begin : lx.pos-1])
				return &LuaBlock{Source: src, Line: startLine}, nil
			}
		case c == '"' || c == '\'':
			lx.luaString(c, &unclosed)
		case c == '[' && longBracket(lx.data[lx.pos:]) > 0:
			if err := lx.luaLong(lx.pos); err != nil {
				return nil, err
			}
		case c == '-' && bytes.HasPrefix(lx.data[lx.pos:], []byte("--")):
			if longBracket(lx.data[lx.pos+2:]) > 0 {
				if err := lx.luaLong(lx.pos + 2); err != nil {
					return nil, err
				}
				break
			}
			if nl := bytes.IndexByte(lx.data[lx.pos:], '\n'); nl >= 0 {
				lx.pos += nl
			} else {
				lx.pos = len(lx.data)
			}
		default:
			lx.pos++
		}
	}
	lx.line = curlyLine
	return nil, lx.errorf("unexpected end of file, expecting terminating characters for lua code block")
}

// luaString skips a quoted Lua string starting at lx.pos, or just its quote
// when it does not close on its line. A string never spans lines, not even
// with a backslash before the newline.
func (lx *lexer) luaString(q byte, unclosed *[2]int) {
	k := 0
	if q == '\'' {
		k = 1
	}
	if lx.pos < unclosed[k] {
		// A scan from an earlier quote ran past this one without closing;
		// from here it would fail the same way.
		lx.pos++
		return
	}
	for i := lx.pos + 1; i < len(lx.data); i++ {
		switch lx.data[i] {
		case q:
			lx.pos = i + 1
			return
		case '\n':
			unclosed[k] = i
			lx.pos++
			return
		case '\\':
			if i+1 < len(lx.data) && lx.data[i+1] == '\n' {
				unclosed[k] = i
				lx.pos++
				return
			}
			i++
		}
	}
	unclosed[k] = len(lx.data)
	lx.pos++
}

// luaLong skips a long string or comment whose opening bracket starts at
// open; lx.pos is where the token starts ("[" or "--").
func (lx *lexer) luaLong(open int) error {
	n := longBracket(lx.data[open:])
	closing := make([]byte, n)
	closing[0], closing[n-1] = ']', ']'
	for i := 1; i < n-1; i++ {
		closing[i] = '='
	}
	end := bytes.Index(lx.data[open+n:], closing)
	if end < 0 {
		return lx.errorf(`Lua code block missing the closing long bracket "%s", `+
			"the inlined Lua code may be too long", closing)
	}
	stop := open + n + end + n
	lx.line += bytes.Count(lx.data[lx.pos:stop], []byte("\n"))
	lx.pos = stop
	return nil
}

// longBracket returns the length of the opening long bracket ("[", any
// number of "=", "[") at the start of b, or 0 if there is none.
func longBracket(b []byte) int {
	if len(b) == 0 || b[0] != '[' {
		return 0
	}
	i := 1
	for i < len(b) && b[i] == '=' {
		i++
	}
	if i < len(b) && b[i] == '[' {
		return i + 1
	}
	return 0
}
