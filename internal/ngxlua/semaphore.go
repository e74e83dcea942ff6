package ngxlua

import (
	"math"
	"slices"
	"sync"
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

// ngx.semaphore is lua-resty-core's: semaphore.new(n) makes a semaphore with n resources;
// sema:post(n) adds n and wakes waiters first come, first served; sema:wait(seconds) takes one,
// waiting up to seconds for a post (giving the VM up meanwhile, as ngx.sleep does) in rewrite,
// access, content and timers, and returns true, or nil, "timeout" at once for 0 seconds, or
// false, "timeout" after waiting; sema:count() is the resources left less the waiters. A
// semaphore belongs to the VM that made it, as one belongs to an nginx worker; one that
// init_by_lua made is copied into each VM with its resources.

// semaphore is one semaphore's state. post hands resources to waiters at once, so count is
// positive only when no one waits.
type semaphore struct {
	mu      sync.Mutex
	count   int
	waiters []chan struct{} // closed when post hands the waiter a resource
}

// CopyForVM gives each VM its own copy of a semaphore made by init_by_lua (lua.Copier).
func (s *semaphore) CopyForVM() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &semaphore{count: s.count}
}

func (s *semaphore) post(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count += n
	for s.count > 0 && len(s.waiters) > 0 {
		close(s.waiters[0])
		s.waiters = s.waiters[1:]
		s.count--
	}
}

// take takes a resource if there is one.
func (s *semaphore) take() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.count > 0 {
		s.count--
		return true
	}
	return false
}

// enqueue adds a waiter.
func (s *semaphore) enqueue() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := make(chan struct{})
	s.waiters = append(s.waiters, w)
	return w
}

// cancel removes waiter w, and reports false when post has handed it a resource already.
func (s *semaphore) cancel(w chan struct{}) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.Index(s.waiters, w)
	if i < 0 {
		return false
	}
	s.waiters = slices.Delete(s.waiters, i, i+1)
	return true
}

func (s *semaphore) value() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count - len(s.waiters)
}

// semaphoreModule pushes the ngx.semaphore module (a lua.PushClass module).
func semaphoreModule(l *glua.State) int {
	lua.PushClass(l, []glua.RegistryFunction{
		{Name: "new", Function: semNew},
		{Name: "wait", Function: semWait},
		{Name: "post", Function: semPost},
		{Name: "count", Function: semCount},
	})
	l.PushString(RestyCoreVersion)
	l.SetField(-2, "version")
	return 1
}

// semNew is semaphore.new(n): n goes through tonumber (nil or not a number is 0) and is
// truncated as a C int.
func semNew(l *glua.State) int {
	n := 0.0
	if f, ok := l.ToNumber(1); ok {
		n = f
	}
	if n < 0 {
		lua.RaiseAtCaller(l, "no negative number")
	}
	lua.NewObject(l, "sem", &semaphore{count: cInt(n)})
	return 1
}

// cInt converts a number as a C int parameter takes it: truncated, within int32.
func cInt(f float64) int {
	if math.IsNaN(f) {
		return 0
	}
	return int(max(min(f, math.MaxInt32), math.MinInt32))
}

// semSelf returns the semaphore of the object at index 1.
func semSelf(l *glua.State) *semaphore {
	if l.TypeOf(1) == glua.TypeTable {
		l.Field(1, "sem")
		s, ok := l.ToUserData(-1).(*semaphore)
		l.Pop(1)
		if ok {
			return s
		}
	}
	lua.RaiseAtCaller(l, "not a semaphore instance")
	return nil
}

// semPost is sema:post(n), n 1 when nil, false or not a number.
func semPost(l *glua.State) int {
	s := semSelf(l)
	n := 1.0
	if f, ok := l.ToNumber(2); ok && l.ToBoolean(2) {
		n = f
	}
	if n < 1 {
		lua.RaiseAtCaller(l, "positive number required")
	}
	s.post(cInt(n))
	l.PushBoolean(true)
	return 1
}

// semCount is sema:count().
func semCount(l *glua.State) int {
	l.PushInteger(semSelf(l).value())
	return 1
}

// The outcomes of a wait.
const (
	semGranted = iota
	semTimedOut
	semClientGone
)

// semWait is sema:wait(seconds).
func semWait(l *glua.State) int {
	s := semSelf(l)
	r, p := running(l)
	switch {
	case p == ngx.PhaseInit:
		lua.RaisePlain(l, "no request found")
	case (1<<p)&(inOutput|inTimer) == 0:
		l.PushNil()
		l.PushString("API disabled in the context of " + contextName(p))
		return 2
	}
	secs, ok := l.ToNumber(2)
	if !ok {
		lua.RaisePlain(l, "attempt to perform arithmetic on a nil value")
	}
	if secs < 0 {
		lua.RaiseAtCaller(l, "no negative number")
	}
	ms := cInt(secs * 1000)
	if s.take() {
		l.PushBoolean(true)
		return 1
	}
	if ms == 0 {
		l.PushNil()
		l.PushString("timeout")
		return 2
	}
	w := s.enqueue()
	var gone <-chan struct{}
	if r != nil {
		gone = r.Context().Done()
	}
	outcome := semGranted
	lua.Wait(l, func() {
		t := time.NewTimer(time.Duration(ms) * time.Millisecond)
		defer t.Stop()
		select {
		case <-w:
		case <-t.C:
			outcome = semTimedOut
		case <-gone:
			outcome = semClientGone
		}
	})
	if outcome != semGranted && !s.cancel(w) {
		if outcome == semClientGone {
			s.post(1) // handed over as the client went: give it back
		} else {
			outcome = semGranted // post came as the wait timed out
		}
	}
	if r != nil {
		r.Clock().Update()
	}
	switch outcome {
	case semClientGone:
		r.Log(ngx.LevelInfo, "client prematurely closed connection")
		_ = r.Exit(statusClientClosed)
		abort(l)
	case semTimedOut:
		l.PushBoolean(false)
		l.PushString("timeout")
		return 2
	}
	l.PushBoolean(true)
	return 1
}
