package lua

import (
	"bytes"
	"context"
	"fmt"
	"maps"

	glua "github.com/Shopify/go-lua"
)

// runInit builds the template VM, runs Config.Init in it with the globals as _ENV and
// Config.InitData as State.Data, and returns the snapshot of what Init left. The template is
// closed afterwards: the engine's VMs are built from the snapshot.
func (e *Engine) runInit() (snap *snapshot, err error) {
	v, err := newVM(e, true, -1)
	if err != nil {
		return nil, err
	}
	defer v.close()
	s := v.root
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lua: init: %v", r)
		}
	}()
	w := newWorkspace(s)
	pr := w.walkLibraries()
	s.Data = e.cfg.InitData
	for _, c := range e.cfg.Init {
		if err := s.exec(context.Background(), c, 0, v.globals); err != nil {
			return nil, fmt.Errorf("lua: init: %w", err)
		}
	}
	s.Data = nil
	if snap, err = w.buildSnapshot(pr); err != nil {
		return nil, err
	}
	snap.modules = maps.Clone(v.fileModules)
	return snap, nil
}

// A Copier is a userdata payload that VMs must not share: each VM built from Init's snapshot
// gets CopyForVM's result in a new userdata, as each OpenResty worker gets its own copy of what
// init_by_lua made. Any other payload is shared by every VM, so it must be safe for concurrent
// use.
type Copier interface {
	CopyForVM() any
}

// copier replays a snapshot into a new state; anchor is a table on its stack that holds the
// library objects (from 1) and then the new objects.
type copier struct {
	snap          *snapshot
	l             *glua.State
	anchor, carry int
}

// push pushes the value r refers to.
func (c *copier) push(r ref) {
	switch r.kind {
	case refCarry:
		c.l.RawGetInt(c.carry, r.i)
	case refLib:
		c.l.RawGetInt(c.anchor, r.i+1)
	case refNode:
		c.l.RawGetInt(c.anchor, len(c.snap.libs)+r.i+1)
	default:
		c.l.PushLightUserData(r.v)
	}
}

// apply makes s, a state fresh from Setup, a copy of what Init left in the template.
func (snap *snapshot) apply(s *State) error {
	l := s.L
	top := l.Top()
	defer l.SetTop(top)
	l.CreateTable(len(snap.libs)+len(snap.nodes), 0)
	l.PushLightUserData(snap.carry)
	c := &copier{snap: snap, l: l, anchor: top + 1, carry: top + 2}
	for i, p := range snap.libs {
		if !p.push(s) || l.TypeOf(-1) != snap.libTypes[i] {
			return fmt.Errorf("lua: init: %s is not the same in a new state as in the template (Setup must build every VM alike)", p)
		}
		l.RawSetInt(c.anchor, i+1)
	}
	if err := c.create(); err != nil {
		return err
	}
	for i, n := range snap.nodes {
		c.push(ref{kind: refNode, i: i})
		c.fill(n)
		l.Pop(1)
	}
	for i, n := range snap.nodes {
		c.join(i, n)
	}
	for _, p := range snap.patches {
		c.push(ref{kind: refLib, i: p.table})
		if p.meta {
			c.push(p.val)
			l.SetMetaTable(-2)
		} else {
			c.push(p.key)
			c.push(p.val)
			l.RawSet(-3)
		}
		l.Pop(1)
	}
	if len(snap.modules) > 0 {
		s.vm.fileModules = maps.Clone(snap.modules)
	}
	return nil
}

// create makes the objects of the snapshot's nodes, empty, into the anchor.
func (c *copier) create() error {
	l := c.l
	for i, n := range c.snap.nodes {
		switch n.kind {
		case nodeTable:
			l.CreateTable(n.narr, len(n.keys)-n.narr)
		case nodeLua:
			if err := l.Load(bytes.NewReader(n.code), "=init", "b"); err != nil {
				msg, _ := l.ToString(-1)
				return fmt.Errorf("lua: init: reloading a function: %s", msg)
			}
		case nodeGo:
			for range n.ups {
				l.PushNil()
			}
			l.PushGoClosure(n.fn, uint8(len(n.ups)))
		case nodeUserData:
			if cp, ok := n.data.(Copier); ok {
				l.PushUserData(cp.CopyForVM())
			} else {
				l.PushUserData(n.data)
			}
		}
		l.RawSetInt(c.anchor, len(c.snap.libs)+i+1)
	}
	return nil
}

// fill sets the fields and metatable, or the upvalues that are not joined, of the object made
// for n, on the stack top.
func (c *copier) fill(n *node) {
	l := c.l
	for k, key := range n.keys {
		c.push(key)
		c.push(n.vals[k])
		l.RawSet(-3)
	}
	switch n.kind {
	case nodeTable, nodeUserData:
		if n.meta.kind != refPlain {
			c.push(n.meta)
			l.SetMetaTable(-2)
		}
	default:
		for k, u := range n.ups {
			if !u.join {
				c.push(u.v)
				glua.SetUpValue(l, -2, k+1)
			}
		}
	}
}

// join makes the joined upvalues of node i, a Lua function, the variables of the functions
// that own them.
func (c *copier) join(i int, n *node) {
	for k, u := range n.ups {
		if u.join {
			c.push(ref{kind: refNode, i: i})
			c.push(ref{kind: refNode, i: u.i})
			glua.UpValueJoin(c.l, -2, k+1, -1, u.n)
			c.l.Pop(2)
		}
	}
}
