package ngxlua

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

// MaxPendingTimers is lua_max_pending_timers' default: ngx.timer.at refuses more.
const MaxPendingTimers = 1024

// Timers runs the callbacks of ngx.timer.at and ngx.timer.every for one Handler. A callback runs
// on a State of the VM that created it, in the timer phase, with premature false; Close runs
// every pending callback at once with premature true, as nginx does when a worker exits, and
// waits for the running ones. The zero value is not usable: use NewTimers.
type Timers struct {
	logger *slog.Logger

	mu      sync.Mutex
	pending map[uint64]*timer
	running int
	nextID  uint64
	closed  bool
	wg      sync.WaitGroup
}

// timer is one scheduled callback. Its function and arguments are kept in its VM's registry
// (timersKey), under its id.
type timer struct {
	id    uint64
	pin   *lua.Pin
	every time.Duration // 0 for a one-shot timer
	t     *time.Timer
}

// timerRun is the Data of a State that runs a timer callback: it marks the timer phase and
// holds the callback's ngx.ctx table.
type timerRun struct {
	ctx any
}

// timerOf returns the timer run of the state running l.
func timerOf(l *glua.State) *timerRun {
	tr, _ := lua.Current(l).Data.(*timerRun)
	return tr
}

// timersKey is the registry table that holds the callbacks of pending timers: id -> {fn, n, args}.
const timersKey = "ngxlua.timers"

// NewTimers returns the Timers of a Handler whose failed callbacks are logged to logger (nil:
// slog.Default()).
func NewTimers(logger *slog.Logger) *Timers {
	if logger == nil {
		logger = slog.Default()
	}
	return &Timers{logger: logger, pending: map[uint64]*timer{}}
}

// Close runs the pending callbacks with premature true and waits for all callbacks to end. New
// timers are refused afterwards ("process exiting").
func (ts *Timers) Close() {
	ts.mu.Lock()
	ts.closed = true
	due := make([]*timer, 0, len(ts.pending))
	for id, t := range ts.pending {
		t.t.Stop() // if it fired already, its run finds it taken and does nothing
		delete(ts.pending, id)
		ts.running++
		due = append(due, t)
	}
	ts.mu.Unlock()
	for _, t := range due {
		go ts.run(t, true)
	}
	ts.wg.Wait()
}

// counts returns pending_count and running_count.
func (ts *Timers) counts() (pending, running int) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return len(ts.pending), ts.running
}

// schedule stores the callback at stack index 2 and its arguments (3 on) and starts the timer.
func (ts *Timers) schedule(l *glua.State, delay, every time.Duration) (ok bool, err string) {
	ts.mu.Lock()
	switch {
	case ts.closed:
		ts.mu.Unlock()
		return false, "process exiting"
	case len(ts.pending) >= MaxPendingTimers:
		ts.mu.Unlock()
		return false, "too many pending timers"
	}
	ts.nextID++
	t := &timer{id: ts.nextID, every: every, pin: lua.Current(l).Pin()}
	ts.pending[t.id] = t
	ts.wg.Add(1) // for the pending timer; run hands it over
	// The callback is stored after the timer starts, but before it can run: running it needs
	// the VM, which the caller holds until it returns.
	t.t = time.AfterFunc(delay, func() { ts.fire(t) })
	ts.mu.Unlock()
	storeCallback(l, t.id)
	return true, ""
}

// fire runs t's callback as its time comes, unless Close took t first. The run counts in ts.wg,
// so that Close waits for it before the engine closes; the count cannot start from zero while
// Close waits, since t, pending, holds one.
func (ts *Timers) fire(t *timer) {
	ts.mu.Lock()
	if _, ok := ts.pending[t.id]; !ok {
		ts.mu.Unlock()
		return
	}
	ts.wg.Add(1)
	ts.mu.Unlock()
	defer ts.wg.Done()
	ts.run(t, false)
}

