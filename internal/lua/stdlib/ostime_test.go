package stdlib

import (
	"testing"
	"time"
	_ "time/tzdata" // the America/New_York tests must not depend on the machine's zoneinfo

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOSTime(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"now", `print(os.time())`, "1700000000", ""},
		{"full table", `print(os.time{year = 2023, month = 11, day = 14, hour = 22, min = 13, sec = 20})`, "1700000000", ""},
		{"hour defaults to noon", `print(os.time{year = 2023, month = 11, day = 14})`, "1699963200", ""},
		{"out-of-range fields normalise", `print(os.time{year = 2023, month = 14, day = 35, hour = -5, min = 70, sec = -10})`, "1709669390", ""},
		{"month and day zero", `print(os.time{year = 2023, month = 0, day = 0})`, "1669809600", ""},
		{"numeric strings, fractions truncate", `print(os.time{year = "2023", month = "3", day = "1.5"}, os.time{year = 2023, month = 1, day = 1, hour = 2.7, min = -0.5})`, "1677672000\t1672538400", ""},
		{"isdst true in a zone without DST", `print(os.time{year = 2023, month = 3, day = 1, isdst = true}, os.time{year = 2023, month = 3, day = 1, isdst = false})`, "1677668400\t1677672000", ""},
		{"-1 is an error result", `print(os.time{year = 1969, month = 12, day = 31, hour = 23, min = 59, sec = 59})`, "nil", ""},
		{"far years", `print(os.time{year = 1, month = 1, day = 1, hour = 0}, os.time{year = 2^31, month = 1, day = 1})`, "-62135596800\t6.7767976233576e+16", ""},
		{"year wraps as a C int", `print(os.time{year = 1e12, month = 1, day = 1}, os.time{year = 2023, month = 1e10, day = 1})`, "-2.2953956903093e+16\t3.708115536312e+15", ""},
		{"normalised year out of range", `print(os.time{year = 2^31 - 1, month = 1e9, day = 1})`, "nil", ""},
		{"day missing", `os.time{year = 2023, month = 3}`, "", "field 'day' missing in date table"},
		{"month missing", `os.time{year = 2023, day = 3}`, "", "field 'month' missing in date table"},
		{"year missing", `os.time{month = 2, day = 3}`, "", "field 'year' missing in date table"},
		{"day not a number", `os.time{year = 2023, month = 3, day = "x"}`, "", "field 'day' missing in date table"},
		{"not a table", `os.time(5)`, "", "bad argument #1 to '?' (table expected, got number)"},
	})
}

func TestMktimeDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	require.NoError(t, err)
	cases := []struct {
		name  string
		loc   *time.Location
		month int
		isdst int
		want  int64
	}{
		{"summer, dst unknown", ny, 7, -1, 1688227200},
		{"summer, dst true", ny, 7, 1, 1688227200},
		{"summer read as standard time", ny, 7, 0, 1688230800},
		{"winter read as daylight time", ny, 1, 1, 1672588800},
		{"winter, dst false", ny, 1, 0, 1672592400},
		{"no DST today: one hour assumed", kolkata, 7, 1, 1688189400},
		{"no DST today, dst false", kolkata, 7, 0, 1688193000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := mktime(2023, c.month, 1, 12, 0, 0, c.isdst, c.loc)
			require.True(t, ok)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestOSDate(t *testing.T) {
	const all = "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %m %M %n %p %r %R %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%"
	runCases(t, Options{}, []luaCase{
		{"every conversion, UTC", `print(os.date("!` + all + `", 1700000000))`,
			"Tue Tuesday Nov November Tue Nov 14 22:13:20 2023 20 14 11/14/23 14 2023-11-14 23 2023 Nov 22 10 318 11 13 \n PM 10:13:20 PM 22:13 20 \t 22:13:20 2 46 46 2 46 11/14/23 22:13:20 23 2023 +0000 GMT %", ""},
		{"every conversion, local", `print(os.date("` + all + `", 1700000000))`,
			"Tue Tuesday Nov November Tue Nov 14 22:13:20 2023 20 14 11/14/23 14 2023-11-14 23 2023 Nov 22 10 318 11 13 \n PM 10:13:20 PM 22:13 20 \t 22:13:20 2 46 46 2 46 11/14/23 22:13:20 23 2023 +0000 UTC %", ""},
		{"E and O modifiers", `print(os.date("!%Ec %EC %Ex %EX %Ey %EY %Od %Oe %OH %OI %Om %OM %OS %Ou %OU %OV %Ow %OW %Oy", 1700000000))`,
			"Tue Nov 14 22:13:20 2023 20 11/14/23 22:13:20 23 2023 14 14 22 10 11 13 20 2 46 46 2 46 23", ""},
		{"default format and time", `print(os.date())`, "Tue Nov 14 22:13:20 2023", ""},
		{"epoch and before", `print(os.date("!%c", 0), os.date("!%c", -1), os.date("!%c", 1.9), os.date("!%c", -1.9))`,
			"Thu Jan  1 00:00:00 1970\tWed Dec 31 23:59:59 1969\tThu Jan  1 00:00:01 1970\tWed Dec 31 23:59:59 1969", ""},
		{"far years", `print(os.date("!%Y %C %y", 253402300800), os.date("!%c", 1e15))`, "10000 100 00\tSun Jul  5 01:46:40 31690708", ""},
		{"years out of a C int", `print(os.date("!%c", 1e18), os.date("!%c", 2^63), os.date("*t", 1e300))`, "nil\tnil\tnil", ""},
		{"*t", `local d = os.date("!*t", 1700000000) print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)`,
			"2023\t11\t14\t22\t13\t20\t3\t318\tfalse", ""},
		{"*t truncates", `print(os.date("!*t", 1700000000.7).sec)`, "20", ""},
		{"invalid conversion", `os.date("%Q")`, "", "bad argument #1 to '?' (invalid conversion specifier '%Q')"},
		{"invalid conversion quotes the rest", `os.date("%Ez tail")`, "", "invalid conversion specifier '%Ez tail'"},
		{"lone E", `os.date("%E")`, "", "invalid conversion specifier '%E'"},
		{"trailing percent", `os.date("abc%")`, "", "invalid conversion specifier '%'"},
		{"glibc flags are not accepted", `os.date("%-d")`, "", "invalid conversion specifier '%-d'"},
		{"time not a number", `os.date("%c", "x")`, "", "bad argument #2 to '?' (number expected, got string)"},
		{"format not a string", `os.date({})`, "", "bad argument #1 to '?' (string expected, got table)"},
	})
}

func TestOSDateYears(t *testing.T) {
	// lua5.2 on glibc: %Y and %C are not padded, %C and %y use floor division.
	runCases(t, Options{}, []luaCase{
		{"negative and small years", `
			for _, y in ipairs{-1001, -100, -99, -1, 0, 9, 999} do
				print(os.date("!%Y|%C|%y|%G|%g|%F", os.time{year = y, month = 6, day = 15, hour = 0}))
			end`,
			"-1001|-11|99|-1001|99|-1001-06-15\n-100|-1|00|-100|00|-100-06-15\n-99|-1|01|-99|01|-99-06-15\n" +
				"-1|-1|99|-1|99|-1-06-15\n0|0|00|0|00|0-06-15\n9|0|09|9|09|9-06-15\n999|9|99|999|99|999-06-15", ""},
		{"ISO weeks around new year", `
			for _, t in ipairs{1704067200, 1703980800, 1735603200, 1609459200, 1641081600} do
				print(os.date("!%F %G %g %V %U %W %j %u %w", t))
			end`,
			"2024-01-01 2024 24 01 00 01 001 1 1\n2023-12-31 2023 23 52 53 52 365 7 0\n2024-12-31 2025 25 01 52 53 366 2 2\n" +
				"2021-01-01 2020 20 53 00 00 001 5 5\n2022-01-02 2021 21 52 01 00 002 7 0", ""},
		{"12-hour clock", `print(os.date("!%I %p", 0), os.date("!%I %p", 43200), os.date("!%I %p", 43199), os.date("!%I %p", 46800))`,
			"12 AM\t12 PM\t11 AM\t01 PM", ""},
	})
}

func TestOSDateMaxBytes(t *testing.T) {
	runCases(t, Options{MaxBytes: 30}, []luaCase{
		{"under", `print(os.date("!%c", 0))`, "Thu Jan  1 00:00:00 1970", ""},
		{"over", `os.date("!%c%c", 0)`, "", "resulting string too large"},
	})
}

func TestOSDifftimeClock(t *testing.T) {
	runCases(t, Options{}, []luaCase{
		{"difftime", `print(os.difftime(10, 3), os.difftime(10), os.difftime(1.5, 0.25))`, "7\t10\t1", ""},
		{"difftime needs a number", `os.difftime()`, "", "bad argument #1 to '?' (number expected, got no value)"},
		{"clock", `local c = os.clock() print(type(c), c >= 0)`, "number\ttrue", ""},
		{"getenv kept", `print(type(os.getenv("PATH")), os.getenv("GORESTY_NO_SUCH_VARIABLE"))`, "string\tnil", ""},
	})
}
