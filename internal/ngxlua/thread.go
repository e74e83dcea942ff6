package ngxlua

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

// ngx.thread is lua-nginx-module's light threads. A light thread runs its function on a Sibling
// State of the spawning one (same VM, same request), on a goroutine of its own; the VM's lock
// lets one of them run Lua at a time, and a thread gives it up only where a cosocket would
// yield (lua.Wait: ngx.sleep, cosockets, the request body...), so threads interleave as
// nginx's do, without preemption. spawn hands the VM to the new thread until it first waits or
// ends (the State's Waiter reports the first wait), then goes on. The Exec that spawned them
// (a rewrite, access or content hook, a timer) ends only when they all have (EndThreads);
// ngx.exit in any of them, or an error in the entry thread, ends the others where they next
// resume (an ngx.sleep is cut short). A failed thread is logged as "lua user thread aborted".
//
// Differences: wait on a thread that failed returns false and the error value, where LuaJIT
// returns what was left on the dead coroutine's stack (the error function's arguments, the
// locals...); a killed thread stops at once only when it sleeps: in any other wait (a cosocket
// read, a semaphore) it stops when that wait ends, and the hook waits for it meanwhile.

// threadGroup is the light threads of one entry thread.
type threadGroup struct {
	entry *lua.State
	// turn is held by the one thread of the group that runs Lua (or writes its output): a
	// thread gives it up only where a cosocket would yield, and takes it back before the VM.
	// spawn passes it to the new thread, and the new thread back to its spawner at its first
	// wait or its end, without releasing it, so that no other thread runs in between, as in
	// nginx, where spawn runs the new thread at once and resumes the spawner when it yields.
	turn sync.Mutex
	// entryHandoff is the entry thread's handoff (see uthread.handoff).
	entryHandoff bool
	mu           sync.Mutex
	// threads are the threads spawned and not yet waited for or killed, by their Lua id;
	// gone, those waited for or killed.
	threads map[*glua.State]*uthread
	gone    map[*glua.State]bool
	live    sync.WaitGroup // running goroutines
	abort   error          // ngx.exit in a thread, or the entry's end: all stop at their resume
	stop    chan struct{}  // closed with abort set
	exited  error          // the ngx.exit of a user thread, for EndThreads
}

// uthread is one light thread.
type uthread struct {
	g        *threadGroup
	id       *glua.State // the value Lua sees (type "thread")
	parent   *uthread    // nil: the entry thread
	state    *lua.State
	handoff  bool        // its spawn passed the turn to a child, which passes it back
	passBack bool        // it holds its spawner's turn: its first wait or its end passes it back
	spawnL   *glua.State // the Lua thread that spawned it, blocked in spawn until it first waits

	started   chan struct{} // closed at its first wait or its end: spawn goes on
	startOnce sync.Once
	done      chan struct{} // closed at its end
	kill      chan struct{} // closed by kill or the group's abort
	killOnce  sync.Once

	// Under g.mu.
	finished, ok   bool
	waited, killed bool
}

// errThreadKilled unwinds a killed thread where it resumes.
var errThreadKilled = errors.New("ngx.thread: killed")

const threadResultsKey = "ngxlua.threads"

// Parked is the thread's lua.Waiter: it gives the group's turn up, to its spawner at its
// first wait, to any thread after that; in spawn, the turn is its new thread's.
func (t *uthread) Parked() {
	switch {
	case t.handoff:
	case t.passBack:
		t.passBack = false
		t.startOnce.Do(func() { close(t.started) })
	default:
		t.g.turn.Unlock()
	}
}

// Unparking waits for the group's turn, unless its new thread passes it back (in spawn).
func (t *uthread) Unparking() {
	if !t.handoff {
		t.g.turn.Lock()
	}
}

// Resumed stops a killed thread, or every thread once one called ngx.exit.
func (t *uthread) Resumed() error {
	t.g.mu.Lock()
	defer t.g.mu.Unlock()
	if t.killed {
		return errThreadKilled
	}
	return t.g.abort
}

// interrupt is closed when the thread should stop waiting.
func (t *uthread) interrupt() <-chan struct{} { return t.kill }

