package lua

// Lua 5.2 names the variable involved in a runtime error ("attempt to index field 'b' (a nil
// value)") by a symbolic execution of the function's bytecode up to the failing instruction
// (ldebug.c: getobjname, findsetreg, kname). go-lua looks for the bad value among the frame's
// registers by equality instead, so any nil register can be named. This file implements Lua
// 5.2.4's algorithm on decoded prototypes; errnames.go applies it.

// More Lua 5.2 opcodes, in the order of lopcodes.h.
const (
	opLoadKX    = 2
	opLoadNil   = 4
	opGetTabUp  = 6
	opGetTable  = 7
	opSetTabUp  = 8
	opSetUpval  = 9
	opSetTable  = 10
	opSelf      = 12
	opAdd       = 13
	opUnm       = 19
	opLen       = 21
	opLT        = 25
	opTailCall  = 30
	opTForCall  = 34
	opLastOpSet = 38
)

// setsA reports whether op writes register A (Lua 5.2's testAMode).
func setsA(op int) bool {
	switch op {
	case opSetTabUp, 9 /* SETUPVAL */, opSetTable, opJmp, 24, opLT, 26 /* EQ LT LE */, opTest,
		opReturn, opTForCall, opSetList, opExtraArg:
		return false
	}
	return op <= opLastOpSet
}

// localName is luaF_getlocalname: the name of the n-th (from 1) local variable active at pc.
func (p *proto) localName(n, pc int) (string, bool) {
	for _, v := range p.locals {
		if int(v.start) > pc {
			break
		}
		if pc < int(v.end) {
			if n--; n == 0 {
				return v.name, true
			}
		}
	}
	return "", false
}

// upvalName is the name of upvalue i, or "?".
func (p *proto) upvalName(i int) string {
	if i < len(p.upvals) && p.upvals[i].name != "" {
		return p.upvals[i].name
	}
	return "?"
}

// findSetReg returns the last instruction before lastPC that changed register reg, or -1.
func (p *proto) findSetReg(lastPC, reg int) int {
	setreg := -1
	for pc := 0; pc < lastPC && pc < len(p.code); pc++ {
		i := p.code[pc]
		op, a := opOf(i), argA(i)
		switch op {
		case opLoadNil:
			if a <= reg && reg <= a+argB(i) {
				setreg = pc
			}
		case opTForCall:
			if reg >= a+2 {
				setreg = pc
			}
		case opCall, opTailCall:
			if reg >= a {
				setreg = pc
			}
		case opJmp:
			if dest := pc + 1 + argSBx(i); pc < dest && dest <= lastPC {
				pc += argSBx(i)
			}
		case opTest:
			if reg == a {
				setreg = pc
			}
		default:
			if setsA(op) && reg == a {
				setreg = pc
			}
		}
	}
	return setreg
}

// objName is getobjname: the kind ("local", "global", "field", "upvalue", "constant",
// "method") and name of the value in register reg at pc, or "" when there is none.
func (p *proto) objName(lastPC, reg int) (kind, name string) {
	if name, ok := p.localName(reg+1, lastPC); ok {
		return "local", name
	}
	pc := p.findSetReg(lastPC, reg)
	if pc < 0 {
		return "", ""
	}
	i := p.code[pc]
	switch op := opOf(i); op {
	case opMove:
		if b := argB(i); b < argA(i) {
			return p.objName(pc, b)
		}
	case opGetTabUp, opGetTable:
		t := argB(i)
		var vn string
		if op == opGetTable {
			vn, _ = p.localName(t+1, pc)
		} else {
			vn = p.upvalName(t)
		}
		if vn == "_ENV" {
			return "global", p.kname(pc, argC(i))
		}
		return "field", p.kname(pc, argC(i))
	case opGetUpval:
		return "upvalue", p.upvalName(argB(i))
	case opLoadK, opLoadKX:
		b := argBx(i)
		if op == opLoadKX && pc+1 < len(p.code) {
			b = int(p.code[pc+1] >> 6)
		}
		if b < len(p.consts) && p.consts[b].kind == 4 {
			return "constant", p.consts[b].s
		}
	case opSelf:
		return "method", p.kname(pc, argC(i))
	}
	return "", ""
}