// run calls t's callback on a State of its VM. A premature run comes from Close, which has
// taken t already. Any other run is a due timer, which stays pending until its callback starts
// (as in nginx, where it waits for the worker's event loop): it takes t from pending then, and
// does nothing if Close took it first.
func (ts *Timers) run(t *timer, premature bool) {
	s, _ := t.pin.Acquire(context.Background()) // fails only when its context ends
	s.Data = &timerRun{}
	started := false
	err := s.Call(context.Background(), "timer", func(l *glua.State) int {
		if started = premature || ts.start(t); !started {
			l.PushGoFunction(func(*glua.State) int { return 0 })
			return 0
		}
		return pushCallback(l, t.id, premature, t.every == 0 || premature)
	})
	err = EndThreads(s, err)
	s.Data = nil
	s.Engine().Release(s)
	if !started {
		return
	}
	if err != nil && !errors.Is(err, ngx.ErrExit) { // ngx.exit ends a callback quietly
		ts.logger.Error(EntryThreadAborted(err), slog.String("level", ngx.LevelErr.String()),
			slog.String("phase", ngx.PhaseTimer.String()))
	}
	ts.finish(t, premature)
}

// start moves t from pending to running as its callback starts; false when Close took it.
func (ts *Timers) start(t *timer) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if _, ok := ts.pending[t.id]; !ok {
		return false
	}
	delete(ts.pending, t.id)
	ts.running++
	return true
}

// finish ends a run of t: a repeating timer is scheduled again, or, when Close came while it
// ran, runs once more at once with premature true (in nginx its next run is already pending
// while the callback runs, and the exiting worker runs it prematurely); otherwise t is done,
// and ts.wg stops counting it.
func (ts *Timers) finish(t *timer, premature bool) {
	ts.mu.Lock()
	ts.running--
	if t.every > 0 && !premature {
		if ts.closed {
			ts.running++
			ts.mu.Unlock()
			ts.run(t, true)
			return
		}
		ts.pending[t.id] = t
		t.t = time.AfterFunc(t.every, func() { ts.fire(t) })
		ts.mu.Unlock()
		return
	}
	ts.mu.Unlock()
	t.pin.Release()
	ts.wg.Done()
}

// EntryThreadAborted words the error that ended an entry thread (a rewrite, access or content
// hook, or a timer callback) as OpenResty logs it: "lua entry thread aborted: runtime error:"
// with the traceback, which lists the thread's coroutines ("coroutine 0:").
func EntryThreadAborted(err error) string {
	var le *lua.Error
	if !errors.As(err, &le) {
		return "lua entry thread aborted: " + err.Error()
	}
	msg, _ := Reason(le)
	return "lua entry thread aborted: runtime error: " + msg + "\nstack traceback:\ncoroutine 0:" +
		postMortem(strings.TrimPrefix(le.Traceback, "stack traceback:"))
}

// postMortem drops the line number of the innermost frame when it is a Lua function, that is
// when the VM itself raised the error (an arithmetic or index error): OpenResty reads an entry
// thread's traceback after the thread died, when LuaJIT no longer knows the line of that frame
// ("content_by_lua(nginx.conf:10): in main chunk"). An error raised by a Go function (error,
// an API call) has that function's "[C]" frame innermost, and keeps every line.
func postMortem(tb string) string {
	rest, ok := strings.CutPrefix(tb, "\n\t")
	if !ok || strings.HasPrefix(rest, "[C]:") {
		return tb
	}
	first, _, _ := strings.Cut(rest, "\n")
	head, tail, ok := strings.Cut(first, ": in ")
	if !ok {
		return tb
	}
	i := strings.LastIndexByte(head, ':')
	if i < 0 || !allDigits(head[i+1:]) {
		return tb
	}
	return "\n\t" + head[:i] + ": in " + tail + rest[len(first):]
}

// Reason is how lua-nginx-module words a Lua error value in its log: a string or number as it
// is (ok), anything else (nil, a boolean, a table even with __tostring) as "unknown reason".
func Reason(le *lua.Error) (msg string, ok bool) {
	switch le.Value.(type) {
	case string, float64:
		return le.Message, true
	}
	return "unknown reason", false
}

