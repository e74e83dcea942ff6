package lua

import (
	"slices"
	"strconv"
	"strings"

	glua "github.com/Shopify/go-lua"
)

// Tracebacks are worded as LuaJIT words them, since OpenResty users read them in error logs:
// a function is named as the Lua function that called it named it (FuncName, which unlike
// go-lua's debug info finds the name), a Go function's source is "[C]", and a frame that a
// tail call replaced shows the name of the call it replaced, without a "(...tail calls...)"
// line; a Lua frame that go-lua keeps under a Go function it tail-called is left out. Only the
// unnamed Go function differs: LuaJIT prints its address ("at 0x..."), which cannot match, and
// goresty prints "?".

// A long traceback shows the frames up to level tracebackHead, "...", and the last
// tracebackTail frames, as LuaJIT's luaL_traceback does.
const (
	tracebackHead = 11
	tracebackTail = 10
)

// Traceback returns msg, then (on a new line when msg is not empty) "stack traceback:" and a
// line per frame of l's stack from level on, as LuaJIT's debug.traceback words them. The
// frame of goresty's dispatcher that runs an xpcall handler is not shown, as LuaJIT calls
// handlers directly.
func Traceback(l *glua.State, msg string, level int) string {
	return tracebackTo(l, msg, level, nil)
}

// tracebackTo is Traceback ending at the frame that runs the function last (go-lua's value),
// when it is not nil: a nested Exec's traceback ends at its own main function.
func tracebackTo(l *glua.State, msg string, level int, last any) string {
	var b strings.Builder
	if msg != "" {
		b.WriteString(msg)
		b.WriteByte('\n')
	}
	b.WriteString("stack traceback:")
	var handlers []int
	if t := threadOf(l); t != nil {
		handlers = t.handlerFrames
	}
	var frames []glua.Frame
	var levels []int
	top := lastLevel(l)
	for n := level; n <= top; n++ {
		f, ok := glua.Stack(l, n)
		if !ok {
			break
		}
		if slices.Contains(handlers, top-n) || n > 0 && tailCalling(l, n) {
			continue // a dispatcher frame, or one that a tail call replaces in LuaJIT
		}
		frames, levels = append(frames, f), append(levels, n)
		if last != nil && runs(l, f, last) {
			break
		}
	}
	// Frame i stands at level+i of the stack LuaJIT would have.
	for i := 0; i < len(frames); i++ {
		if level+i == tracebackHead+1 && i+tracebackTail+1 < len(frames) {
			b.WriteString("\n\t...")
			i = len(frames) - tracebackTail
		}
		b.WriteString("\n\t")
		writeFrame(&b, l, frames[i], levels[i])
	}
	return b.String()
}

// runs reports whether the frame f runs the Lua function fn.
func runs(l *glua.State, f glua.Frame, fn any) bool {
	glua.Info(l, "f", f)
	same := l.ToValue(-1) == fn
	l.Pop(1)
	return same
}

// writeFrame writes the traceback line of the frame f at level, without its tab.
func writeFrame(b *strings.Builder, l *glua.State, f glua.Frame, level int) {
	d, _ := glua.Info(l, "Sl", f)
	if d.What == "Go" {
		b.WriteString("[C]:")
	} else {
		b.WriteString(d.ShortSource + ":")
	}
	if d.CurrentLine > 0 {
		b.WriteString(strconv.Itoa(d.CurrentLine) + ":")
	}
	switch kind, name := FuncName(l, level); {
	case kind == "for iterator":
		b.WriteString(" in function '(for generator)'")
	case kind != "" && name != "?":
		b.WriteString(" in function '" + name + "'")
	case d.What == "main":
		b.WriteString(" in main chunk")
	case d.What == "Go":
		b.WriteString(" ?")
	default:
		b.WriteString(" in function <" + d.ShortSource + ":" + strconv.Itoa(d.LineDefined) + ">")
	}
}

// lastLevel returns the level of the outermost frame of l's stack (Lua's countlevels).
func lastLevel(l *glua.State) int {
	lo, hi := 1, 1
	for {
		if _, ok := glua.Stack(l, hi); !ok {
			break
		}
		lo = hi
		hi *= 2
	}
	for lo < hi {
		m := (lo + hi) / 2
		if _, ok := glua.Stack(l, m); ok {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return hi - 1
}
