package nginxconf

import (
	"fmt"
	"strings"
)

// maxToken is the length at which nginx gives up on a token: its reader keeps
// the current token in a 4096-byte buffer (NGX_CONF_BUFFER), so a token, or a
// comment, that reaches 4096 bytes before the end of the file is an error.
const maxToken = 4096

// termKind says how the lexer's next directive ended, as the return codes of
// nginx's ngx_conf_read_token do.
type termKind int

const (
	termSemicolon  termKind = iota // arguments terminated by ";"
	termBlockStart                 // arguments terminated by "{"
	termBlockEnd                   // a lone "}"
	termEOF                        // end of the file, no pending arguments
)

// word is one token of a directive: its unescaped value and its first line.
type word struct {
	val  string
	line int
}

// lexer splits nginx configuration text into directives the way nginx's
// ngx_conf_read_token does, including its quirks: a quoted token must be
// followed by a space, ";", "{" or ")"; "#" starts a comment only at the
// start of a token; a backslash always escapes the next byte; "{" right after
// "$" belongs to the token (the "${var}" form).
type lexer struct {
	file string
	data []byte
	pos  int
	line int
	args []word // reused by next
}

func newLexer(file string, data []byte) *lexer {
	return &lexer{file: file, data: data, line: 1}
}

func (lx *lexer) errorf(format string, args ...any) *Error {
	return &Error{File: lx.file, Line: lx.line, Msg: fmt.Sprintf(format, args...)}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// tokenState is the state of ngx_conf_read_token between two bytes.
type tokenState struct {
	needSpace, lastSpace, comment, variable bool
	escaped, sQuoted, dQuoted               bool
	start, startLine                        int
}

// next reads the next directive's words and how it ended. The words are
// valid until the following call.
func (lx *lexer) next() ([]word, termKind, error) {
	args := lx.args[:0]
	defer func() { lx.args = args[:0] }()
	st := tokenState{lastSpace: true, start: lx.pos, startLine: lx.line}
	for {
		if lx.pos >= len(lx.data) {
			if len(args) > 0 || !st.lastSpace {
				return nil, 0, lx.errorf(`unexpected end of file, expecting ";" or "}"`)
			}
			return nil, termEOF, nil
		}
		if lx.pos-st.start >= maxToken {
			return nil, 0, lx.tooLong(&st)
		}
		ch := lx.data[lx.pos]
		lx.pos++
		if ch == '\n' {
			lx.line++
			st.comment = false
		}
		if st.comment {
			continue
		}
		if st.escaped {
			st.escaped = false
			continue
		}
		if st.needSpace {
			switch {
			case isSpace(ch):
				st.lastSpace, st.needSpace = true, false
				continue
			case ch == ';':
				return args, termSemicolon, nil
			case ch == '{':
				return args, termBlockStart, nil
			case ch == ')':
				// nginx lets "if ($a = "b")" through: ")" starts a new token.
				st.lastSpace, st.needSpace = true, false
			default:
				return nil, 0, lx.errorf(`unexpected "%s"`, []byte{ch})
			}
		}
		if st.lastSpace {
			kind, done, err := lx.tokenStart(ch, &st, args)
			if done || err != nil {
				return args, kind, err
			}
			continue
		}
		w, ended, kind, done := lx.tokenByte(ch, &st)
		if ended {
			args = append(args, w)
		}
		if done {
			return args, kind, nil
		}
	}
}

// tokenStart handles a byte read between tokens. It reports done when the
// byte ends the directive.
func (lx *lexer) tokenStart(ch byte, st *tokenState, args []word) (termKind, bool, error) {
	st.start, st.startLine = lx.pos-1, lx.line
	if isSpace(ch) {
		return 0, false, nil
	}
	switch ch {
	case ';', '{':
		if len(args) == 0 {
			return 0, true, lx.errorf(`unexpected "%s"`, []byte{ch})
		}
		if ch == '{' {
			return termBlockStart, true, nil
		}
		return termSemicolon, true, nil
	case '}':
		if len(args) != 0 {
			return 0, true, lx.errorf(`unexpected "}"`)
		}
		return termBlockEnd, true, nil
	case '#':
		st.comment = true
		return 0, false, nil
	case '\\':
		st.escaped = true
	case '"':
		st.start++
		st.dQuoted = true
	case '\'':
		st.start++
		st.sQuoted = true
	case '$':
		st.variable = true
	}
	st.lastSpace = false
	return 0, false, nil
}

// tokenByte handles a byte inside a token. It returns the token and ended
// when the byte ends it, and done when the byte also ends the directive.
func (lx *lexer) tokenByte(ch byte, st *tokenState) (w word, ended bool, kind termKind, done bool) {
	if ch == '{' && st.variable {
		return w, false, 0, false
	}
	st.variable = false
	switch {
	case ch == '\\':
		st.escaped = true
		return w, false, 0, false
	case ch == '$':
		st.variable = true
		return w, false, 0, false
	case st.dQuoted:
		if ch != '"' {
			return w, false, 0, false
		}
		st.dQuoted, st.needSpace = false, true
	case st.sQuoted:
		if ch != '\'' {
			return w, false, 0, false
		}
		st.sQuoted, st.needSpace = false, true
	case isSpace(ch) || ch == ';' || ch == '{':
		st.lastSpace = true
	default:
		return w, false, 0, false
	}
	w = word{val: unescape(lx.data[st.start : lx.pos-1]), line: st.startLine}
	switch ch {
	case ';':
		return w, true, termSemicolon, true
	case '{':
		return w, true, termBlockStart, true
	}
	return w, true, 0, false
}

func (lx *lexer) tooLong(st *tokenState) *Error {
	lx.line = st.startLine
	switch {
	case st.dQuoted:
		return lx.errorf(`too long parameter, probably missing terminating """ character`)
	case st.sQuoted:
		return lx.errorf(`too long parameter, probably missing terminating "'" character`)
	}
	return lx.errorf(`too long parameter "%s..." started`, lx.data[st.start:st.start+10])
}

// unescape applies nginx's escapes to a token's raw bytes: \" \' and \\ stand
// for the character, \t \r \n for the control characters; before any other
// byte the backslash is kept.
func unescape(raw []byte) string {
	if !containsByte(raw, '\\') {
		return string(raw)
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\\' && i+1 < len(raw) {
			switch raw[i+1] {
			case '"', '\'', '\\':
				i++
				c = raw[i]
			case 't':
				i++
				c = '\t'
			case 'r':
				i++
				c = '\r'
			case 'n':
				i++
				c = '\n'
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func containsByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}
