package lua

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	glua "github.com/Shopify/go-lua"
)

// The message handler (thread.dispatch) rewrites go-lua's runtime error messages into Lua 5.2's
// before anything sees them:
//
//   - type errors ("attempt to index/call/perform arithmetic on/concatenate/get length of")
//     name the variable as Lua 5.2 does (varinfo.go), from the failing instruction;
//   - "bad argument" errors of Go functions called from Lua name the function as the caller
//     knows it ('rep' in ("x"):rep(), 'f' for a local f) and do not count self in method calls;
//   - comparison errors read "attempt to compare number with string" (go-lua quotes the
//     types) and "loop in gettable"/"loop in settable" replace "loop in table"/"setTable".
//
// Finding the failing instruction needs the index of the instruction a frame is running, which
// go-lua keeps private (callInfo.savedPC): frameView reads it, and the frame's registers, with
// reflect. The layout is checked when read; if it ever differs (another go-lua version), the
// messages are left as go-lua words them.

// frameView is what go-lua keeps private about a Lua function's activation record.
type frameView struct {
	savedPC int           // the index of the next instruction
	regs    reflect.Value // the registers ([]value)
}

// viewFrame reads f's savedPC and registers; ok is false for a Go function or an unknown layout.
func viewFrame(f glua.Frame) (v frameView, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	ci := reflect.ValueOf(f)
	if ci.Kind() != reflect.Pointer || ci.IsNil() || ci.Elem().Kind() != reflect.Struct {
		return v, false
	}
	fields := frameFieldsOf(ci.Elem().Type())
	if !fields.ok {
		return v, false
	}
	lci := ci.Elem().Field(fields.lua)
	if lci.IsNil() {
		return v, false
	}
	return frameView{savedPC: int(lci.Elem().Field(fields.pc).Int()), regs: lci.Elem().Field(fields.regs)}, true
}

// frameFields are the indexes of the fields viewFrame reads: luaCallInfo in go-lua's callInfo,
// savedPC and frame in the luaCallInfo it points to.
type frameFields struct {
	lua, pc, regs int
	ok            bool
}

var (
	frameFieldsOnce sync.Once
	frameFieldsAt   frameFields
	frameFieldsType reflect.Type
)

// frameFieldsOf returns the indexes of the fields viewFrame reads in go-lua's callInfo type t,
// found by name once (FieldByName on every error would cost more than the rest of the lookup).
func frameFieldsOf(t reflect.Type) frameFields {
	frameFieldsOnce.Do(func() {
		frameFieldsType = t
		lci, ok := t.FieldByName("luaCallInfo")
		if !ok || len(lci.Index) != 1 || lci.Type.Kind() != reflect.Pointer || lci.Type.Elem().Kind() != reflect.Struct {
			return
		}
		pc, okPC := lci.Type.Elem().FieldByName("savedPC")
		regs, okRegs := lci.Type.Elem().FieldByName("frame")
		if !okPC || !okRegs || len(pc.Index) != 1 || len(regs.Index) != 1 || pc.Type.Kind() != reflect.Int ||
			regs.Type.Kind() != reflect.Slice || regs.Type.Elem().Kind() != reflect.Interface {
			return
		}
		frameFieldsAt = frameFields{lua: lci.Index[0], pc: pc.Index[0], regs: regs.Index[0], ok: true}
	})
	if t != frameFieldsType {
		return frameFields{}
	}
	return frameFieldsAt
}

// reg returns the Lua type of register i and, for numbers and strings, its value.
func (v frameView) reg(i int) (glua.Type, any) {
	if i < 0 || i >= v.regs.Len() {
		return glua.TypeNone, nil
	}
	x := v.regs.Index(i)
	if x.IsNil() {
		return glua.TypeNil, nil
	}
	x = x.Elem()
	switch x.Kind() {
	case reflect.Float64:
		return glua.TypeNumber, x.Float()
	case reflect.String:
		return glua.TypeString, x.String()
	case reflect.Bool:
		return glua.TypeBoolean, x.Bool()
	case reflect.Pointer:
		switch x.Type().Elem().Name() {
		case "table":
			return glua.TypeTable, nil
		case "luaClosure", "goClosure", "goFunction":
			return glua.TypeFunction, nil
		case "userData":
			return glua.TypeUserData, nil
		case "State":
			return glua.TypeThread, nil
		}
	}
	return glua.TypeLightUserData, nil
}

