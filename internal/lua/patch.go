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
// chained from the main function, whose own slot the engine fills when it loads the chunk.

// fixKind selects the instruction sequence inserted after each CONCAT.
type fixKind int

const (
	fixTop   fixKind = iota // restore the top only (scratch upvalue holds a table)
	fixCheck                // restore the top and cap the result (scratch upvalue holds a Go function)
)

const maxUpvalues = 255

var errTooComplex = errors.New("function or expression too complex")

// patchChunk rewrites a dumped main function. With wrap, the result is a factory: a function of
// one argument (the environment) that returns a fresh closure of the main function; its single
// upvalue is the scratch slot. Without wrap, the main function keeps its _ENV upvalue first and
// gets the scratch slot second when it needs one. It reports whether the scratch slot exists.
func patchChunk(dump []byte, kind fixKind, wrap bool) ([]byte, bool, error) {
	f, p, err := decodeChunk(dump)
	if err != nil {
		return nil, false, err
	}
	if err := checkRegisters(p); err != nil {
		return nil, false, err
	}
	scratch := -1
	if needsFix(p) {
		p.upvals = append(p.upvals, upvalDesc{instack: 0, idx: 0})
		scratch = len(p.upvals) - 1
	}
	if err := patchProto(p, scratch, kind); err != nil {
		return nil, false, err
	}
	if wrap {
		p = &proto{
			params: 1, maxStack: 2,
			code:     []uint32{mkABx(opClosure, 1, 0), mkABC(opReturn, 1, 2, 0)},
			protos:   []*proto{p},
			upvals:   []upvalDesc{{instack: 1, idx: 0}},
			source:   p.source,
			lineInfo: []int32{0, 0},
		}
	}
	return encodeChunk(f, p), scratch >= 0, nil
}

// needsFix reports whether p or a function nested in it contains a CONCAT.
func needsFix(p *proto) bool {
	for _, i := range p.code {
		if opOf(i) == opConcat {
			return true
		}
	}
	return slices.ContainsFunc(p.protos, needsFix)
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

// patchProto inserts the fix after every CONCAT of p and of the functions nested in it. scratch is
// the index of p's scratch upvalue, or -1 when p has none (then the fallback sequence is used).
func patchProto(p *proto, scratch int, kind fixKind) error {
	for _, q := range p.protos {
		qs := -1
		if scratch >= 0 && needsFix(q) && len(q.upvals) < maxUpvalues {
			q.upvals = append(q.upvals, upvalDesc{instack: 0, idx: byte(scratch)})
			qs = len(q.upvals) - 1
		}
		if err := patchProto(q, qs, kind); err != nil {
			return err
		}
	}
	return rewriteCode(p, scratch, kind)
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

// rewriteCode inserts the fix sequences into p.code and moves jumps, line info and local
// variable ranges to match.
func rewriteCode(p *proto, scratch int, kind fixKind) error {
	if !slices.ContainsFunc(p.code, func(i uint32) bool { return opOf(i) == opConcat }) {
		return nil
	}
	newPC := make([]int32, len(p.code)+1)
	code := make([]uint32, 0, len(p.code)+8)
	lines := make([]int32, 0, cap(code))
	for pc, i := range p.code {
		newPC[pc] = int32(len(code))
		code = append(code, i)
		lines = append(lines, lineAt(p, pc))
		if opOf(i) != opConcat {
			continue
		}
		seq, err := fixSequence(p, i, scratch, kind)
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
