package ngxlua

import (
	"errors"
	"math"
	"strconv"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
	"github.com/goresty/goresty/ngx"
)

var outputFuncs = []glua.RegistryFunction{
	{Name: "say", Function: func(l *glua.State) int { return output(l, true) }},
	{Name: "print", Function: func(l *glua.State) int { return output(l, false) }},
	{Name: "flush", Function: flush},
	{Name: "eof", Function: eof},
	{Name: "exit", Function: exit},
	{Name: "redirect", Function: redirect},
	{Name: "exec", Function: execLocation},
	{Name: "send_headers", Function: sendHeaders},
	{Name: "sleep", Function: sleep},
	{Name: "on_abort", Function: onAbort},
}

// errSeenEOF is what output calls return after ngx.eof.
const errSeenEOF = "seen eof"

// output implements ngx.say and ngx.print: every argument (strings, numbers, booleans, nil,
// ngx.null, arrays of those, nested) is written as one chunk. Returns 1, or nil and an error.
func output(l *glua.State, newline bool) int {
	r := checkPhase(l, inOutput)
	if eofSeen(r) {
		return lua.PushFailure(l, errSeenEOF)
	}
	buf := r.Scratch()
	for i, n := 1, l.Top(); i <= n; i++ {
		buf = appendValue(l, buf, i)
	}
	if newline {
		buf = append(buf, '\n')
	}
	r.SetScratch(buf)
	err := writing(l, func() error {
		if len(buf) == 0 {
			return r.SendHeaders() // nginx sends the headers only: no body chunk to filter
		}
		_, err := r.Write(buf)
		return err
	})
	if err != nil {
		return pushError(l, err)
	}
	pushOne(l)
	return 1
}

// appendValue appends argument idx as ngx.say prints it.
func appendValue(l *glua.State, buf []byte, idx int) []byte {
	switch t := l.TypeOf(idx); t {
	case glua.TypeString, glua.TypeNumber, glua.TypeBoolean, glua.TypeNil:
		return appendScalar(l, buf, idx)
	case glua.TypeTable:
		return appendTable(l, buf, idx, idx, false, "")
	default:
		if isNull(l, idx) {
			return append(buf, "null"...)
		}
		argError(l, idx, "string, number, boolean, nil, ngx.null, or array table expected, but got "+typeName(l, idx))
	}
	return buf
}

// appendScalar appends a string, number, boolean or nil.
func appendScalar(l *glua.State, buf []byte, idx int) []byte {
	switch l.TypeOf(idx) {
	case glua.TypeString:
		s, _ := l.ToValue(idx).(string) // ToString would box the string anew
		return append(buf, s...)
	case glua.TypeNumber:
		f, _ := l.ToNumber(idx)
		if math.IsNaN(f) && math.Signbit(f) {
			// ngx.say, ngx.print and ngx.log format numbers with C's "%.14g", which shows
			// the sign of a NaN (0/0 is -nan on x86), where tostring says "nan".
			return append(buf, "-nan"...)
		}
		return AppendNumber(buf, f)
	case glua.TypeBoolean:
		return strconv.AppendBool(buf, l.ToBoolean(idx))
	}
	return append(buf, "nil"...)
}

// appendTable flattens the array table at idx as OpenResty does: every key must be a positive
// integer; elements 1..max key are written, holes as "nil". strict (ngx.arg[1]) takes strings
// and numbers only. Errors name argument arg of function fn ("" for the caller's name).
func appendTable(l *glua.State, buf []byte, idx, arg int, strict bool, fn string) []byte {
	idx = l.AbsIndex(idx)
	max := 0
	l.PushNil()
	for l.Next(idx) {
		k, _ := l.ToNumber(-2)
		if l.TypeOf(-2) != glua.TypeNumber || k < 1 || k != math.Floor(k) {
			l.Pop(2)
			tableError(l, arg, fn, "non-array table found")
		}
		if int(k) > max {
			max = int(k)
		}
		l.Pop(1)
	}
	for i := 1; i <= max; i++ {
		l.RawGetInt(idx, i)
		t := l.TypeOf(-1)
		switch {
		case t == glua.TypeString || t == glua.TypeNumber:
			buf = appendScalar(l, buf, -1)
		case t == glua.TypeTable:
			buf = appendTable(l, buf, -1, arg, strict, fn)
		case !strict && (t == glua.TypeNil || t == glua.TypeBoolean):
			buf = appendScalar(l, buf, -1)
		case !strict && isNull(l, -1):
			buf = append(buf, "null"...)
		default:
			tableError(l, arg, fn, "bad data type "+typeName(l, -1)+" found")
		}
		l.Pop(1)
	}
	return buf
}

func tableError(l *glua.State, arg int, fn, msg string) {
	if fn != "" {
		argErrorNamed(l, arg, fn, msg)
	}
	argError(l, arg, msg)
}

