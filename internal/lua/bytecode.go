package lua

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// This file reads and writes the binary chunks that go-lua's Dump produces and Load("b") accepts:
// Lua 5.2's format with go-lua's header (native byte order, size_t as wide as a pointer).

// Lua 5.2 opcodes used by the patcher (the order of lopcodes.h, which go-lua keeps).
const (
	opMove     = 0
	opLoadK    = 1
	opGetUpval = 5
	opMod      = 17
	opPow      = 18
	opConcat   = 22
	opJmp      = 23
	opTest     = 27
	opCall     = 29
	opReturn   = 31
	opForLoop  = 32
	opForPrep  = 33
	opTForLoop = 35
	opSetList  = 36
	opClosure  = 37
	opExtraArg = 39
)

// Instruction layout: op:6 A:8 C:9 B:9, Bx:18 over C and B, sBx biased by maxSBx.
const (
	maxSBx   = 1<<17 - 1
	headerSz = 18
	maxReg   = 255
	// rkConstant marks an RK operand (B or C) that names a constant rather than a register.
	rkConstant = 1 << 8
)

func opOf(i uint32) int   { return int(i & 0x3f) }
func argA(i uint32) int   { return int(i >> 6 & 0xff) }
func argB(i uint32) int   { return int(i >> 23 & 0x1ff) }
func argC(i uint32) int   { return int(i >> 14 & 0x1ff) }
func argBx(i uint32) int  { return int(i >> 14) }
func argSBx(i uint32) int { return argBx(i) - maxSBx }

func mkABC(op, a, b, c int) uint32 { return uint32(op) | uint32(a)<<6 | uint32(c)<<14 | uint32(b)<<23 }
func mkABx(op, a, bx int) uint32   { return uint32(op) | uint32(a)<<6 | uint32(bx)<<14 }
func withSBx(i uint32, sbx int) uint32 {
	return i&^(uint32(1<<18-1)<<14) | uint32(sbx+maxSBx)<<14
}

// constant is one entry of a prototype's constant table, kept as its type tag and raw payload.
type constant struct {
	kind byte    // 0 nil, 1 boolean, 3 number, 4 string (Lua type tags)
	b    bool    // boolean payload
	n    float64 // number payload
	s    string  // string payload
}

type upvalDesc struct {
	instack, idx byte
	name         string
}

type localVar struct {
	name       string
	start, end int32
}

// proto is one function prototype of a binary chunk.
type proto struct {
	lineDefined, lastLineDefined int32
	params, vararg, maxStack     byte
	code                         []uint32
	consts                       []constant
	protos                       []*proto
	upvals                       []upvalDesc
	source                       string
	lineInfo                     []int32
	locals                       []localVar
}

// chunkFormat is the header of a binary chunk and the byte order and size_t width it declares.
type chunkFormat struct {
	header [headerSz]byte
	order  byteOrder
	sizeT  int
}

type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

var errCorrupt = errors.New("corrupt binary chunk")

// reader decodes a binary chunk; the first error sticks and later reads return zero values.
type reader struct {
	buf []byte
	f   *chunkFormat
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.buf) {
		r.err = errCorrupt
		return make([]byte, max(n, 0))
	}
	b := r.buf[:n]
	r.buf = r.buf[n:]
	return b
}

func (r *reader) byte1() byte     { return r.take(1)[0] }
func (r *reader) int32() int32    { return int32(r.f.order.Uint32(r.take(4))) }
func (r *reader) count() int      { return r.checkedCount(int(r.int32())) }
func (r *reader) number() float64 { return math.Float64frombits(r.f.order.Uint64(r.take(8))) }

// checkedCount rejects a negative or impossible element count before anything is allocated.
func (r *reader) checkedCount(n int) int {
	if n < 0 || n > len(r.buf) {
		r.err = errCorrupt
		return 0
	}
	return n
}

func (r *reader) str() string {
	var n uint64
	if r.f.sizeT == 8 {
		n = r.f.order.Uint64(r.take(8))
	} else {
		n = uint64(r.f.order.Uint32(r.take(4)))
	}
	if n == 0 {
		return ""
	}
	if n > uint64(len(r.buf)) {
		r.err = errCorrupt
		return ""
	}
	b := r.take(int(n))
	return string(b[:len(b)-1])
}

// decodeChunk parses a binary chunk as go-lua's Dump writes it.
func decodeChunk(b []byte) (*chunkFormat, *proto, error) {
	if len(b) < headerSz || string(b[:4]) != "\x1bLua" {
		return nil, nil, errCorrupt
	}
	f := &chunkFormat{order: binary.BigEndian, sizeT: int(b[8])}
	copy(f.header[:], b[:headerSz])
	if b[6] == 1 {
		f.order = binary.LittleEndian
	}
	if (f.sizeT != 4 && f.sizeT != 8) || b[9] != 4 || b[10] != 8 {
		return nil, nil, errCorrupt
	}
	r := &reader{buf: b[headerSz:], f: f}
	p := r.function(0)
	if r.err == nil && len(r.buf) != 0 {
		r.err = errCorrupt
	}
	return f, p, r.err
}

