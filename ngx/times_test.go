package ngx_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/ngx"
)

// Expected values recorded from the oracle (see codec_test.go).
var timesTestFormatCases = []struct {
	sec          int64
	http, cookie string
}{
	{0, "Thu, 01 Jan 1970 00:00:00 GMT", "Thu, 01-Jan-70 00:00:00 GMT"},
	{1290079655, "Thu, 18 Nov 2010 11:27:35 GMT", "Thu, 18-Nov-10 11:27:35 GMT"},
	{951782400, "Tue, 29 Feb 2000 00:00:00 GMT", "Tue, 29-Feb-00 00:00:00 GMT"},
	{2145916799, "Thu, 31 Dec 2037 23:59:59 GMT", "Thu, 31-Dec-37 23:59:59 GMT"},
	{2145916800, "Fri, 01 Jan 2038 00:00:00 GMT", "Fri, 01-Jan-2038 00:00:00 GMT"},
	{2147483648, "Tue, 19 Jan 2038 03:14:08 GMT", "Tue, 19-Jan-2038 03:14:08 GMT"},
	{4102444800, "Fri, 01 Jan 2100 00:00:00 GMT", "Fri, 01-Jan-2100 00:00:00 GMT"},
	{4107542400, "Mon, 01 Mar 2100 00:00:00 GMT", "Mon, 01-Mar-2100 00:00:00 GMT"},
	{253402300799, "Fri, 31 Dec 9999 23:59:59 GMT", "Fri, 31-Dec-9999 23:59:59 GMT"},
	// nginx clamps to 1970..9999.
	{-1, "Thu, 01 Jan 1970 00:00:00 GMT", "Thu, 01-Jan-70 00:00:00 GMT"},
	{-31536000, "Thu, 01 Jan 1970 00:00:00 GMT", "Thu, 01-Jan-70 00:00:00 GMT"},
	{253402300800, "Fri, 31 Dec 9999 23:59:59 GMT", "Fri, 31-Dec-9999 23:59:59 GMT"},
	{1 << 40, "Fri, 31 Dec 9999 23:59:59 GMT", "Fri, 31-Dec-9999 23:59:59 GMT"},
}

func TestHTTPTimeAndCookieTime(t *testing.T) {
	for _, tt := range timesTestFormatCases {
		at := time.Unix(tt.sec, 0)
		assert.Equal(t, tt.http, ngx.HTTPTime(at), "HTTPTime(%d)", tt.sec)
		assert.Equal(t, tt.cookie, ngx.CookieTime(at), "CookieTime(%d)", tt.sec)
	}
}

func TestHTTPTimeIgnoresZone(t *testing.T) {
	at := time.Unix(1290079655, 0).In(time.FixedZone("X", 5*3600))
	assert.Equal(t, "Thu, 18 Nov 2010 11:27:35 GMT", ngx.HTTPTime(at))
}

