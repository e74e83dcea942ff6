package lua

import (
	"errors"
	"slices"
)

// go-lua's CONCAT leaves the stack top at the end of its operands instead of restoring it to the
// frame's top (go-lua issue #50), so a metamethod called later in the same expression pushes its
// frame over live registers. The patcher follows every CONCAT A B C with a short sequence that
// puts the top back, using a register that CONCAT itself treats as dead (max(A+1, B) and above):
//
//	fixTop:   GETUPVAL d S; SETLIST d 1 1      S is a scratch table: SETLIST stores a nil into
//	                                           S[1] and then restores the top, without a call
//	fixCheck: GETUPVAL d S; MOVE d+1 A; CALL d 2 1   S is a Go function that also enforces
//	                                           MaxBytes on the result; a call restores the top
//	fallback: CLOSURE d E; CALL d 1 1          E is an empty function, used only where a
//	                                           prototype has no room for one more upvalue
//
// S reaches every prototype as one extra upvalue, appended to the prototypes that need it and
// chained from the main function, whose own slot the engine fills when it loads the chunk. The
// helpers of MOD and POW (arith.go) reach the code the same way.

// fixKind selects the instruction sequence inserted after each CONCAT.
type fixKind int

const (
	fixTop   fixKind = iota // restore the top only (scratch upvalue holds a table)
	fixCheck                // restore the top and cap the result (scratch upvalue holds a Go function)
)

// helper is a value that patched code reaches through an extra upvalue: the main function gets
// one upvalue per helper it or a nested function needs, in helper order, and nested functions
// chain to it.
type helper uint8

const (
	helperScratch helper = iota // CONCAT's scratch table or MaxBytes check (see fixKind)
	helperMod                   // Lua 5.2's modulo of two numbers (see arithSequence)
	helperPow                   // C's pow of two numbers (see arithSequence)
	helperNoCache               // a NaN that keeps CLOSURE from reusing a closure (see below)
	numHelpers
)

// helperOps is the opcode whose presence makes a function need each helper.
var helperOps = [numHelpers]int{helperScratch: opConcat, helperMod: opMod, helperPow: opPow,
	helperNoCache: opClosure}

// go-lua keeps Lua 5.2's closure cache: CLOSURE reuses the last closure made from a prototype
// when its upvalues are the same. It compares an upvalue still open on the stack by its stack
// index only, not by the go-lua state whose stack it is; a VM's States and coroutines share the
// prototypes, so a closure made by one request, whose upvalues are open while it waits, would be
// handed to another request's code running at the same stack depth, with the first request's
// locals (a light thread's or coroutine's too). The patcher gives every nested function one
// more upvalue, chained from the main function, which the loader fills with a NaN: the cache
// compares closed upvalues by value, and NaN equals nothing, so CLOSURE always makes a fresh
// closure, as LuaJIT does.

// helperSet is a set of helpers, bit h for helper h.
type helperSet uint8

func (hs helperSet) has(h helper) bool { return hs&(1<<h) != 0 }

// count is the number of helpers in the set: the number of upvalues they take.
func (hs helperSet) count() int {
	n := 0
	for h := range numHelpers {
		if hs.has(h) {
			n++
		}
	}
	return n
}

// slots maps each helper to its upvalue index in a function, or -1 when it has none.
type slots [numHelpers]int

func noSlots() slots { return slots{-1, -1, -1, -1} }

const maxUpvalues = 255

var errTooComplex = errors.New("function or expression too complex")

// patchChunk rewrites a dumped main function. With wrap, the result is a factory: a function of
// one argument (the environment) that returns a fresh closure of the main function; its upvalues
// are the helper slots (at least one). Without wrap, the main function keeps its _ENV upvalue
// first and gets the helper slots after its own upvalues. It returns the helpers the code uses,
// whose values the loader puts in the last upvalues of the loaded function, in helper order.
// last, when not 0, becomes the main function's last line (lastLine).
func patchChunk(dump []byte, kind fixKind, wrap bool, last int32) ([]byte, helperSet, error) {
	f, p, err := decodeChunk(dump)
	if err != nil {
		return nil, 0, err
	}
	if last > 0 {
		p.lastLineDefined = last
	}
	if err := checkRegisters(p); err != nil {
		return nil, 0, err
	}
	var used helperSet
	own, parent := noSlots(), 0
	for h := range numHelpers {
		if needs(p, h) {
			used |= 1 << h
			p.upvals = append(p.upvals, upvalDesc{instack: 0, idx: byte(parent)})
			own[h] = len(p.upvals) - 1
			parent++
		}
	}
	if err := patchProto(p, own, kind); err != nil {
		return nil, 0, err
	}
	if wrap {
		factory := &proto{
			params: 1, maxStack: 2,
			code:     []uint32{mkABx(opClosure, 1, 0), mkABC(opReturn, 1, 2, 0)},
			protos:   []*proto{p},
			source:   p.source,
			lineInfo: []int32{0, 0},
		}
		for range max(used.count(), 1) {
			factory.upvals = append(factory.upvals, upvalDesc{instack: 1, idx: 0})
		}
		p = factory
	}
	return encodeChunk(f, p), used, nil
}

// needs reports whether p or a function nested in it contains the opcode that needs h.
func needs(p *proto, h helper) bool {
	for _, i := range p.code {
		if opOf(i) == helperOps[h] {
			return true
		}
	}
	return slices.ContainsFunc(p.protos, func(q *proto) bool { return needs(q, h) })
}

