package lua

import (
	glua "github.com/Shopify/go-lua"
)

// Config.Init runs once, in a template VM, as OpenResty runs init_by_lua in the master's VM
// before it forks the workers; each VM then starts from a copy of what Init left, as each
// worker starts from a copy-on-write image of the master. The template is walked twice: before
// Init, to learn where every library value is and what library tables hold (walkLibraries),
// and after, to record what Init changed and made (buildSnapshot). The snapshot is replayed into
// the root state of each new VM (snapshot.apply, initcopy.go). Values are copied as follows:
//
//   - nil, booleans, numbers, strings and light userdata: as they are;
//   - library values (tables, functions, userdata reachable before Init from the globals, the
//     registry, the string metatable or the engine's helpers): the new state's own value at
//     the same place; the fields and metatables Init changed in library tables are set there
//     too (except the registry's own fields: they are the Go libraries' per-state data);
//   - tables made by Init: new tables, with the same cycles and shared references;
//   - Lua functions made by Init: loaded again from their bytecode, with their upvalues copied
//     (upvalues shared between functions stay shared) and _ENV the new state's globals;
//   - Go functions made by Init: the same Go function (so the Go data it captured is shared by
//     all states and must be safe for concurrent use), its upvalues copied;
//   - userdata made by Init: a new userdata holding the same Go value (or, for a Copier, its
//     CopyForVM), its metatable copied;
//   - coroutines cannot be copied: NewEngine fails and names where one was left.
//
// go-lua's ToValue gives the Go payload of a userdata and nothing for a light userdata, so
// objects are kept and identified through Lua tables (workspace) rather than as Go values.

// workspace holds the Lua tables through which the template's objects are identified and
// reached, by small integers. Its fields are stack indexes in the template.
type workspace struct {
	s     *State
	l     *glua.State
	next  any // the standard library's next: linear, where go-lua's Next is quadratic
	pids  int // library object → its number in pristine (from 1)
	pvals int // number → library object
	pold  int // number → a shallow copy of what the library table held before Init
	nids  int // node object → its number (from 1)
	nvals int // number → node object
	carry int // number → light userdata value, kept in the snapshot
}

// newWorkspace pushes the workspace tables onto the template's stack.
func newWorkspace(s *State) *workspace {
	l := s.L
	w := &workspace{s: s, l: l, next: s.vm.next}
	for _, f := range []*int{&w.pids, &w.pvals, &w.pold, &w.nids, &w.nvals, &w.carry} {
		l.NewTable()
		*f = l.Top()
	}
	return w
}

// each calls f with the stack indexes of the key and value of every field of the table at t,
// in next's order. f must leave the stack as it found it.
func (w *workspace) each(t int, f func(k, v int) error) error {
	l := w.l
	l.PushNil()
	for {
		l.PushLightUserData(w.next)
		l.PushValue(t)
		l.PushValue(-3)
		l.Call(2, 2)
		l.Remove(-3)
		if l.IsNil(-2) {
			l.Pop(2)
			return nil
		}
		if err := f(l.Top()-1, l.Top()); err != nil {
			l.Pop(2)
			return err
		}
		l.Pop(1)
	}
}

// plain reports whether the value at i is copied as it is.
func plain(l *glua.State, i int) bool {
	switch l.TypeOf(i) {
	case glua.TypeNil, glua.TypeBoolean, glua.TypeNumber, glua.TypeString, glua.TypeLightUserData, glua.TypeNone:
		return true // go-lua types a light userdata as TypeNone
	}
	return false
}

// id returns the number under which the value at i is in the ids table at t, or 0.
func (w *workspace) id(t, i int) int {
	w.l.PushValue(i)
	w.l.RawGet(t)
	n, _ := w.l.ToInteger(-1)
	w.l.Pop(1)
	return n
}

// record stores the value at i as number n in the ids table at ids and the values table at vals.
func (w *workspace) record(ids, vals, i, n int) {
	l := w.l
	l.PushValue(i)
	l.PushInteger(n)
	l.RawSet(ids)
	l.PushValue(i)
	l.RawSetInt(vals, n)
}

// pristine is what the template held before Init: where each library object is (paths[n-1]
// for number n in the workspace) and, in the workspace, what each library table held.
type pristine struct {
	paths []*libPath
	metas []any // each library table's metatable before Init (nil for other objects)
}

// walkLibraries numbers every table, function, userdata and thread reachable from the roots,
// breadth first (so each gets its shortest path), and keeps a copy of every table's fields.
func (w *workspace) walkLibraries() *pristine {
	l := w.l
	pr := &pristine{}
	add := func(i int, p *libPath) {
		if !plain(l, i) && w.id(w.pids, i) == 0 {
			pr.paths = append(pr.paths, p)
			pr.metas = append(pr.metas, nil)
			w.record(w.pids, w.pvals, i, len(pr.paths))
		}
	}
	for r := 0; r < rootHelpers+int(numHelpers); r++ {
		if pushRoot(w.s, r) {
			add(l.Top(), &libPath{root: r})
			l.Pop(1)
		}
	}
	for n := 1; n <= len(pr.paths); n++ {
		p := pr.paths[n-1]
		l.RawGetInt(w.pvals, n)
		v := l.Top()
		switch l.TypeOf(v) {
		case glua.TypeTable:
			l.NewTable()
			old := l.Top()
			_ = w.each(v, func(k, x int) error {
				l.PushValue(k)
				l.PushValue(x)
				l.RawSet(old)
				if key := l.ToValue(k); isPathKey(key) {
					add(x, &libPath{parent: p, step: pathStep{key: key}})
				}
				return nil
			})
			l.RawSetInt(w.pold, n)
			if l.MetaTable(v) {
				pr.metas[n-1] = l.ToValue(-1)
				add(l.Top(), &libPath{parent: p, step: pathStep{meta: true}})
				l.Pop(1)
			}
		case glua.TypeFunction:
			for k := 1; ; k++ {
				if _, ok := glua.UpValue(l, v, k); !ok {
					break
				}
				add(l.Top(), &libPath{parent: p, step: pathStep{up: k}})
				l.Pop(1)
			}
		case glua.TypeUserData:
			if l.MetaTable(v) {
				add(l.Top(), &libPath{parent: p, step: pathStep{meta: true}})
				l.Pop(1)
			}
		}
		l.Pop(1)
	}
	return pr
}

// isPathKey reports whether a table key (as ToValue gives it) can be a step of a library path.
func isPathKey(k any) bool {
	switch k.(type) {
	case string, float64, bool:
		return true
	}
	return false
}