func (r *reader) function(depth int) *proto {
	if depth > 200 {
		r.err = errCorrupt
		return &proto{}
	}
	p := &proto{lineDefined: r.int32(), lastLineDefined: r.int32()}
	p.params, p.vararg, p.maxStack = r.byte1(), r.byte1(), r.byte1()
	p.code = make([]uint32, r.checkedCount(int(r.int32())*4)/4)
	for i := range p.code {
		p.code[i] = uint32(r.int32())
	}
	p.consts = make([]constant, r.count())
	for i := range p.consts {
		p.consts[i] = r.constant()
	}
	p.protos = make([]*proto, r.count())
	for i := range p.protos {
		p.protos[i] = r.function(depth + 1)
	}
	p.upvals = make([]upvalDesc, r.count())
	for i := range p.upvals {
		p.upvals[i].instack, p.upvals[i].idx = r.byte1(), r.byte1()
	}
	p.source = r.str()
	p.lineInfo = make([]int32, r.checkedCount(int(r.int32())*4)/4)
	for i := range p.lineInfo {
		p.lineInfo[i] = r.int32()
	}
	p.locals = make([]localVar, r.count())
	for i := range p.locals {
		p.locals[i] = localVar{name: r.str(), start: r.int32(), end: r.int32()}
	}
	n := r.count()
	if n > len(p.upvals) {
		r.err = errCorrupt
		return p
	}
	for i := 0; i < n; i++ {
		p.upvals[i].name = r.str()
	}
	return p
}

func (r *reader) constant() constant {
	c := constant{kind: r.byte1()}
	switch c.kind {
	case 0:
	case 1:
		c.b = r.byte1() != 0
	case 3:
		c.n = r.number()
	case 4:
		c.s = r.str()
	default:
		r.err = fmt.Errorf("%w: constant type %d", errCorrupt, c.kind)
	}
	return c
}

// writer encodes a binary chunk in the format of f.
type writer struct {
	buf []byte
	f   *chunkFormat
}

func (w *writer) byte1(b byte)  { w.buf = append(w.buf, b) }
func (w *writer) int32(v int32) { w.buf = w.f.order.AppendUint32(w.buf, uint32(v)) }

func (w *writer) str(s string) {
	n := uint64(len(s))
	if n > 0 {
		n++
	}
	if w.f.sizeT == 8 {
		w.buf = w.f.order.AppendUint64(w.buf, n)
	} else {
		w.buf = w.f.order.AppendUint32(w.buf, uint32(n))
	}
	if n > 0 {
		w.buf = append(append(w.buf, s...), 0)
	}
}

// encodeChunk serializes p with the header of f.
func encodeChunk(f *chunkFormat, p *proto) []byte {
	w := &writer{f: f, buf: append([]byte(nil), f.header[:]...)}
	w.function(p)
	return w.buf
}

func (w *writer) function(p *proto) {
	w.int32(p.lineDefined)
	w.int32(p.lastLineDefined)
	w.byte1(p.params)
	w.byte1(p.vararg)
	w.byte1(p.maxStack)
	w.int32(int32(len(p.code)))
	for _, i := range p.code {
		w.int32(int32(i))
	}
	w.int32(int32(len(p.consts)))
	for _, c := range p.consts {
		w.constant(c)
	}
	w.int32(int32(len(p.protos)))
	for _, q := range p.protos {
		w.function(q)
	}
	w.int32(int32(len(p.upvals)))
	for _, u := range p.upvals {
		w.byte1(u.instack)
		w.byte1(u.idx)
	}
	w.str(p.source)
	w.int32(int32(len(p.lineInfo)))
	for _, l := range p.lineInfo {
		w.int32(l)
	}
	w.int32(int32(len(p.locals)))
	for _, v := range p.locals {
		w.str(v.name)
		w.int32(v.start)
		w.int32(v.end)
	}
	w.int32(int32(len(p.upvals)))
	for _, u := range p.upvals {
		w.str(u.name)
	}
}

func (w *writer) constant(c constant) {
	w.byte1(c.kind)
	switch c.kind {
	case 1:
		if c.b {
			w.byte1(1)
		} else {
			w.byte1(0)
		}
	case 3:
		w.buf = w.f.order.AppendUint64(w.buf, math.Float64bits(c.n))
	case 4:
		w.str(c.s)
	}
}