// frameProto returns the prototype of the Lua function running at f, decoded from its dump.
func frameProto(l *glua.State, f glua.Frame) *proto {
	glua.Info(l, "f", f)
	defer l.Pop(1)
	if !l.IsFunction(-1) || l.IsGoFunction(-1) {
		return nil
	}
	var cache map[uintptr]cachedProto
	fn := l.ToValue(-1)
	key := prototypeOf(fn)
	if s := Current(l); s != nil && key != 0 {
		cache = s.vm.protos
		if c, ok := cache[key]; ok {
			return c.p
		}
	}
	var b bytes.Buffer
	if l.Dump(&b) != nil {
		return nil
	}
	_, p, err := decodeChunk(b.Bytes())
	if err != nil {
		return nil
	}
	if cache != nil {
		if len(cache) >= maxCachedProtos {
			clear(cache)
		}
		cache[key] = cachedProto{fn: fn, p: p}
	}
	return p
}

// cachedProto is a decoded prototype and a closure of it, which keeps the prototype (whose
// address is the cache key) alive.
type cachedProto struct {
	fn any
	p  *proto
}

// prototypeOf returns the address of the prototype of the Lua closure fn (go-lua's private
// luaClosure.prototype, read with reflect as viewFrame reads frames), or 0 for an unknown
// layout. Closures of one function share it: a chunk's functions are decoded once, however
// many closures the requests make of them.
func prototypeOf(fn any) (addr uintptr) {
	defer func() {
		if recover() != nil {
			addr = 0
		}
	}()
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return 0
	}
	if p := v.Elem().FieldByName("prototype"); p.Kind() == reflect.Pointer && !p.IsNil() {
		return p.Pointer()
	}
	return 0
}

// maxCachedProtos bounds a VM's cache of decoded functions (vm.protos).
const maxCachedProtos = 256

// FuncName returns the name by which the Lua function that called the function at level knows
// it, found in the caller's bytecode as Lua's getfuncname finds it: kind is "global", "local",
// "method", "field", "upvalue", "constant", "metamethod" (name is then the event, "__index") or
// "for iterator". Both are "" when the caller is not a Lua function or names no function. Like
// LuaJIT, and unlike Lua 5.2, a function reached by a tail call is named as its caller's caller
// called the function it replaced, a Go function's tail call included (tailcall.go).
func FuncName(l *glua.State, level int) (kind, name string) {
	caller := level + 1
	for tailCalling(l, caller) {
		caller++
	}
	_, v, p, ok := luaFrame(l, caller, "")
	if !ok {
		return "", ""
	}
	return p.funcName(v.savedPC - 1)
}

var (
	typeErrorRE   = regexp.MustCompile(`^(.*?:\d+: )attempt to (index|call|perform arithmetic on|concatenate|get length of) (?:\w+ '.*' \(a (\w+) value\)|a (\w+) value)$`)
	argErrorRE    = regexp.MustCompile(`^(.*?:\d+: )(?:bad argument #(\d+) to '(.*?)'|calling '(.*?)' on bad self) \((.*)\)$`)
	compareTwoRE  = regexp.MustCompile(`attempt to compare two '(\w+)' values`)
	compareWithRE = regexp.MustCompile(`attempt to compare '(\w+)' with '(\w+)'`)
)

// luaMessage returns msg, the error message being raised in l, as Lua 5.2 words it. It never
// fails: a message it cannot place is returned as it is.
func luaMessage(l *glua.State, msg string) (fixed string) {
	top := l.Top()
	defer func() {
		if recover() != nil {
			l.SetTop(top)
			fixed = msg
		}
	}()
	switch {
	case strings.HasSuffix(msg, "loop in table"):
		return strings.TrimSuffix(msg, "table") + "gettable"
	case strings.HasSuffix(msg, "loop in setTable"):
		return strings.TrimSuffix(msg, "setTable") + "settable"
	case strings.Contains(msg, "attempt to compare "):
		msg = compareTwoRE.ReplaceAllString(msg, "attempt to compare two $1 values")
		return compareWithRE.ReplaceAllString(msg, "attempt to compare $1 with $2")
	}
	if m := typeErrorRE.FindStringSubmatch(msg); m != nil {
		if fixed, ok := typeErrorMessage(l, m[1], m[2], m[3]+m[4]); ok {
			return fixed
		}
	} else if m := argErrorRE.FindStringSubmatch(msg); m != nil {
		if fixed, ok := argErrorMessage(l, m); ok {
			return fixed
		}
	}
	return msg
}