// timesTestParseCases: ok false where ngx.parse_http_time returns nil.
var timesTestParseCases = []struct {
	in   string
	want int64
	ok   bool
}{
	{"Thu, 18 Nov 2010 11:27:35 GMT", 1290079655, true},
	{"Thursday, 18-Nov-10 11:27:35 GMT", 1290079655, true},
	{"Thu Nov 18 11:27:35 2010", 1290079655, true},
	{"Thu Nov  8 11:27:35 2010", 1289215655, true},
	{"Thu Nov 8 11:27:35 2010 ", 1289215655, true},
	{"Thu Nov 08 11:27:35 2010", 1289215655, true},
	{"Thu Nov  18 11:27:35 2010", 1290079655, true},
	{"Thu Nov18 11:27:35 2010", 1289215655, true},
	{"Thu Nov 18 11:27:35 2010 GMT", 1290079655, true},
	{"Thu, 18 Nov 2010 11:27:35", 1290079655, true},
	{"Thu, 18 Nov 2010 11:27:35 XYZ garbage", 1290079655, true},
	{"Thu, 18 Nov 2010 11:27:35 ", 1290079655, true},
	{"Thu, 18 Nov 2010 11:27:35G", 1290079655, true},
	{"Thu, 18 Nov 2010 11:27:35 GMT\x00", 1290079655, true},
	{", 18 Nov 2010 11:27:35 GMT", 1290079655, true},
	{"X, 18 Nov 2010 11:27:35 GMT", 1290079655, true},
	{"Thu,   18 Nov 2010 11:27:35 GMT", 1290079655, true},
	{"Thu,18 Nov 2010 11:27:35 GMT", 1290079655, true},
	{"Thu, 18 NOV 2010 11:27:35 GMT", 1290079655, true},
	{"Thu, 18 Jzz 2010 11:27:35 GMT", 1279452455, true},
	{"Thu, 18 Jaz 2010 11:27:35 GMT", 1263814055, true},
	{"Thu, 18 Jun 2010 11:27:35 GMT", 1276860455, true},
	{"Thu, 18 Mxr 2010 11:27:35 GMT", 1268911655, true},
	{"Thu, 00 Jan 2000 00:00:00 GMT", 946598400, true},
	{"Mon, 00 Mar 1970 00:00:00 GMT", 5011200, true},
	{"Thu, 29 Feb 2000 00:00:00 GMT", 951782400, true},
	{"Thu, 01 Jan 1970 00:00:00 GMT", 0, true},
	{"Wed, 31 Dec 1969 23:59:58 GMT", -2, true},
	{"Mon, 31 Dec 1969 00:00:00 GMT", -86400, true},
	{"Mon, 01 Jan 1900 00:00:00 GMT", -2208988800, true},
	{"Mon, 01 Jan 0001 00:00:00 GMT", -62135596800, true},
	{"Mon, 01 Jan 0000 00:00:00 GMT", -62167208832, true},
	{"Mon, 01 Feb 0000 00:00:00 GMT", -62164530432, true},
	{"Mon, 01 Mar 0000 00:00:00 GMT", -62162035200, true},
	{"Fri, 31 Dec 9999 23:59:59 GMT", 253402300799, true},
	{"Sunday, 01-Jan-69 00:00:00 GMT", 3124224000, true},
	{"Sunday, 01-Jan-70 00:00:00 GMT", 0, true},
	{"Sunday, 01-Jan-00 00:00:00", 946684800, true},
	{"Wed, 31 Dec 1969 23:59:59 GMT", 0, false},
	{"Thu, 18 Qov 2010 11:27:35 GMT", 0, false},
	{"Thu, 18 nov 2010 11:27:35 GMT", 0, false},
	{"Thu, 31 Feb 2000 00:00:00 GMT", 0, false},
	{"Thu, 30 Feb 2000 00:00:00 GMT", 0, false},
	{"Thu, 29 Feb 1900 00:00:00 GMT", 0, false},
	{"Thu, 29 Feb 2001 00:00:00 GMT", 0, false},
	{"Mon, 99 Dec 1969 00:00:00 GMT", 0, false},
	{"Thu, 18 Nov 2010 24:00:00 GMT", 0, false},
	{"Thu, 18 Nov 2010 23:60:00 GMT", 0, false},
	{"Thu, 18 Nov 2010 23:59:60 GMT", 0, false},
	{"Thu, 18 Nov 2010 1:27:35 GMT", 0, false},
	{"Thu, 18 Nov 2010 11:27:3", 0, false},
	{"Thu, 18 Nov 20101 1:27:35 GMT", 0, false},
	{"Thu, 18 Nov 2010  11:27:35 GMT", 0, false},
	{"Thu, 18 Nov 2010\t11:27:35 GMT", 0, false},
	{"Thu, 18 Nov 2010 11-27-35 GMT", 0, false},
	{"Thu, 18-Nov-2010 11:27:35 GMT", 0, false},
	{"Thu, 18 Nov-2010 11:27:35 GMT", 0, false},
	{"Sunday, 01-Jan-2000 00:00:00 GMT", 0, false},
	{"Sunday, 01 Jan-00 00:00:00 GMT", 0, false},
	{"18 Nov 2010 11:27:35 GMT", 0, false},
	{"Thu Nov 18 11:27:35 10", 0, false},
	{"Thu Nov 118 11:27:35 2010", 0, false},
	{"Thu Nov x8 11:27:35 2010", 0, false},
	{"Thu Nov 1811:27:35 2010", 0, false},
	{"Thu Nov 18  11:27:35 2010", 0, false},
	{"ThuNov 18 11:27:35 2010 x", 0, false},
	{" Thu Nov 08 11:27:35 2010", 0, false},
	{"", 0, false},
	{"garbage", 0, false},
}

func TestParseHTTPTime(t *testing.T) {
	for _, tt := range timesTestParseCases {
		got, ok := ngx.ParseHTTPTime(tt.in)
		require.Equal(t, tt.ok, ok, "ParseHTTPTime(%q) ok", tt.in)
		if ok {
			assert.Equal(t, tt.want, got.Unix(), "ParseHTTPTime(%q)", tt.in)
			assert.Equal(t, time.UTC, got.Location(), "ParseHTTPTime(%q) zone", tt.in)
		}
	}
}

func TestParseHTTPTimeReadsWhatHTTPTimeWrites(t *testing.T) {
	for _, tt := range timesTestFormatCases {
		if tt.sec < 0 || tt.sec > 253402300799 {
			continue
		}
		got, ok := ngx.ParseHTTPTime(tt.http)
		require.True(t, ok, tt.http)
		assert.Equal(t, tt.sec, got.Unix(), tt.http)
	}
}

