package stdlib

import (
	"strconv"
	"strings"
	"time"
)

// broken is a broken-down time, C's struct tm with the year and month not offset.
type broken struct {
	year                       int64
	month, day, hour, min, sec int
	wday, yday                 int // wday 0 = Sunday, yday 0 = January 1st
	isdst                      bool
	zone                       string
	offset                     int // seconds east of UTC
}

// Years whose tm_year (year-1900) fits in a C int: glibc's gmtime and localtime fail outside.
const (
	minYear = -(1 << 31) + 1900
	maxYear = (1<<31 - 1) + 1900
)

// maxDateSeconds bounds the Unix times worth handing to the time package: past it the year is out
// of a C int's range anyway (2^31 years of 366 days).
const maxDateSeconds = (1 << 31) * 366 * 86400

// breakDown is C's gmtime (utc) or localtime (loc): ok is false when the year does not fit.
func breakDown(secs int64, utc bool, loc *time.Location) (broken, bool) {
	if secs > maxDateSeconds || secs < -maxDateSeconds {
		return broken{}, false
	}
	t := time.Unix(secs, 0)
	if utc {
		t = t.UTC()
	} else {
		t = t.In(loc)
	}
	y := int64(t.Year())
	if y < minYear || y > maxYear {
		return broken{}, false
	}
	zone, off := t.Zone()
	if utc {
		zone = "GMT"
	}
	return broken{
		year: y, month: int(t.Month()), day: t.Day(), hour: t.Hour(), min: t.Minute(), sec: t.Second(),
		wday: int(t.Weekday()), yday: t.YearDay() - 1, isdst: t.IsDST(), zone: zone, offset: off,
	}, true
}

// validConversion reports how many bytes of conv (the text after a '%') form a conversion that
// Lua 5.2 accepts on Linux (C99's list with the E and O modifiers), or 0.
func validConversion(conv string) int {
	const single, eMod, oMod = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%", "cCxXyY", "deHImMSuUVwWy"
	switch {
	case conv == "":
		return 0
	case strings.IndexByte(single, conv[0]) >= 0:
		return 1
	case len(conv) < 2:
		return 0
	case conv[0] == 'E' && strings.IndexByte(eMod, conv[1]) >= 0:
		return 2
	case conv[0] == 'O' && strings.IndexByte(oMod, conv[1]) >= 0:
		return 2
	}
	return 0
}

var (
	weekdays = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	months   = [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}
)

// appendConv appends one conversion (c is the letter after any E/O modifier) as glibc's strftime
// prints it in the C locale.
func (tm *broken) appendConv(b []byte, c byte) []byte {
	switch c {
	case 'a':
		return append(b, weekdays[tm.wday][:3]...)
	case 'A':
		return append(b, weekdays[tm.wday]...)
	case 'b', 'h':
		return append(b, months[tm.month-1][:3]...)
	case 'B':
		return append(b, months[tm.month-1]...)
	case 'c':
		return tm.appendFormat(b, "a b e H:M:S Y")
	case 'C':
		return strconv.AppendInt(b, floorDiv(tm.year, 100), 10)
	case 'd':
		return pad2(b, tm.day, '0')
	case 'D', 'x':
		return tm.appendFormat(b, "m/d/y")
	case 'e':
		return pad2(b, tm.day, ' ')
	case 'F':
		return tm.appendFormat(b, "Y-m-d")
	case 'g':
		y, _ := tm.isoWeek()
		return pad2(b, int(floorMod(y, 100)), '0')
	case 'G':
		y, _ := tm.isoWeek()
		return strconv.AppendInt(b, y, 10)
	case 'H':
		return pad2(b, tm.hour, '0')
	case 'I':
		return pad2(b, (tm.hour+11)%12+1, '0')
	case 'j':
		return append(b, byte('0'+(tm.yday+1)/100), byte('0'+(tm.yday+1)/10%10), byte('0'+(tm.yday+1)%10))
	case 'm':
		return pad2(b, tm.month, '0')
	case 'M':
		return pad2(b, tm.min, '0')
	case 'n':
		return append(b, '\n')
	case 't':
		return append(b, '\t')
	case 'p':
		if tm.hour < 12 {
			return append(b, "AM"...)
		}
		return append(b, "PM"...)
	}
	return tm.appendConv2(b, c)
}

// appendConv2 holds the second half of appendConv's conversions.
func (tm *broken) appendConv2(b []byte, c byte) []byte {
	switch c {
	case 'r':
		return tm.appendFormat(b, "I:M:S p")
	case 'R':
		return tm.appendFormat(b, "H:M")
	case 'S':
		return pad2(b, tm.sec, '0')
	case 'T', 'X':
		return tm.appendFormat(b, "H:M:S")
	case 'u':
		return append(b, byte('0'+(tm.wday+6)%7+1))
	case 'U':
		return pad2(b, (tm.yday+7-tm.wday)/7, '0')
	case 'V':
		_, w := tm.isoWeek()
		return pad2(b, w, '0')
	case 'w':
		return append(b, byte('0'+tm.wday))
	case 'W':
		return pad2(b, (tm.yday+7-(tm.wday+6)%7)/7, '0')
	case 'y':
		return pad2(b, int(floorMod(tm.year, 100)), '0')
	case 'Y':
		return strconv.AppendInt(b, tm.year, 10)
	case 'z':
		return appendOffset(b, tm.offset)
	case 'Z':
		return append(b, tm.zone...)
	}
	return append(b, '%')
}

// appendFormat expands a composite conversion written as letters (other bytes are copied).
func (tm *broken) appendFormat(b []byte, f string) []byte {
	for i := 0; i < len(f); i++ {
		if 'A' <= upperByte(f[i]) && upperByte(f[i]) <= 'Z' {
			b = tm.appendConv(b, f[i])
		} else {
			b = append(b, f[i])
		}
	}
	return b
}

// isoWeek returns the ISO 8601 week-based year and week number (glibc's algorithm).
func (tm *broken) isoWeek() (int64, int) {
	year := tm.year
	days := isoWeekDays(tm.yday, tm.wday)
	if days < 0 {
		year--
		days = isoWeekDays(tm.yday+yearDays(year), tm.wday)
	} else if d := isoWeekDays(tm.yday-yearDays(year), tm.wday); d >= 0 {
		year++
		days = d
	}
	return year, days/7 + 1
}

// isoWeekDays is the number of days from the first day of the ISO week-based year containing the
// day yday (0-based) with weekday wday; negative when the day belongs to the previous ISO year.
func isoWeekDays(yday, wday int) int {
	const bigMultipleOf7 = (366/7 + 2) * 7
	return yday - (yday-wday+4+bigMultipleOf7)%7 + 3
}

func yearDays(y int64) int {
	if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 366
	}
	return 365
}

func pad2(b []byte, n int, padc byte) []byte {
	if n < 10 {
		return append(b, padc, byte('0'+n))
	}
	return strconv.AppendInt(b, int64(n), 10)
}

func appendOffset(b []byte, off int) []byte {
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b = append(b, sign)
	b = pad2(b, off/3600, '0')
	return pad2(b, off/60%60, '0')
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