// luaFrame returns the frame at level, its view and its prototype, when it runs a Lua function
// whose current position is where ("chunk:line: "); ok is false otherwise.
func luaFrame(l *glua.State, level int, where string) (f glua.Frame, v frameView, p *proto, ok bool) {
	f, ok = glua.Stack(l, level)
	if !ok {
		return
	}
	d, _ := glua.Info(l, "Sl", f)
	if d.What == "Go" || (where != "" && where != fmt.Sprintf("%s:%d: ", d.ShortSource, d.CurrentLine)) {
		return f, v, nil, false
	}
	if v, ok = viewFrame(f); !ok || v.savedPC < 1 {
		return f, v, nil, false
	}
	if p = frameProto(l, f); p == nil || v.savedPC > len(p.code) {
		return f, v, nil, false
	}
	return f, v, p, true
}

// typeErrorMessage words the type error "attempt to <op> ... (a <typ> value)" raised by the
// instruction the frame at level 1 is running.
func typeErrorMessage(l *glua.State, where, op, typ string) (string, bool) {
	_, v, p, ok := luaFrame(l, 1, where)
	if !ok {
		return "", false
	}
	pc := v.savedPC - 1
	kind, name, ok := badOperand(l, v, p, pc, op, typ)
	if !ok {
		return "", false
	}
	if kind == "" {
		return fmt.Sprintf("%sattempt to %s a %s value", where, op, typ), true
	}
	return fmt.Sprintf("%sattempt to %s %s '%s' (a %s value)", where, op, kind, name, typ), true
}

// badOperand finds the operand of the instruction at pc that the error is about, as Lua's
// varinfo names it; ok is false when the instruction cannot have raised the error, or the
// operand's type is not typ (the error came from a metamethod chain the frame cannot show).
func badOperand(l *glua.State, v frameView, p *proto, pc int, op, typ string) (kind, name string, ok bool) {
	i := p.code[pc]
	reg := -1
	switch code := opOf(i); {
	case op == "index" && code == opGetTabUp:
		return upvalueOperand(l, p, argB(i), typ)
	case op == "index" && code == opSetTabUp:
		return upvalueOperand(l, p, argA(i), typ)
	case op == "index" && (code == opGetTable || code == opSelf):
		reg = argB(i)
	case op == "index" && code == opSetTable:
		reg = argA(i)
	case op == "call" && (code == opCall || code == opTailCall):
		reg = argA(i)
	case op == "call" && code == opTForCall:
		reg = argA(i) + 3
	case op == "get length of" && code == opLen, op == "perform arithmetic on" && code == opUnm:
		reg = argB(i)
	case op == "perform arithmetic on" && code >= opAdd && code <= opPow:
		return arithOperand(l, v, p, pc, typ)
	case op == "concatenate" && code == opConcat:
		reg, ok = concatOperand(v, argB(i), argC(i))
		if !ok {
			return "", "", false
		}
	default:
		return "", "", false
	}
	if t, _ := v.reg(reg); typeName(t) != typ {
		return "", "", true // not the register's value: Lua names no variable
	}
	kind, name = p.objName(pc, reg)
	return kind, name, true
}

// typeName is Lua's name of a type.
func typeName(t glua.Type) string {
	if t == glua.TypeNone {
		return "userdata"
	}
	return t.String()
}

// upvalueOperand names upvalue u of the running function, after checking its type.
func upvalueOperand(l *glua.State, p *proto, u int, typ string) (string, string, bool) {
	f, _ := glua.Stack(l, 1)
	glua.Info(l, "f", f)
	_, ok := glua.UpValue(l, -1, u+1)
	same := ok && typeName(l.TypeOf(-1)) == typ
	if ok {
		l.Pop(1)
	}
	l.Pop(1)
	if !same {
		return "", "", true
	}
	return "upvalue", p.upvalName(u), true
}

// arithOperand picks the operand luaG_aritherror blames: the first one that is not a number
// (nor a string that converts to one); a constant has no name.
func arithOperand(l *glua.State, v frameView, p *proto, pc int, typ string) (string, string, bool) {
	i := p.code[pc]
	b, c := argB(i), argC(i)
	if opOf(i) == opUnm {
		c = b
	}
	bad := c
	if t, x := rkValue(v, p, b); !isNumeric(l, t, x) {
		bad = b
	}
	t, _ := rkValue(v, p, bad)
	if typeName(t) != typ {
		return "", "", false
	}
	if bad&rkConstant != 0 {
		return "", "", true
	}
	kind, name := p.objName(pc, bad)
	return kind, name, true
}