func FuzzParseHTTPTime(f *testing.F) {
	for _, tt := range timesTestParseCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ngx.ParseHTTPTime(s)
		if !ok || got.Unix() < 0 || got.Unix() > 253402300799 {
			return
		}
		again, ok := ngx.ParseHTTPTime(ngx.HTTPTime(got))
		require.True(t, ok, "HTTPTime(%v) does not parse", got)
		require.Equal(t, got, again)
	})
}

func TestTodayLocalTimeUTCTime(t *testing.T) {
	at := time.Date(2010, 11, 18, 23, 27, 35, 999e6, time.UTC).In(time.FixedZone("plus2", 2*3600))
	assert.Equal(t, "2010-11-19", ngx.Today(at))
	assert.Equal(t, "2010-11-19 01:27:35", ngx.LocalTime(at))
	assert.Equal(t, "2010-11-18 23:27:35", ngx.UTCTime(at))
}

func TestFloatSeconds(t *testing.T) {
	assert.Equal(t, 1795829413.236, ngx.FloatSeconds(time.Unix(1795829413, 236_999_999)))
	assert.Equal(t, 0.0, ngx.FloatSeconds(time.Unix(0, 0)))
	assert.Equal(t, -1.5, ngx.FloatSeconds(time.UnixMilli(-1500)))
}

// timesTestSource is a hand-moved clock.
type timesTestSource struct {
	mu sync.Mutex
	t  time.Time
}

func (s *timesTestSource) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t
}

func (s *timesTestSource) add(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t = s.t.Add(d)
}

func TestClockMovesOnlyOnUpdate(t *testing.T) {
	src := &timesTestSource{t: time.Unix(1795829413, 236_400_000)}
	c := &ngx.Clock{Source: src.now}
	assert.Equal(t, 1795829413.236, c.Now(), "first read")
	src.add(1500 * time.Millisecond)
	assert.Equal(t, 1795829413.236, c.Now(), "cached")
	assert.Equal(t, int64(1795829413), c.Time(), "cached seconds")
	c.Update()
	assert.Equal(t, 1795829414.736, c.Now(), "after Update")
	assert.Equal(t, int64(1795829414), c.Time(), "seconds after Update")
}

func TestClockSet(t *testing.T) {
	var c ngx.Clock
	c.Set(time.Unix(1290079655, 123_456_789))
	assert.Equal(t, 1290079655.123, c.Now())
	assert.Equal(t, time.UnixMilli(1290079655123), c.Cached())
	assert.Equal(t, "Thu, 18 Nov 2010 11:27:35 GMT", ngx.HTTPTime(c.Cached()))
}

func TestClockZeroValueReadsTheClock(t *testing.T) {
	var c ngx.Clock
	before := time.Now().Truncate(time.Millisecond)
	got := c.Cached()
	assert.False(t, got.Before(before), "%v before %v", got, before)
	assert.False(t, got.After(time.Now()), "%v in the future", got)
}

func TestClockConcurrentUse(t *testing.T) {
	var c ngx.Clock
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				c.Update()
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	assert.NotZero(t, c.Time())
}

func timesTestOracleCases() []codecTestOracleCase {
	var cs []codecTestOracleCase
	for _, tt := range timesTestFormatCases {
		cs = append(cs,
			codecTestOracleCase{fmt.Sprintf("ngx.http_time(%d)", tt.sec), codecTestOracleOut(tt.http)},
			codecTestOracleCase{fmt.Sprintf("ngx.cookie_time(%d)", tt.sec), codecTestOracleOut(tt.cookie)})
	}
	for _, tt := range timesTestParseCases {
		want := "nil"
		if tt.ok {
			want = codecTestOracleOut(strconv.FormatInt(tt.want, 10))
		}
		cs = append(cs, codecTestOracleCase{fmt.Sprintf("ngx.parse_http_time(%s)", codecTestLua(tt.in)), want})
	}
	// The format of the clock-based functions, checked against Lua's os.date on the same second.
	cs = append(cs,
		codecTestOracleCase{`ngx.today() == os.date("%Y-%m-%d", ngx.time()) and "ok"`, codecTestOracleOut("ok")},
		codecTestOracleCase{`ngx.localtime() == os.date("%Y-%m-%d %H:%M:%S", ngx.time()) and "ok"`, codecTestOracleOut("ok")},
		codecTestOracleCase{`ngx.utctime() == os.date("!%Y-%m-%d %H:%M:%S", ngx.time()) and "ok"`, codecTestOracleOut("ok")},
		codecTestOracleCase{`math.floor(ngx.now()) == ngx.time() and "ok"`, codecTestOracleOut("ok")},
	)
	return cs
}
