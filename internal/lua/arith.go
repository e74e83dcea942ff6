package lua

import (
	"math"

	glua "github.com/Shopify/go-lua"
)

// go-lua's VM computes MOD of two numbers with math.Mod (C's fmod), so -7 % 3 is -1 where Lua
// 5.2 defines a - floor(a/b)*b (2), and POW with Go's math.Pow, whose results differ from C's pow
// (the sign of a NaN, the last bit). Their other paths (string coercion, __mod, __pow) and the
// compiler's constant folding are right. The patcher therefore replaces every MOD or POW A B C
// (op below) by
//
//	GETUPVAL d H; <B into d+1>; <C into d+2>; CALL d 3 2   H(b, c): the result, or false when
//	TEST d 1; JMP +1                                      b or c is not a number
//	op d B C                                              only then: coercion, metamethods,
//	MOVE A d                                              errors naming B and C as Lua does
//
// where d is above every register the function uses (its frame grows by three), <x into r> is a
// MOVE or LOADK, and H is the helperMod or helperPow upvalue.

// arithSequence returns the instructions that replace the MOD or POW i; h is the upvalue of its
// helper and d the first register p's own code never uses.
func arithSequence(p *proto, i uint32, h, d int) ([]uint32, error) {
	if h < 0 || d+3 > maxReg {
		return nil, errTooComplex
	}
	p.maxStack = max(p.maxStack, byte(d+3))
	return []uint32{
		mkABC(opGetUpval, d, h, 0),
		loadRK(d+1, argB(i)),
		loadRK(d+2, argC(i)),
		mkABC(opCall, d, 3, 2),
		mkABC(opTest, d, 0, 1),
		mkABx(opJmp, 0, maxSBx+1),
		mkABC(opOf(i), d, argB(i), argC(i)),
		mkABC(opMove, argA(i), d, 0),
	}, nil
}

// loadRK returns the instruction that copies the RK operand x (a register, or a constant when
// its bit 8 is set) into register r.
func loadRK(r, x int) uint32 {
	if x&rkConstant != 0 {
		return mkABx(opLoadK, r, x&^rkConstant)
	}
	return mkABC(opMove, r, x, 0)
}

// luaMod is the helperMod function: Lua 5.2's a - floor(a/b)*b for two numbers, false for
// anything else (the VM's MOD then handles it).
func luaMod(l *glua.State) int {
	if l.TypeOf(1) != glua.TypeNumber || l.TypeOf(2) != glua.TypeNumber {
		l.PushBoolean(false)
		return 1
	}
	a, _ := l.ToNumber(1)
	b, _ := l.ToNumber(2)
	l.PushNumber(mod(a, b))
	return 1
}

// newPowHelper returns the helperPow function: pow(b, c) for two numbers (the state's math.pow,
// so that 2^0.5 == math.pow(2, 0.5) as in C Lua), false for anything else.
func newPowHelper(pow glua.Function) glua.Function {
	return func(l *glua.State) int {
		if l.TypeOf(1) != glua.TypeNumber || l.TypeOf(2) != glua.TypeNumber {
			l.PushBoolean(false)
			return 1
		}
		return pow(l)
	}
}

// mod is Lua 5.2's luai_nummod. The explicit conversion keeps the product rounded on its own,
// as C computes it, where Go could otherwise fuse the multiply and the subtraction.
func mod(a, b float64) float64 {
	return a - float64(math.Floor(a/b)*b)
}
