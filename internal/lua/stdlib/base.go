package stdlib

import (
	"errors"
	"math"
	"slices"
	"strconv"
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
	l.Field(-1, "tonumber")
	l.PushGoClosure(baseTonumber, 1) // go-lua's tonumber as upvalue 1
	l.SetField(-2, "tonumber")
	l.Pop(1)
}

// baseTonumber is go-lua's tonumber, plus the forms LuaJIT's number scanner also reads in a
// string converted without a base: "inf", "infinity" and "nan" in any case, with a sign, and
// 0b binary ("0b101" is 5). OpenResty code that parses its input sees these as numbers. (With
// an explicit base, 10 included, it stays 5.2's digits-only conversion.)
func baseTonumber(l *glua.State) int {
	if l.TypeOf(1) == glua.TypeString && l.IsNoneOrNil(2) {
		s := l.ToValue(1).(string)
		if f, ok := decimalNumber(s); ok {
			l.PushNumber(f)
			return 1
		}
		if f, ok := luajitNumber(s); ok {
			l.PushNumber(f)
			return 1
		}
	}
	// Check the arguments as 5.2's tonumber does, here, so that an error names the caller's
	// position: go-lua's own function, called from this one, cannot raise any.
	n := l.Top()
	if n == 0 {
		glua.ArgumentError(l, 1, "value expected")
	}
	if !l.IsNoneOrNil(2) {
		glua.CheckString(l, 1)
		base := glua.CheckInteger(l, 2)
		glua.ArgumentCheck(l, 2 <= base && base <= 36, 2, "base out of range")
	}
	l.PushValue(glua.UpValueIndex(1))
	l.Insert(1)
	l.Call(n, 1)
	return 1
}

// decimalNumber reads a plain decimal numeral, the common case, without go-lua's conversion
// (nine allocations per call): Lua's grammar for it is the part of strconv.ParseFloat's that
// uses only these characters, and both round correctly. An overflow is ±inf, as in Lua.
func decimalNumber(s string) (float64, bool) {
	s = strings.Trim(s, luaSpaces)
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
		default:
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// luaSpaces are the bytes Lua's isspace skips around a numeral.
const luaSpaces = " \t\n\v\f\r"

// luajitNumber reads the number forms of LuaJIT's scanner that Lua 5.2's lacks.
func luajitNumber(s string) (float64, bool) {
	s = strings.Trim(s, luaSpaces)
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	var f float64
	switch t := strings.ToLower(s); {
	case t == "inf" || t == "infinity":
		f = math.Inf(1)
	case t == "nan":
		return math.NaN(), true
	case len(t) > 2 && t[:2] == "0b" && strings.Trim(t[2:], "01") == "" && len(t) <= 2+53:
		v, _ := strconv.ParseUint(t[2:], 2, 64)
		f = float64(v)
	default:
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, true
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