// kname is the name of the key c (an RK operand) of a table access: a string constant, a
// register holding one, or "?".
func (p *proto) kname(pc, c int) string {
	if c&rkConstant != 0 {
		if k := c &^ rkConstant; k < len(p.consts) && p.consts[k].kind == 4 {
			return p.consts[k].s
		}
		return "?"
	}
	if kind, name := p.objName(pc, c); kind == "constant" {
		return name
	}
	return "?"
}

// funcName is getfuncname for a function called by the instruction at pc of p (Lua 5.2's
// funcnamefromcode): the kind and name the caller knows it by, or "" when there is none.
func (p *proto) funcName(pc int) (kind, name string) {
	if pc < 0 || pc >= len(p.code) {
		return "", ""
	}
	i := p.code[pc]
	switch op := opOf(i); op {
	case opCall, opTailCall:
		return p.objName(pc, argA(i))
	case opTForCall:
		return "for iterator", "for iterator"
	default:
		if event, ok := metaEvents[op]; ok {
			return "metamethod", event
		}
	}
	return "", ""
}

// metaEvents names the metamethod an instruction may call.
var metaEvents = map[int]string{
	opSelf: "__index", opGetTabUp: "__index", opGetTable: "__index",
	opSetTabUp: "__newindex", opSetTable: "__newindex",
	24: "__eq", opAdd: "__add", 14: "__sub", 15: "__mul", 16: "__div", opMod: "__mod",
	opPow: "__pow", opUnm: "__unm", opLen: "__len", opLT: "__lt", 26: "__le", opConcat: "__concat",
}

// goLuaMethod reports whether go-lua's ArgumentError took the function called at savedPC-1 for a
// method: it looks at the instruction at savedPC instead (an off-by-one), with its own search
// for the register's last load (Lua 5.3's findsetreg). When it did, it counted the arguments
// without self.
func (p *proto) goLuaMethod(savedPC int) bool {
	if savedPC >= len(p.code) {
		return false
	}
	i := p.code[savedPC]
	if op := opOf(i); op != opCall && op != opTailCall {
		return false
	}
	return p.goLuaObjIsMethod(argA(i), savedPC)
}

func (p *proto) goLuaObjIsMethod(reg, lastPC int) bool {
	if _, ok := p.localName(reg+1, lastPC); ok {
		return false
	}
	pc := p.goLuaLastLoad(reg, lastPC)
	if pc < 0 {
		return false
	}
	switch i := p.code[pc]; opOf(i) {
	case opMove:
		if b := argB(i); b < argA(i) {
			return p.goLuaObjIsMethod(b, pc)
		}
	case opSelf:
		return true
	}
	return false
}

// goLuaLastLoad is go-lua's prototype.lastLoad.
func (p *proto) goLuaLastLoad(reg, lastPC int) int {
	load, jumpTarget := -1, 0
	for pc := 0; pc < lastPC && pc < len(p.code); pc++ {
		i := p.code[pc]
		op, a, maybe := opOf(i), argA(i), false
		switch op {
		case opLoadNil:
			maybe = a <= reg && reg <= a+argB(i)
		case opTForCall:
			maybe = reg >= a+2
		case opCall, opTailCall:
			maybe = reg >= a
		case opJmp:
			if dest := pc + 1 + argSBx(i); pc < dest && dest <= lastPC && dest > jumpTarget {
				jumpTarget = dest
			}
		case opTest:
			maybe = reg == a
		default:
			maybe = setsA(op) && reg == a
		}
		if maybe {
			if pc < jumpTarget {
				load = -1
			} else {
				load = pc
			}
		}
	}
	return load
}
