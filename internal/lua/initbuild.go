package lua

import (
	"bytes"
	"fmt"

	glua "github.com/Shopify/go-lua"
)

// snapshot is what Init left in the template, ready to be replayed into new states. It is
// immutable and shared by the states being built.
type snapshot struct {
	libs     []*libPath  // library objects the copy refers to, found in each new state
	libTypes []glua.Type // their types, checked in each new state
	nodes    []*node
	patches  []patch
	// carry is a table (of the template) that holds the light userdata values the copy
	// refers to; new states only read it.
	carry   any
	modules map[string]*Chunk
}

type refKind uint8

const (
	refPlain refKind = iota // v itself: nil, a boolean, number, string, or a Go function
	refCarry                // carry[i]
	refLib                  // libs[i] in the new state
	refNode                 // nodes[i] in the new state
)

// ref is a value of the snapshot.
type ref struct {
	kind refKind
	v    any
	i    int
}

type nodeKind uint8

const (
	nodeTable nodeKind = iota
	nodeLua
	nodeGo
	nodeUserData
)

// node is a table, function or userdata that Init made.
type node struct {
	kind       nodeKind
	keys, vals []ref // table fields
	narr       int   // how many fields have keys 1..n (a size hint)
	meta       ref   // table and userdata
	code       []byte
	fn         glua.Function
	data       any
	ups        []upval
}

// upval is one upvalue of a function node: a value, or (join) the same variable as upvalue n
// of function node i.
type upval struct {
	v    ref
	join bool
	i, n int
}

// patch is a change Init made to a library table: field key set to val, or (meta) the metatable.
type patch struct {
	table    int
	key, val ref
	meta     bool
}

// builder records the snapshot of a template after Init.
type builder struct {
	*workspace
	pr     *pristine
	snap   *snapshot
	libIdx map[int]int // pristine number → index in snap.libs
	labels []string    // where each node was found, for errors
	cells  map[any][2]int
	codes  map[string][]byte
	ncarry int
}

// buildSnapshot records what Init changed and made in the template.
func (w *workspace) buildSnapshot(pr *pristine) (*snapshot, error) {
	b := &builder{
		workspace: w, pr: pr, snap: &snapshot{},
		libIdx: map[int]int{}, cells: map[any][2]int{}, codes: map[string][]byte{},
	}
	b.snap.carry = w.l.ToValue(w.carry)
	for n, p := range pr.paths {
		if p.parent == nil && p.root == rootRegistry {
			continue
		}
		if err := b.diff(n + 1); err != nil {
			return nil, err
		}
	}
	for i := 0; i < len(b.snap.nodes); i++ {
		if err := b.fill(i); err != nil {
			return nil, err
		}
	}
	return b.snap, nil
}

// diff records the changes Init made to library object n, when it is a table.
func (b *builder) diff(n int) error {
	l := b.l
	top := l.Top()
	defer l.SetTop(top)
	l.RawGetInt(b.pvals, n)
	t := l.Top()
	if !l.IsTable(t) {
		return nil
	}
	l.RawGetInt(b.pold, n)
	old := l.Top()
	where := b.pr.paths[n-1].String()
	add := func(k, v int) error {
		key, err := b.ref(k, where+"[key]")
		if err != nil {
			return err
		}
		val := ref{}
		if v != 0 {
			if val, err = b.ref(v, where+keyString(l.ToValue(k))); err != nil {
				return err
			}
		}
		b.snap.patches = append(b.snap.patches, patch{table: b.lib(n), key: key, val: val})
		return nil
	}
	err := b.each(t, func(k, v int) error {
		l.PushValue(k)
		l.RawGet(old)
		same := l.RawEqual(-1, v)
		l.Pop(1)
		if same {
			return nil
		}
		return add(k, v)
	})
	if err == nil {
		err = b.each(old, func(k, _ int) error {
			l.PushValue(k)
			l.RawGet(t)
			gone := l.IsNil(-1)
			l.Pop(1)
			if gone {
				return add(k, 0)
			}
			return nil
		})
	}
	if err != nil {
		return err
	}
	return b.diffMeta(n, t, where)
}

// diffMeta records a change Init made to the metatable of library table n, at t.
func (b *builder) diffMeta(n, t int, where string) error {
	l := b.l
	if !l.MetaTable(t) {
		l.PushNil()
	}
	defer l.Pop(1)
	if l.ToValue(-1) == b.pr.metas[n-1] {
		return nil
	}
	val, err := b.ref(l.Top(), where+"'s metatable")
	if err == nil {
		b.snap.patches = append(b.snap.patches, patch{table: b.lib(n), meta: true, val: val})
	}
	return err
}

// lib returns the index in snap.libs of library object n.
func (b *builder) lib(n int) int {
	if i, ok := b.libIdx[n]; ok {
		return i
	}
	i := len(b.snap.libs)
	b.libIdx[n] = i
	b.l.RawGetInt(b.pvals, n)
	b.snap.libs = append(b.snap.libs, b.pr.paths[n-1])
	b.snap.libTypes = append(b.snap.libTypes, b.l.TypeOf(-1))
	b.l.Pop(1)
	return i
}

