package lua

import (
	"bytes"
	"fmt"

	glua "github.com/Shopify/go-lua"
)

// Config.Init runs once, in a template state, as OpenResty runs init_by_lua in the master's VM
// before it forks the workers; each state then starts from a copy of what Init left, as each
// worker starts from a copy-on-write image of the master. The template is walked twice: before
// Init, to learn where every library value is (walkLibraries), and after, to record what Init
// changed and made (buildSnapshot). The snapshot is then replayed into each new state
// (snapshot.apply, initcopy.go). Values are copied as follows:
//
//   - nil, booleans, numbers, strings and light userdata: as they are;
//   - library values (tables, functions, userdata reachable before Init from the globals, the
//     registry, the string metatable, the engine's helpers): the new state's own value at the
//     same place; the fields and metatables Init changed in library tables are set there too
//     (the registry's own fields excepted: they are the Go libraries' per-state data);
//   - tables made by Init: new tables, with the same cycles and shared references;
//   - Lua functions made by Init: loaded again from their bytecode, with their upvalues copied
//     (upvalues shared between functions stay shared) and _ENV the new state's globals;
//   - Go functions made by Init: the same Go function (so the Go data it captured is shared by
//     all states and must be safe for concurrent use), its upvalues copied;
//   - userdata made by Init: a new userdata holding the same Go value, its metatable copied;
//   - coroutines cannot be copied: NewEngine fails and names where one was left.

// pristine is what a template held before Init: where each library value is, and the fields
// and metatable of each library table.
type pristine struct {
	paths  map[any]*libPath
	tables map[any]*tableState
	// registry is the registry table, whose own fields are not copied.
	registry any
}

type tableState struct {
	fields map[any]any
	meta   any
}

// walker of the template: iteration through the standard library's next, which is linear
// where go-lua's Next is quadratic in the size of a table's hash part.
type tmplWalker struct {
	s    *State
	l    *glua.State
	next any
}

// each calls f with every field of table t (raw), in next's order.
func (w *tmplWalker) each(t any, f func(k, v any) error) error {
	l := w.l
	var k any
	for {
		l.PushLightUserData(w.next)
		l.PushLightUserData(t)
		l.PushLightUserData(k)
		l.Call(2, 2)
		if l.IsNil(-2) {
			l.Pop(2)
			return nil
		}
		var v any
		k, v = l.ToValue(-2), l.ToValue(-1)
		l.Pop(2)
		if err := f(k, v); err != nil {
			return err
		}
	}
}

// metatable returns the raw metatable of v, or nil.
func (w *tmplWalker) metatable(v any) any {
	l := w.l
	l.PushLightUserData(v)
	defer l.SetTop(l.Top() - 1)
	if !l.MetaTable(-1) {
		return nil
	}
	mt := l.ToValue(-1)
	l.Pop(1)
	return mt
}

// upvalues returns the upvalues of function v.
func (w *tmplWalker) upvalues(v any) []any {
	l := w.l
	l.PushLightUserData(v)
	var ups []any
	for n := 1; ; n++ {
		if _, ok := glua.UpValue(l, -1, n); !ok {
			break
		}
		ups = append(ups, l.ToValue(-1))
		l.Pop(1)
	}
	l.Pop(1)
	return ups
}

func (w *tmplWalker) typeOf(v any) glua.Type {
	w.l.PushLightUserData(v)
	t := w.l.TypeOf(-1)
	w.l.Pop(1)
	return t
}