// storeCallback keeps the function at index 2 and the arguments after it in the registry.
func storeCallback(l *glua.State, id uint64) {
	n := l.Top()
	glua.SubTable(l, glua.RegistryIndex, timersKey)
	l.CreateTable(n, 1)
	for i := 2; i <= n; i++ {
		l.PushValue(i)
		l.RawSetInt(-2, i-1)
	}
	l.PushInteger(n - 1)
	l.SetField(-2, "n")
	l.RawSetInt(-2, int(id))
	l.Pop(1)
}

// pushCallback pushes the callback of timer id, premature and its arguments, and returns the
// number of arguments; last drops the callback from the registry (a one-shot timer, or a
// premature run). A repeating timer stopped by Close while it runs keeps its entry until its VM
// closes.
func pushCallback(l *glua.State, id uint64, premature, last bool) int {
	glua.SubTable(l, glua.RegistryIndex, timersKey)
	l.RawGetInt(-1, int(id))
	if last {
		l.PushNil()
		l.RawSetInt(-3, int(id))
	}
	l.Remove(-2)
	l.Field(-1, "n")
	n, _ := l.ToInteger(-1)
	l.Pop(1)
	cb := l.Top()
	l.RawGetInt(cb, 1)
	l.PushBoolean(premature)
	for i := 2; i <= n; i++ {
		l.RawGetInt(cb, i)
	}
	l.Remove(cb)
	return n // premature and n-1 arguments
}

// timerAt is ngx.timer.at(delay, callback, ...).
func timerAt(l *glua.State) int { return startTimer(l, false) }

// timerEvery is ngx.timer.every(delay, callback, ...): delay must not be zero.
func timerEvery(l *glua.State) int { return startTimer(l, true) }

// A negative delay, converted by nginx to an unsigned number of milliseconds, overflows its
// timer tree's key into the past: the timer fires at once, and an every timer on each turn of
// the event loop after that, which goresty bounds to once per negativePeriod.
const negativePeriod = time.Millisecond

func startTimer(l *glua.State, every bool) int {
	if n := l.Top(); n < 2 {
		glua.Errorf(l, "expecting at least 2 arguments but got %d", n)
	}
	secs := glua.CheckNumber(l, 1)
	if !l.IsFunction(2) || l.IsGoFunction(2) {
		glua.ArgumentError(l, 2, "Lua function expected")
	}
	ms := int64(secs * 1000) // nginx's milliseconds, truncated
	if every && ms == 0 {
		glua.Errorf(l, "delay cannot be zero")
	}
	checkPhase(l, inRequest|inTimer|inInitWorker)
	ts := timersOf(l)
	if ts == nil {
		glua.Errorf(l, "no timer support")
	}
	delay := time.Duration(max(ms, 0)) * time.Millisecond
	var period time.Duration
	switch {
	case every && ms < 0:
		period = negativePeriod
	case every:
		period = delay
	}
	if ok, msg := ts.schedule(l, delay, period); !ok {
		l.PushNil()
		l.PushString(msg)
		return 2
	}
	l.PushInteger(1)
	return 1
}

func timerPendingCount(l *glua.State) int {
	p, _ := timersOf(l).counts()
	l.PushInteger(p)
	return 1
}

func timerRunningCount(l *glua.State) int {
	_, r := timersOf(l).counts()
	l.PushInteger(r)
	return 1
}

// timersRegKey is the registry key of the state's *Timers.
const timersRegKey = "ngxlua.timerset"

func timersOf(l *glua.State) *Timers {
	l.Field(glua.RegistryIndex, timersRegKey)
	ts, _ := l.ToUserData(-1).(*Timers)
	l.Pop(1)
	return ts
}

// openTimer pushes ngx.timer.
func openTimer(l *glua.State) {
	glua.NewLibrary(l, []glua.RegistryFunction{
		{Name: "at", Function: timerAt},
		{Name: "every", Function: timerEvery},
		{Name: "pending_count", Function: timerPendingCount},
		{Name: "running_count", Function: timerRunningCount},
	})
}
