package lua

import (
	"bytes"
	"context"
	"fmt"
	"maps"

	glua "github.com/Shopify/go-lua"
)

// runInit builds the template state, runs Config.Init in it with the globals as _ENV and
// Config.InitData as State.Data, and returns the snapshot of what Init left. The template is
// closed afterwards: states are built from the snapshot.
func (e *Engine) runInit() (snap *snapshot, err error) {
	s, err := e.buildState()
	if err != nil {
		return nil, err
	}
	defer s.close()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lua: init: %v", r)
		}
	}()
	w := &tmplWalker{s: s, l: s.L, next: s.next}
	pr := w.walkLibraries()
	s.Data = e.cfg.InitData
	for _, c := range e.cfg.Init {
		if err := s.exec(context.Background(), c, 0, s.globals); err != nil {
			return nil, fmt.Errorf("lua: init: %w", err)
		}
	}
	s.Data = nil
	s.coros.killAll(s)
	snap, err = w.buildSnapshot(pr)
	if err != nil {
		return nil, err
	}
	snap.modules = maps.Clone(s.fileModules)
	return snap, nil
}

// apply makes s, a state fresh from Setup, a copy of what Init left in the template.
func (snap *snapshot) apply(s *State) error {
	l := s.L
	libs := make([]any, len(snap.libs))
	for i, p := range snap.libs {
		if !p.push(s) || l.TypeOf(-1) != snap.libTypes[i] {
			return fmt.Errorf("lua: init: %s is not the same in a new state as in the template (Setup must build every state alike)", p)
		}
		libs[i] = l.ToValue(-1)
		l.Pop(1)
	}
	objs, err := snap.create(l)
	if err != nil {
		return err
	}
	value := func(r ref) any {
		switch r.kind {
		case refLib:
			return libs[r.i]
		case refNode:
			return objs[r.i]
		}
		return r.v
	}
	for i, n := range snap.nodes {
		n.fill(l, objs[i], value)
	}
	for i, n := range snap.nodes {
		n.join(l, objs, objs[i])
	}
	for _, p := range snap.patches {
		l.PushLightUserData(libs[p.table])
		l.PushLightUserData(value(p.val))
		if p.meta {
			l.SetMetaTable(-2)
		} else {
			l.PushLightUserData(value(p.key))
			l.Insert(-2)
			l.RawSet(-3)
		}
		l.Pop(1)
	}
	if len(snap.modules) > 0 {
		s.fileModules = maps.Clone(snap.modules)
	}
	return nil
}

// create makes the objects of the snapshot's nodes in l, empty.
func (snap *snapshot) create(l *glua.State) ([]any, error) {
	objs := make([]any, len(snap.nodes))
	for i, n := range snap.nodes {
		switch n.kind {
		case nodeTable:
			l.CreateTable(n.narr, len(n.keys)-n.narr)
		case nodeLua:
			if err := l.Load(bytes.NewReader(n.code), "=init", "b"); err != nil {
				msg, _ := l.ToString(-1)
				l.Pop(1)
				return nil, fmt.Errorf("lua: init: reloading a function: %s", msg)
			}
		case nodeGo:
			for range n.ups {
				l.PushNil()
			}
			l.PushGoClosure(n.fn, uint8(len(n.ups)))
		case nodeUserData:
			l.PushUserData(n.data)
		}
		objs[i] = l.ToValue(-1)
		l.Pop(1)
	}
	return objs, nil
}

// fill sets the fields and metatable, or the upvalues that are not joined, of obj, the object
// made for n.
func (n *node) fill(l *glua.State, obj any, value func(ref) any) {
	l.PushLightUserData(obj)
	defer l.Pop(1)
	for k, key := range n.keys {
		l.PushLightUserData(value(key))
		l.PushLightUserData(value(n.vals[k]))
		l.RawSet(-3)
	}
	if n.kind == nodeTable || n.kind == nodeUserData {
		if mt := value(n.meta); mt != nil {
			l.PushLightUserData(mt)
			l.SetMetaTable(-2)
		}
		return
	}
	for k, u := range n.ups {
		if !u.join {
			l.PushLightUserData(value(u.v))
			glua.SetUpValue(l, -2, k+1)
		}
	}
}

// join makes the joined upvalues of obj, the Lua function made for n, the variables of the
// functions that own them.
func (n *node) join(l *glua.State, objs []any, obj any) {
	for k, u := range n.ups {
		if u.join {
			l.PushLightUserData(obj)
			l.PushLightUserData(objs[u.i])
			glua.UpValueJoin(l, -2, k+1, -1, u.n)
			l.Pop(2)
		}
	}
}