// appendTostring formats a number as LuaJIT's tostring and lua_tolstring do, which is
// AppendNumber except that negative zero keeps its sign ("-0"): ngx.say, ngx.print and ngx.log
// print integral numbers as integers, and so print -0 as "0".
func appendTostring(buf []byte, f float64) []byte {
	if f == 0 && math.Signbit(f) {
		return append(buf, "-0"...)
	}
	return AppendNumber(buf, f)
}

// AppendNumber formats a Lua number as ngx.say does: integral numbers below 1e14 as integers,
// others as LuaJIT's tostring ("%.14g", so 1e14 as "1e+14").
func AppendNumber(buf []byte, f float64) []byte {
	if f == float64(int64(f)) && f > -1e14 && f < 1e14 {
		return strconv.AppendInt(buf, int64(f), 10)
	}
	switch {
	case math.IsNaN(f):
		return append(buf, "nan"...)
	case math.IsInf(f, 1):
		return append(buf, "inf"...)
	case math.IsInf(f, -1):
		return append(buf, "-inf"...)
	}
	return appendG14(buf, f)
}

// pushError returns nil, message for a failed output call, as OpenResty does; a phase error is
// raised instead.
func pushError(l *glua.State, err error) int {
	var pe *ngx.PhaseError
	if errors.As(err, &pe) {
		raise(l, err)
	}
	if errors.Is(err, ngx.ErrSeenEOF) {
		return lua.PushFailure(l, errSeenEOF)
	}
	return lua.PushFailure(l, err.Error())
}

// flush implements ngx.flush([wait]): it runs the body filters on an empty chunk, as nginx
// sends a flush buffer through them, and pushes what is buffered to the client.
func flush(l *glua.State) int {
	if n := l.Top(); n > 1 {
		glua.Errorf(l, "%s", "attempt to pass "+strconv.Itoa(n)+" arguments, but accepted 0 or 1")
	}
	if l.Top() == 1 && l.TypeOf(1) != glua.TypeBoolean {
		typeError(l, 1, "boolean")
	}
	r := checkPhase(l, inOutput)
	if eofSeen(r) {
		return lua.PushFailure(l, errSeenEOF)
	}
	if !r.HeadersSent() {
		return lua.PushFailure(l, "nothing to flush")
	}
	err := writing(l, func() error {
		if _, err := r.Write(nil); err != nil {
			return err
		}
		return r.Flush()
	})
	if err != nil {
		return pushError(l, err)
	}
	pushOne(l)
	return 1
}

// eof implements ngx.eof: a second call, in any phase, returns nil, "seen eof".
func eof(l *glua.State) int {
	if l.Top() != 0 {
		glua.Errorf(l, "%s", "no argument is expected")
	}
	if p := phaseOf(l); (1<<p)&inRequest != 0 && eofSeen(request(l)) {
		return lua.PushFailure(l, errSeenEOF)
	}
	r := checkPhase(l, inOutput)
	if err := writing(l, r.Eof); err != nil {
		return pushError(l, err)
	}
	pushOne(l)
	return 1
}

// eofSeen reports whether the response body was ended: by ngx.eof, or because the phase runs
// after it (log; body_filter on the last chunk).
func eofSeen(r *ngx.Request) bool {
	switch r.Phase() {
	case ngx.PhaseLog:
		return true
	case ngx.PhaseBodyFilter:
		_, last := r.BodyChunk()
		return last
	}
	return r.EofCalled()
}

// sendHeaders implements ngx.send_headers: 1, also when the headers went out already.
func sendHeaders(l *glua.State) int {
	r := checkPhase(l, inOutput)
	if !r.HeadersSent() {
		if err := writing(l, r.SendHeaders); err != nil {
			return pushError(l, err)
		}
	}
	pushOne(l)
	return 1
}

// exit implements ngx.exit. In header_filter it only records the status and returns, as
// OpenResty does there; elsewhere it ends the running hook, through any pcall.
func exit(l *glua.State) int {
	r := checkPhase(l, inOutput|inHeaderFilter|inTimer)
	code := checkInt(l, 1)
	if code == ngx.CodeAgain || code == ngx.CodeDone {
		lua.RaisePlain(l, "bad argument to 'ngx.exit': does not accept NGX_AGAIN or NGX_DONE")
	}
	if r == nil { // timer: ends the callback
		abort(l)
		return 0
	}
	_ = r.Exit(code)
	if r.Phase() == ngx.PhaseHeaderFilter {
		return 0
	}
	abort(l)
	return 0
}

// one is the number 1 boxed once: the result of the output calls, pushed without allocating
// (PushLightUserData pushes any value as it is).
var one any = float64(1)

func pushOne(l *glua.State) { l.PushLightUserData(one) }
