package stdlib

import (
	"math"
	"os"
	"time"

	glua "github.com/Shopify/go-lua"
)

func openOS(l *glua.State, lb *lib) {
	pushLib(l, "os")
	setFuncs(l, []fn{
		{"time", lb.osTime},
		{"date", lb.osDate},
		{"clock", osClock},
		{"difftime", osDifftime},
		{"getenv", osGetenv},
	})
	for _, name := range []string{"exit", "execute", "remove", "rename", "tmpname", "setlocale"} {
		pushFunction(l, disabled("os."+name))
		l.SetField(-2, name)
	}
	l.Pop(1)
}

// osTime is Lua 5.2's os.time([table]) with C mktime's normalisation of out-of-range fields.
func (lb *lib) osTime(l *glua.State) int {
	if l.IsNoneOrNil(1) {
		l.PushNumber(float64(lb.now().Unix()))
		return 1
	}
	glua.CheckType(l, 1, glua.TypeTable)
	l.SetTop(1)
	sec := dateField(l, "sec", 0)
	minute := dateField(l, "min", 0)
	hour := dateField(l, "hour", 12)
	day := dateField(l, "day", -1)
	month := int32(dateField(l, "month", -1)) - 1
	year := int32(dateField(l, "year", -1)) - 1900
	l.Field(1, "isdst")
	isdst := -1
	if !l.IsNil(-1) {
		isdst = 0
		if l.ToBoolean(-1) {
			isdst = 1
		}
	}
	l.Pop(1)
	t, ok := mktime(int64(year)+1900, int(month)+1, day, hour, minute, sec, isdst, time.Local)
	if !ok {
		l.PushNil()
		return 1
	}
	l.PushNumber(float64(t))
	return 1
}

// dateField reads an integer field of os.time's table; def < 0 means the field is required.
func dateField(l *glua.State, key string, def int) int {
	l.Field(1, key)
	n, ok := l.ToNumber(-1)
	l.Pop(1)
	switch {
	case ok:
		return cInt(n)
	case def < 0:
		errorf(l, "field '%s' missing in date table", key)
	}
	return def
}

// mktime is C's mktime on loc: fields may be out of range; isdst is -1 (find out), 0 or 1. It fails
// (as glibc does) when the normalised year is out of a C int's range, or the result is -1.
func mktime(year int64, month, day, hour, minute, sec, isdst int, loc *time.Location) (int64, bool) {
	t := time.Date(int(year), time.Month(month), day, hour, minute, sec, 0, loc)
	if y := int64(t.Year()); y < minYear || y > maxYear {
		return 0, false
	}
	secs := t.Unix()
	if isdst >= 0 && t.IsDST() != (isdst == 1) {
		_, off := t.Zone()
		secs += int64(off - otherOffset(t, isdst == 1))
	}
	if secs == -1 {
		return 0, false
	}
	return secs, true
}

// otherOffset finds the UTC offset of a zone period near t whose daylight-saving state is dst; when
// the zone has none (UTC, for example) it assumes, as glibc does, that daylight time is one hour
// ahead of standard time.
func otherOffset(t time.Time, dst bool) int {
	_, off := t.Zone()
	probe := t
	for range 4 {
		start, _ := probe.ZoneBounds()
		if start.IsZero() {
			break
		}
		probe = start.Add(-time.Second)
		if probe.IsDST() == dst {
			_, o := probe.Zone()
			return o
		}
	}
	probe = t
	for range 4 {
		_, end := probe.ZoneBounds()
		if end.IsZero() {
			break
		}
		probe = end
		if probe.IsDST() == dst {
			_, o := probe.Zone()
			return o
		}
	}
	if dst {
		return off + 3600
	}
	return off - 3600
}

// osDate is Lua 5.2's os.date([format [, time]]) with glibc's strftime in the C locale.
func (lb *lib) osDate(l *glua.State) int {
	f := optString(l, 1, "%c")
	secs := lb.now().Unix()
	if !l.IsNoneOrNil(2) {
		secs = cInt64(glua.CheckNumber(l, 2))
	}
	utc := len(f) > 0 && f[0] == '!'
	if utc {
		f = f[1:]
	}
	tm, ok := breakDown(secs, utc, time.Local)
	switch {
	case !ok:
		l.PushNil()
	case f == "*t":
		pushDateTable(l, &tm)
	default:
		l.PushString(string(lb.strftime(l, f, &tm)))
	}
	return 1
}

// strftime formats tm by f, raising Lua 5.2's error for a conversion it does not accept.
func (lb *lib) strftime(l *glua.State, f string, tm *broken) []byte {
	b := make([]byte, 0, len(f)+16)
	for i := 0; i < len(f); {
		if f[i] != '%' {
			b = append(b, f[i])
			i++
			continue
		}
		n := validConversion(f[i+1:])
		if n == 0 {
			glua.ArgumentError(l, 1, "invalid conversion specifier '%"+f[i+1:]+"'")
		}
		b = tm.appendConv(b, f[i+n])
		i += 1 + n
		lb.checkCap(l, len(b))
	}
	return b
}

func pushDateTable(l *glua.State, tm *broken) {
	l.CreateTable(0, 9)
	for _, f := range []struct {
		k string
		v int
	}{{"sec", tm.sec}, {"min", tm.min}, {"hour", tm.hour}, {"day", tm.day}, {"month", tm.month},
		{"wday", tm.wday + 1}, {"yday", tm.yday + 1}} {
		l.PushInteger(f.v)
		l.SetField(-2, f.k)
	}
	l.PushNumber(float64(tm.year))
	l.SetField(-2, "year")
	l.PushBoolean(tm.isdst)
	l.SetField(-2, "isdst")
}

// osDifftime is os.difftime(t2 [, t1]): both are truncated to whole seconds as time_t values.
func osDifftime(l *glua.State) int {
	a := cInt64(glua.CheckNumber(l, 1))
	b := cInt64(glua.OptNumber(l, 2, 0))
	d := a - b
	if (a >= 0) != (b >= 0) && (d >= 0) != (a >= 0) {
		l.PushNumber(float64(a) - float64(b))
		return 1
	}
	l.PushNumber(float64(d))
	return 1
}

// osClock is os.clock(): the CPU time used by the process, in seconds.
func osClock(l *glua.State) int {
	l.PushNumber(math.Max(0, processCPUSeconds()))
	return 1
}

// osGetenv is os.getenv(name): nil when the variable is not set (go-lua returns "").
func osGetenv(l *glua.State) int {
	if v, ok := os.LookupEnv(checkString(l, 1)); ok {
		l.PushString(v)
	} else {
		l.PushNil()
	}
	return 1
}
