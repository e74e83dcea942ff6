package nginxconf

import (
	"strconv"
	"strings"

	"github.com/goresty/goresty/ngx"
)

// program reads the rewrite directives (set, return, rewrite, break, if, set_by_lua) of a
// server or location block, in order.
func (sb *serverBuild) program(ds []*Directive, server bool, e *env) (*program, error) {
	p := &program{}
	for _, d := range ds {
		fam, _ := luaFamily(d.Name)
		if fam == "set_by_lua" {
			hk, err := sb.ld.luaHook(d)
			if err != nil {
				return nil, err
			}
			p.items = append(p.items, progItem{lua: &hk})
			continue
		}
		o, err := sb.rewriteOp(d, server, p, e)
		if err != nil {
			return nil, err
		}
		if o != nil {
			p.add(o)
		}
	}
	return p, nil
}

// rewriteOp compiles one rewrite-module directive; nil for any other directive.
func (sb *serverBuild) rewriteOp(d *Directive, server bool, p *program, e *env) (op, error) {
	switch d.Name {
	case "set":
		return sb.setOp(d, e)
	case "return":
		return sb.returnOp(d, e)
	case "rewrite":
		o, err := sb.rewrite(d, server, e)
		p.regex = true
		if err != nil || o.external || o.flag == "redirect" || o.flag == "permanent" {
			return o, err
		}
		if o.flag == "" && !server {
			p.uriChanging = true
		}
		return o, nil
	case "break":
		return breakOp{server: server}, nil
	case "if":
		return sb.ifOp(d, server, p, e)
	}
	return nil, nil
}

func (sb *serverBuild) setOp(d *Directive, e *env) (op, error) {
	name, ok := strings.CutPrefix(d.Args[0], "$")
	if !ok || name == "" {
		return nil, d.Errorf("invalid variable name %q", d.Args[0])
	}
	if builtinVars[name] && !writableBuiltins[name] {
		return nil, d.Errorf("the duplicate %q variable", name)
	}
	v, err := sb.ld.compile(d, d.Args[1], e.sc)
	if err != nil {
		return nil, err
	}
	return &setOp{name: name, value: v}, nil
}

func (sb *serverBuild) returnOp(d *Directive, e *env) (op, error) {
	o := &returnOp{redirect: e.rd}
	e.returns = append(e.returns, o)
	code, err := strconv.Atoi(d.Args[0])
	switch {
	case err != nil && len(d.Args) == 1:
		// return URL: a 302 to an absolute URL.
		a := d.Args[0]
		if !strings.HasPrefix(a, "http://") && !strings.HasPrefix(a, "https://") &&
			!strings.HasPrefix(a, "$scheme") {
			return nil, d.Errorf("invalid return code %q", a)
		}
		o.code = 302
		o.text, err = sb.ld.compile(d, a, e.sc)
		return o, err
	case err != nil || code < 0 || code > 999:
		return nil, d.Errorf("invalid return code %q", d.Args[0])
	}
	o.code = code
	// An error status with an empty text is answered with its error page, as nginx does.
	if len(d.Args) == 2 && (d.Args[1] != "" || code < 400) {
		if o.text, err = sb.ld.compile(d, d.Args[1], e.sc); err != nil {
			return nil, err
		}
	}
	return o, nil
}

func (sb *serverBuild) rewrite(d *Directive, server bool, e *env) (*rewriteOp, error) {
	re, err := compileRegex(d.Args[0], false)
	if err != nil {
		return nil, d.Errorf("pcre_compile() failed in %q: %v", d.Args[0], err)
	}
	o := &rewriteOp{re: re, server: server, redirect: e.rd}
	if !server {
		o.typer = e.typer
	}
	repl := d.Args[1]
	o.external = strings.HasPrefix(repl, "http://") || strings.HasPrefix(repl, "https://") ||
		strings.HasPrefix(repl, "$scheme")
	if strings.HasSuffix(repl, "?") {
		o.dropArgs = true
		if !o.external {
			repl = repl[:len(repl)-1]
		}
	}
	if o.repl, err = sb.ld.compile(d, repl, e.sc); err != nil {
		return nil, err
	}
	if len(d.Args) == 3 {
		switch d.Args[2] {
		case "last", "break", "redirect", "permanent":
			o.flag = d.Args[2]
		default:
			return nil, d.Errorf("invalid parameter %q", d.Args[2])
		}
	}
	return o, nil
}