func (t *uthread) stopWaiting() { t.killOnce.Do(func() { close(t.kill) }) }

// entryWaiter is the entry thread's lua.Waiter while it has light threads.
type entryWaiter struct{ g *threadGroup }

func (e entryWaiter) Parked() {
	if !e.g.entryHandoff {
		e.g.turn.Unlock()
	}
}

func (e entryWaiter) Unparking() {
	if !e.g.entryHandoff {
		e.g.turn.Lock()
	}
}

func (e entryWaiter) Resumed() error {
	e.g.mu.Lock()
	defer e.g.mu.Unlock()
	return e.g.abort
}

func (e entryWaiter) interrupt() <-chan struct{} { return e.g.stop }

// interrupted returns what cuts the running thread's waits short (nil: nothing).
func interrupted(l *glua.State) <-chan struct{} {
	if s := lua.Current(l); s != nil {
		if w, ok := s.Waiter().(interface{ interrupt() <-chan struct{} }); ok {
			return w.interrupt()
		}
	}
	return nil
}

// threadContext returns the running thread (nil for the entry thread) and its group, made at
// the first spawn.
func threadContext(l *glua.State, create bool) (*uthread, *threadGroup) {
	s := lua.Current(l)
	if t, ok := s.Waiter().(*uthread); ok {
		return t, t.g
	}
	g, _ := s.Threads.(*threadGroup)
	if g == nil && create {
		g = &threadGroup{entry: s, threads: make(map[*glua.State]*uthread),
			gone: make(map[*glua.State]bool), stop: make(chan struct{})}
		g.turn.Lock() // the entry thread runs
		s.Threads = g
		s.SetWaiter(entryWaiter{g})
	}
	return nil, g
}

// openThread pushes the ngx.thread table.
func openThread(l *glua.State) {
	l.CreateTable(0, 3)
	glua.SetFunctions(l, []glua.RegistryFunction{
		{Name: "spawn", Function: threadSpawn},
		{Name: "wait", Function: threadWait},
		{Name: "kill", Function: threadKill},
	}, 0)
}

// threadSpawn is ngx.thread.spawn(func, ...).
func threadSpawn(l *glua.State) int {
	if !l.IsFunction(1) || l.IsGoFunction(1) {
		argError(l, 1, "Lua function expected")
	}
	checkPhase(l, inOutput|inTimer)
	parent, g := threadContext(l, true)
	cur := lua.Current(l)

	t := &uthread{g: g, id: new(glua.State), parent: parent, started: make(chan struct{}),
		done: make(chan struct{}), kill: make(chan struct{}), passBack: true}
	// The function and its arguments wait in the registry for the thread to take them.
	storeValues(l, t.id, 1, l.Top())
	t.spawnL = l

	t.state = cur.Sibling()
	t.state.Data = cur.Data
	t.state.SetWaiter(t)
	g.mu.Lock()
	g.threads[t.id] = t
	if g.abort != nil {
		t.stopWaiting()
	}
	g.mu.Unlock()
	g.live.Add(1)
	go t.run()

	handoff := &g.entryHandoff
	if parent != nil {
		handoff = &parent.handoff
	}
	*handoff = true // the turn goes to t and comes back at its first wait or end
	lua.Wait(l, func() { <-t.started })
	*handoff = false
	l.PushLightUserData(t.id)
	return 1
}

// run runs the thread's function and records how it ended; its results (true and the
// function's, or false and the error) replace its arguments in the registry.
func (t *uthread) run() {
	defer t.g.live.Done()
	s := t.state // it holds the turn its spawner passed
	err := s.CallResults(context.Background(), "thread", func(l *glua.State) int {
		return pushValues(l, t.id) - 1 // the function and its arguments
	}, func(l *glua.State, n int) {
		l.PushBoolean(true)
		l.Insert(-n - 1)
		storeValues(l, t.id, l.Top()-n, n+1)
	})
	if err != nil {
		s.Locked(func() { t.failed(s.L, err) })
	}
	t.g.mu.Lock()
	t.finished, t.ok = true, err == nil
	t.g.mu.Unlock()
	close(t.done)
	s.Data = nil
	s.Engine().Release(s)
	if t.passBack { // ended without waiting: its spawner takes the turn back
		t.startOnce.Do(func() { close(t.started) })
		return
	}
	t.g.turn.Unlock()
}

