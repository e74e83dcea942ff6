package luare

import (
	"errors"
	"strings"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

// Open pushes the ngx.re table {match, find, gmatch, sub, gsub} onto l's stack; the caller
// stores it as ngx.re. The functions follow lua-resty-core's ngx.re (OpenResty's own). The
// error-log lines nginx writes (about a replacement template that does not compile) are dropped;
// Logging keeps them.
func Open(l *glua.State) { open(l, nil) }

// Logging returns an Open that gives log the error-log lines nginx writes.
func Logging(log func(l *glua.State, line string)) func(l *glua.State) {
	return func(l *glua.State) { open(l, log) }
}

func open(l *glua.State, log func(l *glua.State, line string)) {
	l.CreateTable(0, 5)
	for _, f := range []glua.RegistryFunction{
		{Name: "match", Function: luaMatch},
		{Name: "find", Function: luaFind},
		{Name: "gmatch", Function: luaGmatch},
		{Name: "sub", Function: func(l *glua.State) int { return luaSub(l, false, log) }},
		{Name: "gsub", Function: func(l *glua.State) int { return luaSub(l, true, log) }},
	} {
		l.PushGoFunction(f.Function)
		l.SetField(-2, f.Name)
	}
}

// subjectArg is tostring(arg 1), as resty.core does.
func subjectArg(l *glua.State) string {
	s, _ := glua.ToStringMeta(l, 1)
	l.Pop(1)
	return s
}

// compileArgs compiles the regex and options at regexIdx and optsIdx; an unknown option letter is
// raised as a Lua error, a pattern error returned. The arguments are read as resty.core's
// regex.lua reads them: the regex must be a string (any other value fails where regex.lua takes
// its length), options may also be nil or false (none) or a table, whose elements regex.lua
// hands to string.byte. The errors come from inside resty.core, so they carry no position.
func compileArgs(l *glua.State, regexIdx, optsIdx int) (*Regex, error) {
	if l.TypeOf(regexIdx) != glua.TypeString {
		lua.RaisePlain(l, "attempt to get length of local 'regex' (a "+glua.TypeNameOf(l, regexIdx)+" value)")
	}
	pattern, _ := l.ToValue(regexIdx).(string) // ToString would box the string anew
	opts := ""
	switch l.TypeOf(optsIdx) {
	case glua.TypeNone, glua.TypeNil:
	case glua.TypeBoolean:
		if l.ToBoolean(optsIdx) {
			lua.RaisePlain(l, "attempt to get length of local 'opts' (a boolean value)")
		}
	case glua.TypeString:
		opts, _ = l.ToValue(optsIdx).(string)
	case glua.TypeTable:
		if l.RawLength(optsIdx) > 0 {
			lua.RaisePlain(l, "bad argument #1 to 'byte' (string expected, got table)")
		}
	default:
		lua.RaisePlain(l, "attempt to get length of local 'opts' (a "+glua.TypeNameOf(l, optsIdx)+" value)")
	}
	re, err := Compile(pattern, opts)
	if err != nil && isFlagError(err) {
		lua.RaisePlain(l, err.Error())
	}
	return re, err
}

// ctxPos reads ctx.pos (1-based) as a 0-based byte offset.
func ctxPos(l *glua.State, ctx int) int {
	if l.TypeOf(ctx) != glua.TypeTable {
		return 0
	}
	l.Field(ctx, "pos")
	defer l.Pop(1)
	switch l.TypeOf(-1) {
	case glua.TypeNil:
		return 0
	case glua.TypeNumber:
	default: // resty.core compares pos <= 0
		glua.Errorf(l, "attempt to compare %s with number", glua.TypeNameOf(l, -1))
	}
	p, _ := l.ToNumber(-1)
	if p <= 0 {
		return 0
	}
	return int(p - 1)
}

func setCtxPos(l *glua.State, ctx int, end int) {
	if l.TypeOf(ctx) == glua.TypeTable {
		l.PushInteger(end + 1)
		l.SetField(ctx, "pos")
	}
}

func pushError(l *glua.State, nils int, err error) int {
	for range nils {
		l.PushNil()
	}
	l.PushString(err.Error())
	return nils + 1
}

func luaMatch(l *glua.State) int {
	subj := subjectArg(l)
	re, err := compileArgs(l, 2, 3)
	if err != nil {
		return pushError(l, 1, err)
	}
	ovec, err := re.ExecString(subj, ctxPos(l, 4))
	if err != nil {
		return pushError(l, 1, err)
	}
	if ovec == nil {
		l.PushNil()
		return 1
	}
	setCtxPos(l, 4, ovec[1])
	res := 0
	if l.TypeOf(5) == glua.TypeTable {
		res = 5
	}
	re.pushCaptures(l, subj, ovec, res)
	return 1
}

func luaFind(l *glua.State) int {
	subj := subjectArg(l)
	re, err := compileArgs(l, 2, 3)
	if err != nil {
		return pushError(l, 2, err)
	}
	ovec, err := re.ExecString(subj, ctxPos(l, 4))
	if err != nil {
		return pushError(l, 2, err)
	}
	if ovec == nil {
		l.PushNil()
		return 1
	}
	setCtxPos(l, 4, ovec[1])
	nth := 0
	if n, ok := l.ToNumber(5); ok && n > 0 {
		nth = int(n)
	}
	if nth > re.ncap {
		l.PushNil()
		l.PushNil()
		l.PushString("nth out of bound")
		return 3
	}
	if ovec[2*nth] < 0 {
		l.PushNil()
		l.PushNil()
		return 2
	}
	l.PushInteger(ovec[2*nth] + 1)
	l.PushInteger(ovec[2*nth+1])
	return 2
}

// pushCaptures pushes the captures table (or fills the table at res when res != 0): [0] is the
// whole match, [n] group n or false, and each name maps to its group's value (with the D option,
// to the list of the values of the groups of that name that took part).
func (r *Regex) pushCaptures(l *glua.State, subj string, ovec []int, res int) {
	if res != 0 {
		l.PushValue(res)
	} else {
		l.CreateTable(r.ncap, len(r.names))
	}
	for i := 0; i <= r.ncap; i++ {
		if ovec[2*i] >= 0 {
			l.PushString(subj[ovec[2*i]:ovec[2*i+1]])
		} else {
			l.PushBoolean(false)
		}
		l.RawSetInt(-2, i)
	}
	for _, e := range r.names {
		from := ovec[2*e.num]
		if !r.flags.DupNames {
			if from >= 0 {
				l.PushString(subj[from:ovec[2*e.num+1]])
			} else {
				l.PushBoolean(false)
			}
			l.SetField(-2, e.name)
			continue
		}
		if from < 0 {
			continue
		}
		l.Field(-1, e.name)
		if l.TypeOf(-1) != glua.TypeTable {
			l.Pop(1)
			l.NewTable()
			l.PushValue(-1)
			l.SetField(-3, e.name)
		}
		l.PushString(subj[from:ovec[2*e.num+1]])
		l.RawSetInt(-2, l.RawLength(-2)+1)
		l.Pop(1)
	}
}

func luaGmatch(l *glua.State) int {
	subj := subjectArg(l)
	re, err := compileArgs(l, 2, 3)
	if err != nil {
		return pushError(l, 1, err)
	}
	sub, prepErr := re.Prepare(subj)
	pos, done := 0, false
	l.PushGoFunction(func(l *glua.State) int {
		if done {
			l.PushNil()
			return 1
		}
		if prepErr != nil {
			done = true
			return pushError(l, 1, prepErr)
		}
		ovec, err := re.Exec(sub, pos)
		if err != nil || ovec == nil {
			done = true
			if err != nil {
				return pushError(l, 1, err)
			}
			l.PushNil()
			return 1
		}
		next := ovec[1]
		if next == ovec[0] {
			next++
			if next > len(subj) {
				done = true
			}
		}
		pos = next
		re.pushCaptures(l, subj, ovec, 0)
		return 1
	})
	return 1
}

func luaSub(l *glua.State, global bool, log func(l *glua.State, line string)) int {
	re, err := compileArgs(l, 2, 4)
	if err != nil {
		return pushError(l, 2, err)
	}
	var repl func(b *strings.Builder, ovec []int) error
	subj := ""
	if l.TypeOf(3) == glua.TypeFunction {
		subj = subjectArg(l)
		repl = func(b *strings.Builder, ovec []int) error {
			l.PushValue(3)
			re.pushCaptures(l, subj, ovec, 0)
			l.Call(1, 1)
			s, _ := glua.ToStringMeta(l, -1)
			l.Pop(2)
			b.WriteString(s)
			return nil
		}
	} else {
		tplText, _ := glua.ToStringMeta(l, 3)
		l.Pop(1)
		tpl, err := CompileTemplate(tplText)
		if err != nil {
			var te *TemplateError
			if log != nil && errors.As(err, &te) {
				log(l, te.Log)
			}
			return pushError(l, 2, err)
		}
		subj = subjectArg(l)
		repl = func(b *strings.Builder, ovec []int) error {
			tpl.Expand(b, subj, ovec)
			return nil
		}
	}
	sub, err := re.Prepare(subj)
	if err != nil {
		return pushError(l, 2, err)
	}
	out, n, err := re.Replace(sub, global, repl)
	if err != nil {
		return pushError(l, 2, err)
	}
	l.PushString(out)
	l.PushInteger(n)
	return 2
}
