-- HTTP and cookie date formats built with os.date
local ts = 784111777
print(os.date("!%a, %d %b %Y %H:%M:%S GMT", ts))
print(os.date("!%A, %d-%b-%y %H:%M:%S GMT", ts))
print(os.date("!%Y-%m-%dT%H:%M:%SZ", ts))
print(os.date("!%d/%b/%Y:%H:%M:%S +0000", ts))
local months = {}
for m = 1, 12 do months[#months + 1] = os.date("!%b", os.time({year = 2024, month = m, day = 1})) end
print(table.concat(months, " "))
local days = {}
for d = 1, 7 do days[#days + 1] = os.date("!%a", os.time({year = 2024, month = 1, day = d})) end
print(table.concat(days, " "))