// checkRegisters rejects code whose registers do not fit go-lua's dumped 8-bit frame size (go-lua
// compiles such functions without complaint and truncates them when dumping).
func checkRegisters(p *proto) error {
	for _, i := range p.code {
		switch op := opOf(i); op {
		case opJmp, opExtraArg, 8 /* SETTABUP: A is an upvalue */, 24, 25, 26 /* EQ LT LE: A is a flag */ :
		default:
			if argA(i) >= int(p.maxStack) {
				return errTooComplex
			}
		}
	}
	for _, q := range p.protos {
		if err := checkRegisters(q); err != nil {
			return err
		}
	}
	return nil
}

// patchProto patches p and the functions nested in it. own holds p's helper upvalues; a nested
// function that needs a helper gets an upvalue chained to p's. Where a function has no room
// left for the scratch upvalue, CONCAT uses the fallback sequence; MOD and POW have none.
func patchProto(p *proto, own slots, kind fixKind) error {
	for _, q := range p.protos {
		qs := noSlots()
		for h := range numHelpers {
			// Every nested function takes the NaN, which its own CLOSURE compares.
			if own[h] >= 0 && (needs(q, h) || h == helperNoCache) && len(q.upvals) < maxUpvalues {
				q.upvals = append(q.upvals, upvalDesc{instack: 0, idx: byte(own[h])})
				qs[h] = len(q.upvals) - 1
			}
		}
		if err := patchProto(q, qs, kind); err != nil {
			return err
		}
	}
	return rewriteCode(p, own, kind)
}

// fixSequence returns the instructions that follow the CONCAT i.
func fixSequence(p *proto, i uint32, scratch int, kind fixKind) ([]uint32, error) {
	d := max(argA(i)+1, argB(i))
	if d+2 > maxReg {
		return nil, errTooComplex
	}
	p.maxStack = max(p.maxStack, byte(d+2))
	switch {
	case scratch < 0:
		return []uint32{mkABx(opClosure, d, emptyProto(p)), mkABC(opCall, d, 1, 1)}, nil
	case kind == fixCheck:
		return []uint32{
			mkABC(opGetUpval, d, scratch, 0), mkABC(opMove, d+1, argA(i), 0), mkABC(opCall, d, 2, 1),
		}, nil
	default:
		return []uint32{mkABC(opGetUpval, d, scratch, 0), mkABC(opSetList, d, 1, 1)}, nil
	}
}

// emptyProto returns the index in p.protos of an empty function, adding one if needed.
func emptyProto(p *proto) int {
	for k, q := range p.protos {
		if len(q.code) == 1 && q.code[0] == mkABC(opReturn, 0, 1, 0) && len(q.upvals) == 0 && q.params == 0 {
			return k
		}
	}
	line := max(p.lineDefined, 1)
	p.protos = append(p.protos, &proto{
		lineDefined: line, lastLineDefined: line, maxStack: 2,
		code: []uint32{mkABC(opReturn, 0, 1, 0)}, source: p.source, lineInfo: []int32{line},
	})
	return len(p.protos) - 1
}

// rewriteCode inserts the fix sequences after CONCATs, replaces MODs and POWs by arithSequence,
// and moves
// jumps, line info and local variable ranges to match.
func rewriteCode(p *proto, own slots, kind fixKind) error {
	if !slices.ContainsFunc(p.code, func(i uint32) bool { op := opOf(i); return op == opConcat || op == opMod || op == opPow }) {
		return nil
	}
	newPC := make([]int32, len(p.code)+1)
	code := make([]uint32, 0, len(p.code)+8)
	lines := make([]int32, 0, cap(code))
	free := int(p.maxStack) // registers from here on are never used by p's own code
	for pc, i := range p.code {
		newPC[pc] = int32(len(code))
		var seq []uint32
		var err error
		switch opOf(i) {
		case opConcat:
			seq, err = fixSequence(p, i, own[helperScratch], kind)
			seq = append([]uint32{i}, seq...)
		case opMod:
			seq, err = arithSequence(p, i, own[helperMod], free)
		case opPow:
			seq, err = arithSequence(p, i, own[helperPow], free)
		default:
			seq = []uint32{i}
		}
		if err != nil {
			return err
		}
		for _, s := range seq {
			code = append(code, s)
			lines = append(lines, lineAt(p, pc))
		}
	}
	newPC[len(p.code)] = int32(len(code))
	for pc, i := range p.code {
		switch opOf(i) {
		case opJmp, opForLoop, opForPrep, opTForLoop:
			target := pc + 1 + argSBx(i)
			if target < 0 || target > len(p.code) {
				return errCorrupt
			}
			from := newPC[pc]
			code[from] = withSBx(i, int(newPC[target]-from-1))
		}
	}
	for k := range p.locals {
		p.locals[k].start = mapPC(newPC, p.locals[k].start)
		p.locals[k].end = mapPC(newPC, p.locals[k].end)
	}
	p.code = code
	if len(p.lineInfo) > 0 {
		p.lineInfo = lines
	}
	return nil
}

func lineAt(p *proto, pc int) int32 {
	if pc < len(p.lineInfo) {
		return p.lineInfo[pc]
	}
	return 0
}

func mapPC(newPC []int32, pc int32) int32 {
	if pc < 0 || int(pc) >= len(newPC) {
		return pc
	}
	return newPC[pc]
}
