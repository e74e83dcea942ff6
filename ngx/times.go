package ngx

import (
	"sync/atomic"
	"time"
)

// nginx's ngx_gmtime works on times from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z and moves
// any other time to the nearest end of that range; every formatter here does the same.
const timesMaxUnix = 253402300799

// timesClamp returns the UTC calendar time of Unix second sec, moved into nginx's range.
func timesClamp(sec int64) time.Time {
	sec = min(max(sec, 0), timesMaxUnix)
	return time.Unix(sec, 0).UTC()
}

// HTTPTime formats t as ngx.http_time does, for HTTP headers: "Thu, 18 Nov 2010 11:27:35 GMT".
// Times before 1970 print as the Unix epoch and times after 9999 as 9999-12-31T23:59:59Z. The
// Lua binding passes time.Unix(int64(sec), 0): OpenResty truncates fractional seconds toward zero.
func HTTPTime(t time.Time) string {
	return timesClamp(t.Unix()).Format("Mon, 02 Jan 2006 15:04:05 GMT")
}

// CookieTime formats t as ngx.cookie_time does, for a cookie's Expires attribute:
// "Thu, 18-Nov-10 11:27:35 GMT". The year has two digits up to 2037 and four from 2038 on
// ("Fri, 01-Jan-2038 00:00:00 GMT"). The range is clamped as in HTTPTime.
func CookieTime(t time.Time) string {
	u := timesClamp(t.Unix())
	if u.Year() > 2037 {
		return u.Format("Mon, 02-Jan-2006 15:04:05 GMT")
	}
	return u.Format("Mon, 02-Jan-06 15:04:05 GMT")
}

// Today returns now's date in now's location as ngx.today does: "2010-11-18". OpenResty uses
// the server's local time zone; pass a time in time.Local to get the same.
func Today(now time.Time) string { return timesLocal(now).Format("2006-01-02") }

// LocalTime returns now in now's location as ngx.localtime does: "2010-11-18 11:27:35".
func LocalTime(now time.Time) string { return timesLocal(now).Format(time.DateTime) }

// UTCTime returns now in UTC as ngx.utctime does: "2010-11-18 11:27:35".
func UTCTime(now time.Time) string { return timesClamp(now.Unix()).Format(time.DateTime) }

// timesLocal returns the wall-clock fields of t in its location as a UTC time, clamped the way
// nginx clamps the local time it computes from the cached time plus the zone offset.
func timesLocal(t time.Time) time.Time {
	_, off := t.Zone()
	return timesClamp(t.Unix() + int64(off))
}