// storeValues keeps the count values from index from in the registry under id.
func storeValues(l *glua.State, id *glua.State, from, count int) {
	glua.SubTable(l, glua.RegistryIndex, threadResultsKey)
	l.PushLightUserData(id)
	l.CreateTable(count, 1)
	for i := 0; i < count; i++ {
		l.PushValue(from + i)
		l.RawSetInt(-2, i+1)
	}
	l.PushInteger(count)
	l.SetField(-2, "n")
	l.RawSet(-3)
	l.Pop(1)
}

// pushValues pushes the values kept under id, forgets them and returns their count.
func pushValues(l *glua.State, id *glua.State) int {
	glua.SubTable(l, glua.RegistryIndex, threadResultsKey)
	reg := l.Top()
	l.PushLightUserData(id)
	l.RawGet(reg)
	tab := l.Top()
	l.Field(tab, "n")
	n, _ := l.ToInteger(-1)
	l.Pop(1)
	for i := 1; i <= n; i++ {
		l.RawGetInt(tab, i)
	}
	l.PushLightUserData(id)
	l.PushNil()
	l.RawSet(reg)
	l.Remove(tab)
	l.Remove(reg)
	return n
}

// failed records a thread's error as its results and logs it, unless ngx.exit or kill ended
// it; the VM is held.
func (t *uthread) failed(l *glua.State, err error) {
	switch {
	case errors.Is(err, ngx.ErrExit):
		t.g.stopAll(ngx.ErrExit, true)
	case errors.Is(err, errThreadKilled), errors.Is(err, t.g.abortErr()):
	default:
		msg := UserThreadAborted(err)
		select {
		case <-t.started:
		default: // failed before its first wait: its spawner is still in spawn, as in LuaJIT
			tb := lua.Traceback(t.spawnL, "", 0)
			msg += "\ncoroutine 1:" + strings.TrimPrefix(tb, "stack traceback:")
		}
		LogError(l, msg)
	}
	l.PushBoolean(false)
	var le *lua.Error
	if errors.As(err, &le) {
		pushErrorValue(l, le.Value)
	} else {
		l.PushString(err.Error())
	}
	storeValues(l, t.id, l.Top()-1, 2)
	l.Pop(2)
}

// pushErrorValue pushes a lua.Error's Value.
func pushErrorValue(l *glua.State, v any) {
	switch v := v.(type) {
	case nil:
		l.PushNil()
	case string:
		l.PushString(v)
	case float64:
		l.PushNumber(v)
	case bool:
		l.PushBoolean(v)
	default:
		l.PushLightUserData(v)
	}
}

func (g *threadGroup) abortErr() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.abort
}

// stopAll makes every thread stop where it next resumes, with err; exited records that a user
// thread called ngx.exit.
func (g *threadGroup) stopAll(err error, exited bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if exited && g.exited == nil {
		g.exited = err
	}
	if g.abort != nil {
		return
	}
	g.abort = err
	close(g.stop)
	for _, t := range g.threads {
		t.stopWaiting()
	}
}

// checkUserThread reads argument i as a light thread: raises for a non-thread, and returns nil
// for a coroutine that is no light thread of this group.
func checkUserThread(l *glua.State, g *threadGroup, i int) *uthread {
	if l.TypeOf(i) != glua.TypeThread {
		argError(l, i, "lua thread expected")
	}
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.threads[l.ToThread(i)]
}

