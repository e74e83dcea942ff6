package lua

import (
	"context"

	glua "github.com/Shopify/go-lua"
)

// A Pin keeps a VM open for Lua work that runs on it later (ngx.timer): functions and tables
// belong to the VM that made them, so the work must run on a State of that VM. A pinned VM is
// not closed, even once retired or once the engine is closed, until every Pin is released.
type Pin struct {
	e *Engine
	v *vm
}

// Pin pins the State's VM.
func (s *State) Pin() *Pin {
	e := s.engine
	e.mu.Lock()
	s.vm.load++
	e.mu.Unlock()
	return &Pin{e: e, v: s.vm}
}

// Acquire returns a State of the pinned VM, for Release; it waits while MaxStates States are in
// use, as Engine.Acquire does.
func (p *Pin) Acquire(ctx context.Context) (*State, error) {
	e := p.e
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return p.v.attach(e), nil
}

// Release ends the pin. It must be called once.
func (p *Pin) Release() {
	e, v := p.e, p.v
	e.mu.Lock()
	v.load--
	closeVM := v.retired && v.load == 0 && !v.closed
	if closeVM {
		v.closed = true
	}
	e.mu.Unlock()
	if closeVM {
		v.close()
	}
}

// Call runs, as Exec runs a chunk, the function that push leaves on s.L's stack followed by
// nargs arguments; name names it in errors about limits. It returns what Exec returns.
func (s *State) Call(ctx context.Context, name string, push func(l *glua.State) (nargs int)) error {
	if s.broken {
		return errBrokenState
	}
	return s.holding(name, func() error { return s.call(ctx, name, 0, push) })
}

// CallResults is Call keeping the function's results: keep runs with them on top of l's stack
// (n of them) and the VM held; they are dropped after.
func (s *State) CallResults(ctx context.Context, name string, push func(l *glua.State) (nargs int),
	keep func(l *glua.State, n int)) error {
	if s.broken {
		return errBrokenState
	}
	return s.holding(name, func() error {
		l := s.L
		top := l.Top()
		if err := s.call(ctx, name, glua.MultipleReturns, push); err != nil {
			return err
		}
		keep(l, l.Top()-top)
		l.SetTop(top)
		return nil
	})
}

// Sibling returns another State of s's VM, for Release: a subrequest runs its Lua on the VM of
// its parent, whose tables (ngx.ctx) it may be given. It takes no MaxStates slot: s's stands
// for it, so that requests holding every slot can still finish their subrequests.
func (s *State) Sibling() *State {
	st := s.vm.attach(s.engine)
	st.slotless = true
	st.parent = s
	return st
}

// attach counts a new user of v, whose VM stays open meanwhile, and returns an idle State of
// it or a new one.
func (v *vm) attach(e *Engine) *State {
	e.mu.Lock()
	s := v.attachIdle()
	e.mu.Unlock()
	if s == nil {
		s = v.newRequestState()
	}
	return s
}