// ParseHTTPTime parses an HTTP date as ngx.parse_http_time (nginx's ngx_parse_http_time)
// does, reporting false where it returns nil. Three forms are read:
//
//	Thu, 18 Nov 2010 11:27:35 GMT    RFC 1123
//	Thursday, 18-Nov-10 11:27:35 GMT RFC 850; years 00-69 are 2000-2069, 70-99 are 1970-1999
//	Thu Nov 18 11:27:35 2010         asctime; the day may have one digit and a leading space
//
// Like nginx it is lenient: the weekday is not checked (", 18 Nov 2010 11:27:35" parses), the
// month is told by its first letters only ("Jzz" is July, "Mxr" March; lower case fails),
// whatever follows the seconds or the asctime year is ignored, day 00 is the last day of the
// month before, and hours above 23, minutes or seconds above 59 and days past the month's end
// fail. Years before 1970 give negative times; year 0000 gives the value nginx's unsigned
// arithmetic gives. A date that falls on -1 (1969-12-31 23:59:59) fails, as nginx's error
// value is -1. The result is in UTC.
func ParseHTTPTime(s string) (time.Time, bool) {
	sec, ok := timesParseHTTP(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(sec, 0).UTC(), true
}

// timesHTTPForm is one of the date forms timesParseHTTP reads.
type timesHTTPForm uint8

const (
	timesRFC1123 timesHTTPForm = iota
	timesRFC850
	timesAsctime
)

// timesMonthDays is the length of each month, February in a common year.
var timesMonthDays = [12]uint64{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// timesDateReader walks a date string; reads past the end give 0, which no check accepts.
type timesDateReader struct {
	s string
	p int
}

func (r *timesDateReader) at(i int) byte {
	if i = r.p + i; i < len(r.s) {
		return r.s[i]
	}
	return 0
}

func (r *timesDateReader) left() int { return len(r.s) - r.p }

// digits reads n decimal digits at the current position and moves past them.
func (r *timesDateReader) digits(n int) (uint64, bool) {
	var v uint64
	for i := range n {
		c := r.at(i)
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	r.p += n
	return v, true
}

// timesParseHTTP returns the Unix time of s, or false where nginx returns NGX_ERROR.
func timesParseHTTP(s string) (int64, bool) {
	r := timesDateReader{s: s}
	form := timesRFC1123
	for ; r.p < len(s); r.p++ {
		if s[r.p] == ',' {
			break
		}
		if s[r.p] == ' ' {
			form = timesAsctime
			break
		}
	}
	for r.p++; r.p < len(s) && s[r.p] == ' '; r.p++ {
	}
	if r.left() < 18 {
		return 0, false
	}
	var day, year uint64
	if form != timesAsctime {
		var ok bool
		if day, ok = r.digits(2); !ok {
			return 0, false
		}
		switch r.at(0) {
		case ' ':
			if r.left() < 18 {
				return 0, false
			}
		case '-':
			form = timesRFC850
		default:
			return 0, false
		}
		r.p++
	}
	month, ok := timesMonth(r.at(0), r.at(1), r.at(2))
	if !ok {
		return 0, false
	}
	r.p += 3
	if (form == timesRFC1123 && r.at(0) != ' ') || (form == timesRFC850 && r.at(0) != '-') {
		return 0, false
	}
	r.p++
	switch form {
	case timesRFC1123:
		year, ok = r.digits(4)
	case timesRFC850:
		year, ok = r.digits(2)
		year += 1900
		if year < 1970 {
			year += 100
		}
	case timesAsctime:
		day, ok = timesAsctimeDay(&r)
	}
	if !ok {
		return 0, false
	}
	return timesParseClock(&r, form, day, month, year)
}

// timesMonth tells the month (0-11) from its first three letters the way nginx does.
func timesMonth(c0, c1, c2 byte) (int64, bool) {
	switch c0 {
	case 'J':
		switch {
		case c1 == 'a':
			return 0, true
		case c2 == 'n':
			return 5, true
		}
		return 6, true
	case 'F':
		return 1, true
	case 'M':
		if c2 == 'r' {
			return 2, true
		}
		return 4, true
	case 'A':
		if c1 == 'p' {
			return 3, true
		}
		return 7, true
	case 'S':
		return 8, true
	case 'O':
		return 9, true
	case 'N':
		return 10, true
	case 'D':
		return 11, true
	}
	return 0, false
}

// timesAsctimeDay reads the asctime day: an optional space, then one or two digits.
func timesAsctimeDay(r *timesDateReader) (uint64, bool) {
	if r.at(0) == ' ' {
		r.p++
	}
	day, ok := r.digits(1)
	if !ok {
		return 0, false
	}
	if r.at(0) != ' ' {
		d, ok := r.digits(1)
		if !ok {
			return 0, false
		}
		day = day*10 + d
	}
	return day, r.left() >= 14
}

// timesParseClock reads " hh:mm:ss" (and the asctime year), checks the fields and computes the
// time with nginx's unsigned arithmetic, so out-of-range years wrap as they do there.
func timesParseClock(r *timesDateReader, form timesHTTPForm, day uint64, month int64, year uint64) (int64, bool) {
	var hms [3]uint64
	for i := range hms {
		sep := byte(':')
		if i == 0 {
			sep = ' '
		}
		if r.at(0) != sep {
			return 0, false
		}
		r.p++
		var ok bool
		if hms[i], ok = r.digits(2); !ok {
			return 0, false
		}
	}
	if form == timesAsctime {
		if r.at(0) != ' ' {
			return 0, false
		}
		r.p++
		var ok bool
		if year, ok = r.digits(4); !ok {
			return 0, false
		}
	}
	if hms[0] > 23 || hms[1] > 59 || hms[2] > 59 {
		return 0, false
	}
	if day == 29 && month == 1 {
		if year&3 != 0 || (year%100 == 0 && year%400 != 0) {
			return 0, false
		}
	} else if day > timesMonthDays[month] {
		return 0, false
	}
	// Gauss's day count from 1 March of 1 BC, with the year starting in March.
	if month--; month <= 0 {
		month += 12
		year--
	}
	days := 365*year + year/4 - year/100 + year/400 + uint64(367*month/12) - 30 + day - 1 -
		719527 + 31 + 28
	sec := int64(days*86400 + hms[0]*3600 + hms[1]*60 + hms[2])
	return sec, sec != -1
}

// FloatSeconds returns t as OpenResty reports times to Lua (ngx.now, ngx.req.start_time): Unix
// seconds with the milliseconds as a fraction, computed as nginx does (sec + msec / 1000.0).
func FloatSeconds(t time.Time) float64 {
	ms := t.UnixMilli()
	sec, msec := ms/1000, ms%1000
	if msec < 0 {
		sec, msec = sec-1, msec+1000
	}
	return float64(sec) + float64(msec)/1000.0
}

// Clock is the cached time behind ngx.now, ngx.time, ngx.today, ngx.localtime and ngx.utctime.
// In nginx that time is read once per turn of a worker's event loop, so within a request it
// stands still while Lua code runs and moves only when the request yields (ngx.sleep, cosocket
// I/O, reading the body, waiting on a thread or semaphore) or calls ngx.update_time.
//
// The Lua binding keeps one Clock per request: Set it to the request's start time when the
// request begins (so ngx.now() first equals ngx.req.start_time(), as in nginx), call Update
// after every operation that yields in OpenResty and for ngx.update_time(), and give each timer
// its own Clock set when the timer fires. A Clock per Lua state would leak one request's time
// into the next.
//
// The zero value is ready to use and reads time.Now on first use. A Clock is safe for
// concurrent use; the cached value has millisecond resolution, as nginx's.
type Clock struct {
	// Source, when set, replaces time.Now; tests use it to move time by hand.
	Source func() time.Time

	ms atomic.Int64 // cached Unix milliseconds; 0 means not read yet
}

// Update reads the current time into the cache, as ngx.update_time.
func (c *Clock) Update() {
	now := time.Now
	if c.Source != nil {
		now = c.Source
	}
	c.Set(now())
}

// Set makes t, truncated to the millisecond, the cached time.
func (c *Clock) Set(t time.Time) { c.ms.Store(t.UnixMilli()) }

// Cached returns the cached time in time.Local, reading the clock first if it never was.
func (c *Clock) Cached() time.Time {
	ms := c.ms.Load()
	if ms == 0 {
		c.Update()
		ms = c.ms.Load()
	}
	return time.UnixMilli(ms)
}

// Now returns the cached time as ngx.now: Unix seconds with millisecond fraction.
func (c *Clock) Now() float64 { return FloatSeconds(c.Cached()) }

// Time returns the cached time as ngx.time: whole Unix seconds.
func (c *Clock) Time() int64 { return c.Cached().Unix() }