// ifOp compiles if (condition) { rewrite directives }.
func (sb *serverBuild) ifOp(d *Directive, server bool, p *program, e *env) (op, error) {
	c, err := sb.condition(d, p, e)
	if err != nil {
		return nil, err
	}
	ctx := ctxLocationIf
	if server {
		ctx = ctxServerIf
	}
	if err := checkBlock(d.Block, ctx); err != nil {
		return nil, err
	}
	o := &ifOp{cond: c}
	for _, b := range d.Block {
		if fam, _ := luaFamily(b.Name); fam == "set_by_lua" || b.Name == "if" {
			return nil, b.Errorf("%q directive inside \"if\" is not supported yet", b.Name)
		}
		bo, err := sb.rewriteOp(b, server, p, e)
		if err != nil {
			return nil, err
		}
		if bo == nil {
			return nil, b.Errorf("%q directive inside \"if\" is not supported yet", b.Name)
		}
		o.body = append(o.body, bo)
	}
	return o, nil
}

// condition parses the arguments of if, with nginx's spellings of the parentheses:
// "($a" "=" "b)", "(" "$a" ")", "($a)".
func (sb *serverBuild) condition(d *Directive, p *program, e *env) (cond, error) {
	args := append([]string(nil), d.Args...)
	bad := d.Errorf("invalid condition %q", strings.Join(d.Args, " "))
	if !strings.HasPrefix(args[0], "(") || !strings.HasSuffix(args[len(args)-1], ")") {
		return nil, bad
	}
	args[0] = args[0][1:]
	last := len(args) - 1
	args[last] = args[last][:len(args[last])-1]
	if args[0] == "" {
		args = args[1:]
	}
	if len(args) > 0 && args[len(args)-1] == "" {
		args = args[:len(args)-1]
	}
	switch len(args) {
	case 1:
		if !strings.HasPrefix(args[0], "$") {
			return nil, bad
		}
		v, err := sb.ld.compile(d, args[0], e.sc)
		if err != nil {
			return nil, err
		}
		return func(r *ngx.Request) bool {
			s := v.expand(r)
			return s != "" && s != "0"
		}, nil
	case 2:
		switch args[0] {
		case "-f", "!-f", "-d", "!-d", "-e", "!-e", "-x", "!-x":
			v, err := sb.ld.compile(d, args[1], e.sc)
			if err != nil {
				return nil, err
			}
			return fileTest(args[0], v), nil
		}
		return nil, bad
	case 3:
		return sb.comparison(d, args, p, e)
	}
	return nil, bad
}

// comparison is $var = value, != value, ~ regex, ~* regex, !~ regex, !~* regex.
func (sb *serverBuild) comparison(d *Directive, args []string, p *program, e *env) (cond, error) {
	if !strings.HasPrefix(args[0], "$") {
		return nil, d.Errorf("invalid condition %q", strings.Join(d.Args, " "))
	}
	left, err := sb.ld.compile(d, args[0], e.sc)
	if err != nil {
		return nil, err
	}
	switch args[1] {
	case "=", "!=":
		right, err := sb.ld.compile(d, args[2], e.sc)
		if err != nil {
			return nil, err
		}
		neg := args[1] == "!="
		return func(r *ngx.Request) bool { return (left.expand(r) == right.expand(r)) != neg }, nil
	case "~", "~*", "!~", "!~*":
		re, err := compileRegex(args[2], strings.HasSuffix(args[1], "*"))
		if err != nil {
			return nil, d.Errorf("pcre_compile() failed in %q: %v", args[2], err)
		}
		neg := strings.HasPrefix(args[1], "!")
		p.regex = true
		return func(r *ngx.Request) bool {
			groups, ok := re.match(left.expand(r))
			re.setCaptures(r, groups, ok)
			return ok != neg
		}, nil
	}
	return nil, d.Errorf("unexpected %q in condition", args[1])
}
