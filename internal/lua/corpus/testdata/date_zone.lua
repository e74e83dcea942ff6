-- time zone conversions under TZ=UTC: local and UTC agree
local ts = 1718000000
print(os.date("%Y-%m-%d %H:%M:%S", ts) == os.date("!%Y-%m-%d %H:%M:%S", ts))
print(os.date("%z %Z", ts))
print(os.date("*t", ts).isdst)