// rkValue returns the type and (for numbers and strings) value of RK operand x.
func rkValue(v frameView, p *proto, x int) (glua.Type, any) {
	if x&rkConstant == 0 {
		return v.reg(x)
	}
	k := x &^ rkConstant
	if k >= len(p.consts) {
		return glua.TypeNone, nil
	}
	switch c := p.consts[k]; c.kind {
	case 1:
		return glua.TypeBoolean, c.b
	case 3:
		return glua.TypeNumber, c.n
	case 4:
		return glua.TypeString, c.s
	}
	return glua.TypeNil, nil
}

// isNumeric reports whether a value converts to a number as the VM's arithmetic converts it.
func isNumeric(l *glua.State, t glua.Type, x any) bool {
	switch t {
	case glua.TypeNumber:
		return true
	case glua.TypeString:
		l.PushString(x.(string))
		_, ok := l.ToNumber(-1)
		l.Pop(1)
		return ok
	}
	return false
}

// concatOperand replays luaV_concat over the types of registers b..c to find the register
// luaG_concaterror blames. ok is false when a metamethod could have run before the failing
// pair (an operand other than strings and numbers to its right), whose results the frame
// no longer shows.
func concatOperand(v frameView, b, c int) (int, bool) {
	stringy := func(r int) bool {
		t, _ := v.reg(r)
		return t == glua.TypeString || t == glua.TypeNumber
	}
	top, total := c+1, c-b+1
	for total > 1 {
		if !stringy(top-2) || !stringy(top-1) {
			if stringy(top - 2) {
				return top - 1, true
			}
			return top - 2, true
		}
		n := 2
		for n < total && stringy(top-n-1) {
			n++
		}
		total -= n - 1
		top -= n - 1
	}
	return 0, false
}

// argErrorMessage words a "bad argument" error raised by the Go function at level 1 when a Lua
// function called it: the function is named as the caller knows it, and self is not counted
// in a method call. m is argErrorRE's match.
func argErrorMessage(l *glua.State, m []string) (string, bool) {
	where, extra := m[1], m[5]
	if f, ok := glua.Stack(l, 1); !ok {
		return "", false
	} else if d, _ := glua.Info(l, "S", f); d.What != "Go" {
		return "", false
	}
	_, v, p, ok := luaFrame(l, 2, where)
	if !ok {
		return "", false
	}
	n, name := 1, m[4]
	if m[2] != "" {
		n, _ = strconv.Atoi(m[2])
		name = m[3]
		if p.goLuaMethod(v.savedPC) {
			n++
		}
	}
	kind, callee := p.funcName(v.savedPC - 1)
	switch {
	case kind != "":
		name = callee
	case m[2] != "":
		name = globalFuncName(l)
	}
	if kind == "method" {
		if n--; n == 0 {
			return fmt.Sprintf("%scalling '%s' on bad self (%s)", where, name, extra), true
		}
	}
	return fmt.Sprintf("%sbad argument #%d to '%s' (%s)", where, n, name, extra), true
}

// globalFuncName is the name of the function at level 1 as Lua's pushglobalfuncname finds it in
// package.loaded ("string.rep", "_G.print"), or "?". Of several names, the first in sorted
// order is taken (Lua takes the first in its hash order).
func globalFuncName(l *glua.State) string {
	f, _ := glua.Stack(l, 1)
	glua.Info(l, "f", f)
	fn := l.Top()
	l.Field(glua.RegistryIndex, "_LOADED")
	defer l.SetTop(fn - 1)
	var found []string
	for _, mod := range stringKeys(l, fn+1) {
		l.Field(fn+1, mod)
		if l.RawEqual(-1, fn) {
			found = append(found, mod)
		} else if l.IsTable(-1) {
			t := l.Top()
			for _, k := range stringKeys(l, t) {
				l.Field(t, k)
				if l.RawEqual(-1, fn) {
					found = append(found, mod+"."+k)
				}
				l.Pop(1)
			}
		}
		l.Pop(1)
	}
	if len(found) == 0 {
		return "?"
	}
	return slices.Min(found)
}

// stringKeys returns the string keys of the table at t, sorted.
func stringKeys(l *glua.State, t int) []string {
	var keys []string
	l.PushNil()
	for l.Next(t) {
		if l.TypeOf(-2) == glua.TypeString {
			k, _ := l.ToString(-2)
			keys = append(keys, k)
		}
		l.Pop(1)
	}
	slices.Sort(keys)
	return keys
}
