package ngxlua

import (
	"errors"
	"math"
	"strconv"
	"time"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/ngx"
)

var outputFuncs = []glua.RegistryFunction{
	{Name: "say", Function: func(l *glua.State) int { return output(l, "say", true) }},
	{Name: "print", Function: func(l *glua.State) int { return output(l, "print", false) }},
	{Name: "flush", Function: flush},
	{Name: "eof", Function: eof},
	{Name: "exit", Function: exit},
	{Name: "redirect", Function: redirect},
	{Name: "exec", Function: execLocation},
	{Name: "send_headers", Function: sendHeaders},
	{Name: "sleep", Function: sleep},
}

// output implements ngx.say and ngx.print: every argument (strings, numbers, booleans, nil,
// ngx.null, arrays of those, nested) is written as one chunk.
func output(l *glua.State, name string, newline bool) int {
	r := checkPhase(l, inOutput)
	buf := r.Scratch()
	for i, n := 1, l.Top(); i <= n; i++ {
		buf = appendValue(l, buf, i, i, name)
	}
	if newline {
		buf = append(buf, '\n')
	}
	r.SetScratch(buf)
	if _, err := r.Write(buf); err != nil {
		return pushError(l, err)
	}
	l.PushInteger(1)
	return 1
}

// appendValue appends the value at index idx as ngx.say prints it.
func appendValue(l *glua.State, buf []byte, idx, arg int, fn string) []byte {
	switch l.TypeOf(idx) {
	case glua.TypeString:
		s, _ := l.ToString(idx)
		return append(buf, s...)
	case glua.TypeNumber:
		f, _ := l.ToNumber(idx)
		return AppendNumber(buf, f)
	case glua.TypeBoolean:
		return strconv.AppendBool(buf, l.ToBoolean(idx))
	case glua.TypeNil:
		return append(buf, "nil"...)
	case glua.TypeLightUserData:
		if isNull(l, idx) {
			return append(buf, "null"...)
		}
	case glua.TypeTable:
		return appendTable(l, buf, idx, arg, fn)
	}
	glua.Errorf(l, "bad argument #%d to '%s' (string, number, boolean, nil, ngx.null, or array table expected, got %s)",
		arg, fn, glua.TypeNameOf(l, idx))
	return buf
}

func appendTable(l *glua.State, buf []byte, idx, arg int, fn string) []byte {
	idx = l.AbsIndex(idx)
	n := 0
	l.PushNil()
	for l.Next(idx) {
		k, isNum := l.ToNumber(-2)
		if !isNum || l.TypeOf(-2) != glua.TypeNumber || k < 1 || k != float64(int(k)) {
			glua.Errorf(l, "bad argument #%d to '%s' (non-array table found)", arg, fn)
		}
		n++
		l.Pop(1)
	}
	for i := 1; i <= n; i++ {
		l.RawGetInt(idx, i)
		if l.IsNil(-1) {
			glua.Errorf(l, "bad argument #%d to '%s' (non-array table found)", arg, fn)
		}
		if l.IsTable(-1) {
			buf = appendTable(l, buf, -1, arg, fn)
		} else {
			buf = appendValue(l, buf, l.Top(), arg, fn)
		}
		l.Pop(1)
	}
	return buf
}

// AppendNumber formats a Lua number as LuaJIT's tostring does ("%.14g"; integers plainly).
func AppendNumber(buf []byte, f float64) []byte {
	if f == float64(int64(f)) && f > -1e15 && f < 1e15 {
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

// pushError returns nil, message for a failed output call, as OpenResty does.
func pushError(l *glua.State, err error) int {
	var pe *ngx.PhaseError
	if errors.As(err, &pe) {
		raise(l, err)
	}
	l.PushNil()
	l.PushString(err.Error())
	return 2
}

func flush(l *glua.State) int {
	r := checkPhase(l, inOutput)
	if err := r.Flush(); err != nil {
		return pushError(l, err)
	}
	l.PushInteger(1)
	return 1
}

func eof(l *glua.State) int {
	r := checkPhase(l, inOutput)
	if err := r.Eof(); err != nil {
		return pushError(l, err)
	}
	l.PushInteger(1)
	return 1
}

func sendHeaders(l *glua.State) int {
	r := checkPhase(l, inOutput)
	if r.HeadersSent() {
		l.PushNil()
		l.PushString("header already sent")
		return 2
	}
	if err := r.SendHeaders(); err != nil {
		return pushError(l, err)
	}
	l.PushInteger(1)
	return 1
}

func exit(l *glua.State) int {
	r := checkPhase(l, inOutput|inHeaderFilter|inTimer)
	code, ok := l.ToInteger(1)
	if !ok {
		glua.Errorf(l, "bad argument #1 to 'exit' (number expected, got %s)", glua.TypeNameOf(l, 1))
	}
	if code == ngx.CodeAgain || code == ngx.CodeDone {
		glua.Errorf(l, "bad argument to 'ngx.exit': does not accept NGX_AGAIN or NGX_DONE")
	}
	if r == nil { // timer: ends the callback
		abort(l)
		return 0
	}
	_ = r.Exit(code)
	abort(l)
	return 0
}

func redirect(l *glua.State) int {
	r := checkPhase(l, inOutput)
	uri := glua.CheckString(l, 1)
	status := glua.OptInteger(l, 2, 302)
	if r.HeadersSent() {
		glua.Errorf(l, "attempt to call ngx.redirect after sending out the headers")
	}
	if err := r.Redirect(uri, status); !errors.Is(err, ngx.ErrExit) {
		raise(l, err)
	}
	abort(l)
	return 0
}

func execLocation(l *glua.State) int {
	r := checkPhase(l, inOutput)
	uri := glua.CheckString(l, 1)
	if r.HeadersSent() {
		glua.Errorf(l, "attempt to call ngx.exec after sending out response headers")
	}
	switch l.TypeOf(2) {
	case glua.TypeNone, glua.TypeNil:
	case glua.TypeString, glua.TypeNumber:
		s, _ := l.ToString(2)
		uri += "?" + s
	case glua.TypeTable:
		uri += "?" + encodeArgsTable(l, 2)
	default:
		glua.Errorf(l, "bad args arg: %s", glua.TypeNameOf(l, 2))
	}
	_ = r.Exec(uri)
	abort(l)
	return 0
}

func sleep(l *glua.State) int {
	r := checkPhase(l, inOutput|inTimer)
	sec := glua.CheckNumber(l, 1)
	if sec < 0 {
		glua.Errorf(l, "invalid sleep duration \"%s\"", strconv.FormatFloat(sec, 'g', -1, 64))
	}
	d := time.Duration(sec * float64(time.Second))
	t := time.NewTimer(d)
	defer t.Stop()
	if r == nil {
		<-t.C
		return 0
	}
	select {
	case <-t.C:
	case <-r.Context().Done():
		abortWith(l, r.Context().Err())
	}
	return 0
}