// walkLibraries records where every table, function, userdata and thread reachable from the
// roots is, breadth first (so each gets its shortest path), and the contents of every table.
func (w *tmplWalker) walkLibraries() *pristine {
	pr := &pristine{paths: map[any]*libPath{}, tables: map[any]*tableState{}}
	var queue []any
	add := func(v any, p *libPath) {
		if _, seen := pr.paths[v]; !seen && !isPlain(w.l, v) {
			pr.paths[v] = p
			queue = append(queue, v)
		}
	}
	for r := 0; r < rootHelpers+int(numHelpers); r++ {
		if pushRoot(w.s, r) {
			v := w.l.ToValue(-1)
			w.l.Pop(1)
			if r == rootRegistry {
				pr.registry = v
			}
			add(v, &libPath{root: r})
		}
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		p := pr.paths[v]
		switch w.typeOf(v) {
		case glua.TypeTable:
			ts := &tableState{fields: map[any]any{}, meta: w.metatable(v)}
			pr.tables[v] = ts
			_ = w.each(v, func(k, x any) error {
				ts.fields[k] = x
				if isPathKey(k) {
					add(x, &libPath{parent: p, step: pathStep{key: k}})
				}
				return nil
			})
			if ts.meta != nil {
				add(ts.meta, &libPath{parent: p, step: pathStep{meta: true}})
			}
		case glua.TypeFunction:
			for i, u := range w.upvalues(v) {
				add(u, &libPath{parent: p, step: pathStep{up: i + 1}})
			}
		case glua.TypeUserData:
			if mt := w.metatable(v); mt != nil {
				add(mt, &libPath{parent: p, step: pathStep{meta: true}})
			}
		}
	}
	return pr
}

// snapshot is what Init left, ready to be replayed into new states.
type snapshot struct {
	libs     []*libPath
	libTypes []glua.Type
	nodes    []*node
	patches  []patch
	modules  map[string]*Chunk
}

type refKind uint8

const (
	refPlain refKind = iota // v itself
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
	*tmplWalker
	pr      *pristine
	snap    *snapshot
	libIdx  map[any]int
	nodeIdx map[any]int
	objs    []any    // the template's object of each node
	labels  []string // where each node was found, for errors
	queue   []int
	cells   map[any][2]int // an upvalue's identity → the function node and index that own it
	codes   map[string][]byte
}

// buildSnapshot records what Init changed and made in the template.
func (w *tmplWalker) buildSnapshot(pr *pristine) (*snapshot, error) {
	b := &builder{
		tmplWalker: w, pr: pr, snap: &snapshot{},
		libIdx: map[any]int{}, nodeIdx: map[any]int{}, cells: map[any][2]int{}, codes: map[string][]byte{},
	}
	for t, before := range pr.tables {
		if t == pr.registry {
			continue
		}
		if err := b.diff(t, before); err != nil {
			return nil, err
		}
	}
	for len(b.queue) > 0 {
		i := b.queue[0]
		b.queue = b.queue[1:]
		if err := b.fill(i); err != nil {
			return nil, err
		}
	}
	return b.snap, nil
}

// diff records the changes Init made to library table t.
func (b *builder) diff(t any, before *tableState) error {
	table := b.lib(t)
	where := b.pr.paths[t].String()
	seen := map[any]bool{}
	err := b.each(t, func(k, v any) error {
		seen[k] = true
		if old, ok := before.fields[k]; ok && identical(old, v) {
			return nil
		}
		key, err := b.ref(k, where+"[key]")
		if err != nil {
			return err
		}
		val, err := b.ref(v, where+keyString(k))
		if err != nil {
			return err
		}
		b.snap.patches = append(b.snap.patches, patch{table: table, key: key, val: val})
		return nil
	})
	if err != nil {
		return err
	}
	for k := range before.fields {
		if !seen[k] {
			key, err := b.ref(k, where+"[key]")
			if err != nil {
				return err
			}
			b.snap.patches = append(b.snap.patches, patch{table: table, key: key})
		}
	}
	if mt := b.metatable(t); !identical(mt, before.meta) {
		val, err := b.ref(mt, where+"'s metatable")
		if err != nil {
			return err
		}
		b.snap.patches = append(b.snap.patches, patch{table: table, meta: true, val: val})
	}
	return nil
}