// ref returns the snapshot's reference to the value at stack index i, found at where; an
// object Init made becomes a node, filled later.
func (b *builder) ref(i int, where string) (ref, error) {
	l := b.l
	switch t := l.TypeOf(i); {
	case t == glua.TypeLightUserData || t == glua.TypeNone:
		b.ncarry++
		l.PushValue(i)
		l.RawSetInt(b.carry, b.ncarry)
		return ref{kind: refCarry, i: b.ncarry}, nil
	case plain(l, i):
		return ref{v: l.ToValue(i)}, nil
	}
	if n := b.id(b.pids, i); n > 0 {
		return ref{kind: refLib, i: b.lib(n)}, nil
	}
	if n := b.id(b.nids, i); n > 0 {
		return ref{kind: refNode, i: n - 1}, nil
	}
	nd := &node{}
	switch l.TypeOf(i) {
	case glua.TypeTable:
		nd.kind = nodeTable
	case glua.TypeUserData:
		nd.kind, nd.data = nodeUserData, l.ToUserData(i)
	case glua.TypeFunction:
		nd.kind = nodeLua
		if l.IsGoFunction(i) {
			if _, ok := glua.UpValue(l, i, 1); !ok {
				return ref{v: l.ToValue(i)}, nil // a Go function without upvalues holds no Lua state
			}
			l.Pop(1)
			nd.kind, nd.fn = nodeGo, l.ToGoFunction(i)
		}
	default:
		return ref{}, fmt.Errorf("lua: init left a coroutine in %s, which cannot be copied into new states", where)
	}
	b.snap.nodes = append(b.snap.nodes, nd)
	b.labels = append(b.labels, where)
	b.record(b.nids, b.nvals, i, len(b.snap.nodes))
	return ref{kind: refNode, i: len(b.snap.nodes) - 1}, nil
}

// fill records the contents of node i: fields and metatable, or code and upvalues.
func (b *builder) fill(i int) error {
	l := b.l
	top := l.Top()
	defer l.SetTop(top)
	l.RawGetInt(b.nvals, i+1)
	v := l.Top()
	n, where := b.snap.nodes[i], b.labels[i]
	switch n.kind {
	case nodeTable:
		err := b.each(v, func(k, x int) error {
			key, err := b.ref(k, where+"[key]")
			if err != nil {
				return err
			}
			val, err := b.ref(x, where+keyString(l.ToValue(k)))
			if err != nil {
				return err
			}
			if f, ok := l.ToValue(k).(float64); ok && f == float64(n.narr+1) {
				n.narr++
			}
			n.keys, n.vals = append(n.keys, key), append(n.vals, val)
			return nil
		})
		if err != nil {
			return err
		}
		return b.fillMeta(n, v, where)
	case nodeUserData:
		return b.fillMeta(n, v, where)
	case nodeLua:
		if err := b.dump(n, v); err != nil {
			return fmt.Errorf("lua: init: copying %s: %w", where, err)
		}
	}
	return b.fillUpvalues(i, n, v, where)
}

func (b *builder) fillMeta(n *node, v int, where string) error {
	if !b.l.MetaTable(v) {
		return nil
	}
	var err error
	n.meta, err = b.ref(b.l.Top(), where+"'s metatable")
	b.l.Pop(1)
	return err
}

// dump records the bytecode of the Lua function at v (shared by functions of the same code).
func (b *builder) dump(n *node, v int) error {
	var buf bytes.Buffer
	b.l.PushValue(v)
	err := b.l.Dump(&buf)
	b.l.Pop(1)
	if err != nil {
		return err
	}
	code, ok := b.codes[buf.String()]
	if !ok {
		code = buf.Bytes()
		b.codes[buf.String()] = code
	}
	n.code = code
	return nil
}

// fillUpvalues records the upvalues of function node i, at v: Lua functions that share a
// variable are joined.
func (b *builder) fillUpvalues(i int, n *node, v int, where string) error {
	l := b.l
	for k := 1; ; k++ {
		name, ok := glua.UpValue(l, v, k)
		if !ok {
			return nil
		}
		if n.kind == nodeLua {
			id := glua.UpValueId(l, v, k)
			if owner, ok := b.cells[id]; ok {
				l.Pop(1)
				n.ups = append(n.ups, upval{join: true, i: owner[0], n: owner[1]})
				continue
			}
			b.cells[id] = [2]int{i, k}
		}
		if name == "" {
			name = fmt.Sprint(k)
		}
		r, err := b.ref(l.Top(), fmt.Sprintf("upvalue '%s' of %s", name, where))
		l.Pop(1)
		if err != nil {
			return err
		}
		n.ups = append(n.ups, upval{v: r})
	}
}
