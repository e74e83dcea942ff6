package ngxlua

import (
	"strconv"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/ngx"
)

// openVar pushes ngx.var: reads and writes go to the request's variables.
func openVar(l *glua.State) {
	l.NewTable()
	l.CreateTable(0, 2)
	l.PushGoFunction(varIndex)
	l.SetField(-2, "__index")
	l.PushGoFunction(varNewIndex)
	l.SetField(-2, "__newindex")
	l.SetMetaTable(-2)
}

func varIndex(l *glua.State) int {
	r := varRequest(l)
	var name string
	if l.TypeOf(2) == glua.TypeNumber {
		name = strconv.Itoa(checkInt(l, 2)) // ngx.var[1] is $1, a regex capture
	} else {
		name = toStringAny(l, 2)
	}
	if v, ok := r.Var(name); ok {
		l.PushString(v)
	} else {
		l.PushNil()
	}
	return 1
}

func varNewIndex(l *glua.State) int {
	r := varRequest(l)
	name := toStringAny(l, 2)
	if l.IsNil(3) {
		if err := r.UnsetVar(name); err != nil {
			raise(l, err)
		}
		return 0
	}
	value := toStringAny(l, 3)
	if err := r.SetVar(name, value); err != nil {
		raise(l, err)
	}
	return 0
}

// varRequest returns the request whose variables ngx.var reads; a timer has none, and says so
// as OpenResty does.
func varRequest(l *glua.State) *ngx.Request {
	if _, p := running(l); p == ngx.PhaseTimer {
		glua.Errorf(l, "API disabled in the current context")
	}
	return checkPhase(l, inRequest)
}
