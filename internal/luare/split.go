package luare

import (
	glua "github.com/Shopify/go-lua"
)

// OpenModule pushes lua-resty-core's "ngx.re" module, {split, opt, version}, for require.
func OpenModule(l *glua.State, version string) {
	l.CreateTable(0, 3)
	l.PushGoFunction(luaSplit)
	l.SetField(-2, "split")
	l.PushGoFunction(luaOpt)
	l.SetField(-2, "opt")
	l.PushString(version)
	l.SetField(-2, "version")
}

// luaSplit is ngx.re.split(subject, regex, opts?, ctx?, max?, res?): the pieces of subject
// between the matches of regex, with each match's first capture after the piece before it,
// in res (or a new table), from ctx.pos (1-based) on. With max > 0 it makes at most max pieces
// and keeps empty trailing ones; without, it drops them. Empty matches are handled exactly as
// lua-resty-core's split handles them, quirks included (it goes on splitting from the start of
// the piece before an empty match).
func luaSplit(l *glua.State) int {
	subj := subjectArg(l)
	ctx := 0
	if l.TypeOf(4) == glua.TypeTable {
		ctx = 4
	}
	pos := 1
	if ctx != 0 {
		l.Field(ctx, "pos")
		if l.IsNil(-1) {
			l.PushInteger(1)
			l.SetField(ctx, "pos")
		} else {
			pos, _ = l.ToInteger(-1)
		}
		l.Pop(1)
	}
	limit := 0
	if n, ok := l.ToInteger(5); ok {
		limit = n
	}
	res := 6
	switch l.TypeOf(6) {
	case glua.TypeNil, glua.TypeNone:
		l.SetTop(5)
		l.CreateTable(4, 0)
	case glua.TypeTable:
	default:
		glua.Errorf(l, "res is not a table") // level 1: lua-resty-core raises at level 2
	}
	l.SetTop(res)
	if pos > len(subj) {
		l.PushNil()
		l.RawSetInt(res, 1)
		return 1
	}
	re, err := compileArgs(l, 2, 3)
	if err != nil {
		return pushError(l, 1, err)
	}
	sub, err := re.Prepare(subj)
	if err != nil {
		return pushError(l, 1, err)
	}
	// Positions below are 1-based, as in Lua; search is the 0-based offset of the next search.
	n, count, search := 0, 1, pos-1
	start, lastEmpty := pos, 0
	put := func(s string) {
		n++
		l.PushString(s)
		l.RawSetInt(res, n)
	}
	for limit <= 0 || count < limit {
		ovec, err := re.Exec(sub, max(search, 0))
		if err != nil {
			return pushError(l, 1, err)
		}
		if ovec == nil {
			break
		}
		if ovec[0] == ovec[1] {
			search = ovec[1] + 1
		} else {
			search = ovec[1]
		}
		from, to := ovec[0]+1, ovec[1]+1
		if lastEmpty != 0 {
			start = lastEmpty
		}
		if from == to {
			lastEmpty = from
		}
		if from <= start && lastEmpty != 0 {
			continue
		}
		count++
		put(luaStringSub(subj, start, from-1))
		if capture, ok := firstCapture(subj, ovec); ok {
			put(capture)
		}
		if start = to; start > len(subj) {
			break
		}
	}
	if limit <= 0 && start > len(subj) {
		for ; n > 0; n-- { // drop empty trailing pieces
			l.RawGetInt(res, n)
			s, _ := l.ToString(-1)
			l.Pop(1)
			if s != "" {
				break
			}
			l.PushNil()
			l.RawSetInt(res, n)
		}
	} else {
		put(luaStringSub(subj, start, len(subj)))
	}
	l.PushNil()
	l.RawSetInt(res, n+1)
	if ctx != 0 {
		l.PushInteger(search)
		l.SetField(ctx, "pos")
	}
	return 1
}

// firstCapture returns what split adds after a piece for a match: the text of capture 1 when
// the regex has captures and one of them took part, read as lua-resty-core reads it (an unset
// capture 1 then reads as string.sub(subj, 0, -1), the whole subject).
func firstCapture(subj string, ovec []int) (string, bool) {
	took := false
	for i := 2; i+1 < len(ovec); i += 2 {
		if ovec[i] >= 0 {
			took = true
		}
	}
	if !took {
		return "", false
	}
	return luaStringSub(subj, ovec[2]+1, ovec[3]), true
}

// luaStringSub is Lua's string.sub(s, i, j).
func luaStringSub(s string, i, j int) string {
	n := len(s)
	if i < 0 {
		i = max(n+i+1, 1)
	} else if i == 0 {
		i = 1
	}
	if j < 0 {
		j = n + j + 1
	} else if j > n {
		j = n
	}
	if i > j {
		return ""
	}
	return s[i-1 : j]
}

// luaOpt is ngx.re.opt(name, value). The only option, "jit_stack_size", has nothing to set
// here (regexp2 has no JIT stack), but it is refused as OpenResty refuses it once patterns are
// cached.
func luaOpt(l *glua.State) int {
	if name, _ := l.ToString(1); name != "jit_stack_size" {
		glua.Errorf(l, "unrecognized option name")
	}
	if defaultCache.len() > 0 {
		glua.Errorf(l, "changing jit stack size is not allowed when some regexs have already been compiled and cached")
	}
	return 0
}