// lib returns the index of library value v in the snapshot's libs.
func (b *builder) lib(v any) int {
	if i, ok := b.libIdx[v]; ok {
		return i
	}
	i := len(b.snap.libs)
	b.libIdx[v] = i
	b.snap.libs = append(b.snap.libs, b.pr.paths[v])
	b.snap.libTypes = append(b.snap.libTypes, b.typeOf(v))
	return i
}

// ref returns the snapshot's reference to v, found at where, queueing a node for an object
// made by Init.
func (b *builder) ref(v any, where string) (ref, error) {
	if isPlain(b.l, v) {
		return ref{v: v}, nil
	}
	if _, ok := b.pr.paths[v]; ok {
		return ref{kind: refLib, i: b.lib(v)}, nil
	}
	if i, ok := b.nodeIdx[v]; ok {
		return ref{kind: refNode, i: i}, nil
	}
	n := &node{}
	b.l.PushLightUserData(v)
	switch b.l.TypeOf(-1) {
	case glua.TypeTable:
		n.kind = nodeTable
	case glua.TypeFunction:
		n.kind = nodeLua
		if b.l.IsGoFunction(-1) {
			if _, ok := glua.UpValue(b.l, -1, 1); !ok {
				b.l.Pop(1)
				return ref{v: v}, nil // a Go function without upvalues holds no Lua state
			}
			b.l.Pop(1)
			n.kind, n.fn = nodeGo, b.l.ToGoFunction(-1)
		}
	case glua.TypeUserData:
		n.kind, n.data = nodeUserData, b.l.ToUserData(-1)
	default:
		kind := glua.TypeNameOf(b.l, -1)
		if kind == "thread" {
			kind = "coroutine"
		}
		b.l.Pop(1)
		return ref{}, fmt.Errorf("lua: init left a %s in %s, which cannot be copied into new states", kind, where)
	}
	b.l.Pop(1)
	i := len(b.snap.nodes)
	b.nodeIdx[v] = i
	b.objs = append(b.objs, v)
	b.snap.nodes = append(b.snap.nodes, n)
	b.labels = append(b.labels, where)
	b.queue = append(b.queue, i)
	return ref{kind: refNode, i: i}, nil
}

// fill records the contents of node i: fields and metatable, or code and upvalues.
func (b *builder) fill(i int) error {
	v, n, where := b.objs[i], b.snap.nodes[i], b.labels[i]
	switch n.kind {
	case nodeTable:
		err := b.each(v, func(k, x any) error {
			key, err := b.ref(k, where+"[key]")
			if err != nil {
				return err
			}
			val, err := b.ref(x, where+keyString(k))
			if err != nil {
				return err
			}
			if f, ok := k.(float64); ok && f == float64(n.narr+1) {
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

func (b *builder) fillMeta(n *node, v any, where string) error {
	var err error
	n.meta, err = b.ref(b.metatable(v), where+"'s metatable")
	return err
}

// dump records the bytecode of Lua function v (shared between functions of the same code).
func (b *builder) dump(n *node, v any) error {
	var buf bytes.Buffer
	b.l.PushLightUserData(v)
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

// fillUpvalues records the upvalues of function node i: Lua functions that share a variable
// are joined.
func (b *builder) fillUpvalues(i int, n *node, v any, where string) error {
	l := b.l
	l.PushLightUserData(v)
	defer l.Pop(1)
	for k := 1; ; k++ {
		name, ok := glua.UpValue(l, -1, k)
		if !ok {
			return nil
		}
		x := l.ToValue(-1)
		l.Pop(1)
		if n.kind == nodeLua {
			id := glua.UpValueId(l, -1, k)
			if owner, ok := b.cells[id]; ok {
				n.ups = append(n.ups, upval{join: true, i: owner[0], n: owner[1]})
				continue
			}
			b.cells[id] = [2]int{i, k}
		}
		if name == "" {
			name = fmt.Sprint(k)
		}
		r, err := b.ref(x, fmt.Sprintf("upvalue '%s' of %s", name, where))
		if err != nil {
			return err
		}
		n.ups = append(n.ups, upval{v: r})
	}
}
