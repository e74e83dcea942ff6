package ngxlua

import (
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

// varIndex reads ngx.var[name] as resty.core does: a number is a regex capture of the location
// ($1; 0 and below are nil), a string a variable name in any case; anything else raises.
func varIndex(l *glua.State) int {
	r := varRequest(l)
	var v string
	var ok bool
	switch l.TypeOf(2) {
	case glua.TypeNumber:
		if n := checkInt(l, 2); n > 0 {
			v, ok = r.Capture(n)
		}
	case glua.TypeString:
		if name := toStringAny(l, 2); !allDigits(name) { // "1" names no variable
			v, ok = r.Var(name)
		}
	default:
		glua.Errorf(l, "bad variable name")
	}
	if ok {
		l.PushString(v)
	} else {
		l.PushNil()
	}
	return 1
}

func varNewIndex(l *glua.State) int {
	r := varRequest(l)
	if l.TypeOf(2) != glua.TypeString {
		glua.Errorf(l, "bad variable name")
	}
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

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// varRequest returns the request whose variables ngx.var reads; a timer has none, and says so
// as OpenResty does.
func varRequest(l *glua.State) *ngx.Request {
	if _, p := running(l); p == ngx.PhaseTimer {
		glua.Errorf(l, "API disabled in the current context")
	}
	return checkPhase(l, inRequest)
}