// threadWait is ngx.thread.wait(thread, ...): the results of the first to end.
func threadWait(l *glua.State) int {
	n := l.Top()
	if n == 0 {
		glua.Errorf(l, "at least one coroutine should be specified")
	}
	checkPhase(l, inOutput|inTimer)
	cur, g := threadContext(l, false)
	ts := make([]*uthread, n)
	for i := 1; i <= n; i++ {
		t := checkUserThread(l, g, i)
		if t == nil {
			if g.wasGone(l.ToThread(i)) {
				return lua.PushFailure(l, "already waited or killed")
			}
			glua.Errorf(l, "attempt to wait on a coroutine that is not a user thread")
		}
		if t.parent != cur {
			glua.Errorf(l, "only the parent coroutine can wait on the thread")
		}
		ts[i-1] = t
	}
	t := g.firstDone(ts)
	if t == nil {
		cases := make([]reflect.SelectCase, len(ts))
		for i, x := range ts {
			cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(x.done)}
		}
		lua.Wait(l, func() { reflect.Select(cases) })
		t = g.firstDone(ts)
	}
	g.forget(t)
	return pushValues(l, t.id)
}

// forget moves t from the group's threads to the gone ones.
func (g *threadGroup) forget(t *uthread) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.threads, t.id)
	g.gone[t.id] = true
}

// wasGone reports whether id is a thread of g that was waited for or killed.
func (g *threadGroup) wasGone(id *glua.State) bool {
	if g == nil {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.gone[id]
}

// firstDone returns the first of ts, in argument order, that has ended, or nil.
func (g *threadGroup) firstDone(ts []*uthread) *uthread {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, t := range ts {
		if t.finished {
			return t
		}
	}
	return nil
}

// threadKill is ngx.thread.kill(thread).
func threadKill(l *glua.State) int {
	checkPhase(l, inOutput|inTimer)
	cur, g := threadContext(l, false)
	t := checkUserThread(l, g, 1)
	switch {
	case t == nil && g.wasGone(l.ToThread(1)):
		return lua.PushFailure(l, "already waited or killed")
	case t == nil:
		return lua.PushFailure(l, "not user thread")
	case t.parent != cur:
		return lua.PushFailure(l, "killer not parent")
	}
	g.mu.Lock()
	finished := t.finished
	if !finished {
		t.killed = true
	}
	g.mu.Unlock()
	if finished {
		return lua.PushFailure(l, "already terminated")
	}
	t.stopWaiting()
	g.forget(t)
	l.PushInteger(1)
	return 1
}

// EndThreads ends the light threads the entry thread of s spawned, once its Exec returned err:
// it waits for them all (without the VM), after telling them to stop when err ended the entry
// thread (an error, ngx.exit). It returns err, or ngx.ErrExit when a user thread called
// ngx.exit.
func EndThreads(s *lua.State, err error) error {
	g, _ := s.Threads.(*threadGroup)
	if g == nil {
		return err
	}
	if err != nil {
		g.stopAll(err, false)
	}
	g.turn.Unlock() // the entry thread is done
	g.live.Wait()
	s.Threads = nil
	s.SetWaiter(nil)
	if err == nil {
		err = g.exited
	}
	s.Locked(func() { // forget the results nobody waited for
		glua.SubTable(s.L, glua.RegistryIndex, threadResultsKey)
		for id := range g.threads {
			s.L.PushLightUserData(id)
			s.L.PushNil()
			s.L.RawSet(-3)
		}
		for id := range g.gone {
			s.L.PushLightUserData(id)
			s.L.PushNil()
			s.L.RawSet(-3)
		}
		s.L.Pop(1)
	})
	return err
}

// UserThreadAborted words the error that ended a light thread as OpenResty logs it.
func UserThreadAborted(err error) string {
	return "lua user" + EntryThreadAborted(err)[len("lua entry"):]
}

// threadStatus is coroutine.status for a light thread of the running entry thread: "running",
// "normal" (waiting for a thread it spawned), "suspended", "zombie" (ended, not waited for) or
// "dead"; ok is false for any other coroutine.
func threadStatus(l *glua.State) (status string, ok bool) {
	if l.TypeOf(1) != glua.TypeThread {
		return "", false
	}
	cur, g := threadContext(l, false)
	if g == nil {
		return "", false
	}
	id := l.ToThread(1)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gone[id] {
		return "dead", true
	}
	t := g.threads[id]
	switch {
	case t == nil:
		return "", false
	case t == cur:
		return "running", true
	case t.finished:
		return "zombie", true
	}
	return "suspended", true
}
