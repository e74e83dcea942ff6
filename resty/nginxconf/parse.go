package nginxconf

import (
	"fmt"
	"io"
)

// maxDepth bounds the nesting of blocks, so hostile input cannot exhaust the
// stack; real configurations nest a handful of levels.
const maxDepth = 200

// alwaysBlock lists the directives of nginx and its standard modules that
// must have a block. The parser reports `directive "location" has no opening
// "{"` for them, as nginx does; other directives' shapes are left to the
// code that interprets the tree. "server" is a block except inside upstream.
var alwaysBlock = map[string]bool{
	"events": true, "http": true, "stream": true, "mail": true,
	"server": true, "location": true, "upstream": true, "if": true,
	"limit_except": true, "map": true, "geo": true, "types": true,
	"split_clients": true,
}

// Parse reads an nginx configuration from r and returns its top-level
// directives. name is used as the File of the directives and in error
// messages. Include directives are kept as they are; ParseFile expands them.
// Syntax errors are *Error values; a failing reader's error is wrapped.
func Parse(r io.Reader, name string) ([]*Directive, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("nginxconf: reading %s: %w", name, err)
	}
	return parseBytes(data, name, nil)
}

// scope is where a file is being parsed: the block directive enclosing it
// (nil at the top level) and how deep blocks are nested there.
type scope struct {
	parent *Directive
	depth  int
}

// includeFunc expands an include directive d, found in scope sc, whose
// terminating ";" was read on line endLine.
type includeFunc func(d *Directive, sc scope, endLine int) ([]*Directive, error)

type parser struct {
	lx      *lexer
	include includeFunc // nil: keep include directives
}

func parseBytes(data []byte, name string, include includeFunc) ([]*Directive, error) {
	return parseScope(data, name, include, scope{})
}

// parseScope parses a whole file whose directives go into sc.
func parseScope(data []byte, name string, include includeFunc, sc scope) ([]*Directive, error) {
	p := &parser{lx: newLexer(name, data), include: include}
	return p.block(sc, false)
}

// block reads directives up to the "}" closing the block, or to the end of the
// file when !inBlock.
func (p *parser) block(sc scope, inBlock bool) ([]*Directive, error) {
	var ds []*Directive
	for {
		words, kind, err := p.lx.next()
		if err != nil {
			return nil, err
		}
		switch kind {
		case termBlockEnd:
			if !inBlock {
				return nil, p.lx.errorf(`unexpected "}"`)
			}
			return ds, nil
		case termEOF:
			if inBlock {
				return nil, p.lx.errorf(`unexpected end of file, expecting "}"`)
			}
			return ds, nil
		}
		d := &Directive{Name: words[0].val, File: p.lx.file, Line: words[0].line}
		if len(words) > 1 {
			d.Args = make([]string, len(words)-1)
			for i, w := range words[1:] {
				d.Args[i] = w.val
			}
		}
		if err := p.checkShape(d, sc.parent, kind); err != nil {
			return nil, err
		}
		if kind == termSemicolon {
			if d.Name == "include" && p.include != nil {
				inc, err := p.include(d, sc, p.lx.line)
				if err != nil {
					return nil, err
				}
				ds = append(ds, inc...)
				continue
			}
			ds = append(ds, d)
			continue
		}
		if err := p.body(d, sc.depth); err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
}

// body reads the block of d, whose "{" has just been read.
func (p *parser) body(d *Directive, depth int) error {
	d.HasBlock = true
	if IsLuaBlockName(d.Name) {
		lua, err := p.lx.luaBlock()
		d.Lua = lua
		return err
	}
	if depth+1 >= maxDepth {
		return p.lx.errorf("blocks nested deeper than %d levels", maxDepth)
	}
	block, err := p.block(scope{parent: d, depth: depth + 1}, true)
	d.Block = block
	return err
}

// checkShape reports the structural errors nginx reports without looking at
// a directive's meaning: a block where ";" is needed, or the reverse, for the
// directives whose shape is fixed.
func (p *parser) checkShape(d, parent *Directive, kind termKind) error {
	if d.Name == "include" {
		if kind != termSemicolon {
			return p.lx.errorf(`directive "include" is not terminated by ";"`)
		}
		if len(d.Args) != 1 {
			return p.lx.errorf(`invalid number of arguments in "include" directive`)
		}
		return nil
	}
	if kind == termBlockStart {
		return nil
	}
	needsBlock := alwaysBlock[d.Name] || IsLuaBlockName(d.Name)
	if d.Name == "server" && parent != nil && parent.Name == "upstream" {
		needsBlock = false
	}
	if needsBlock {
		return p.lx.errorf(`directive "%s" has no opening "{"`, d.Name)
	}
	return nil
}
