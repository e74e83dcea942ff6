package stdlib

import (
	"slices"
	"strings"

	glua "github.com/Shopify/go-lua"
)

// gcState is what collectgarbage reports for one state: goresty never runs a collection for a
// script, it only remembers the settings a script made.
type gcState struct {
	running        bool
	pause, stepmul int
}

func openBase(l *glua.State, lb *lib) {
	l.PushGlobalTable()
	setFuncs(l, []fn{
		{"print", lb.basePrint},
		{"tostring", baseTostring},
		{"collectgarbage", lb.collectGarbage},
	})
	l.Pop(1)
}

// basePrint is print(...): the global tostring of each argument, tab-joined, as one line.
func (lb *lib) basePrint(l *glua.State) int {
	n := l.Top()
	var b strings.Builder
	for i := 1; i <= n; i++ {
		l.Global("tostring")
		l.PushValue(i)
		l.Call(1, 1)
		s, ok := l.ToString(-1)
		if !ok {
			glua.Errorf(l, "'tostring' must return a string to 'print'")
		}
		if i > 1 {
			b.WriteByte('\t')
		}
		b.WriteString(s)
		l.Pop(1)
	}
	if lb.print != nil {
		lb.print(b.String())
	}
	return 0
}

var gcOptions = []string{"stop", "restart", "collect", "count", "step", "setpause", "setstepmul",
	"isrunning", "generational", "incremental"}

// collectGarbage is collectgarbage([opt [, arg]]) with Lua 5.2's results, but without collecting:
// a process-wide Go GC per request would stall every other request.
func (lb *lib) collectGarbage(l *glua.State) int {
	opt := optString(l, 1, "collect")
	if !slices.Contains(gcOptions, opt) {
		glua.ArgumentError(l, 1, "invalid option '"+opt+"'")
	}
	arg := optInt(l, 2, 0)
	switch opt {
	case "count":
		b := estimateBytes(l)
		l.PushNumber(float64(b) / 1024)
		l.PushInteger(b % 1024)
		return 2
	case "step":
		l.PushBoolean(true)
	case "isrunning":
		l.PushBoolean(lb.gc.running)
	case "setpause":
		l.PushInteger(lb.gc.pause)
		lb.gc.pause = arg
	case "setstepmul":
		l.PushInteger(lb.gc.stepmul)
		lb.gc.stepmul = arg
	default:
		switch opt {
		case "stop":
			lb.gc.running = false
		case "restart":
			lb.gc.running = true
		}
		l.PushInteger(0)
	}
	return 1
}
