-- round-trips between os.time and os.date across many days
local errors = 0
local start = os.time({year = 1999, month = 12, day = 25, hour = 0})
for d = 0, 800, 7 do
  local ts = start + d * 86400 + 3600 * (d % 24)
  local t = os.date("*t", ts)
  if os.time(t) ~= ts then errors = errors + 1 end
  if d % 140 == 0 then print(os.date("!%Y-%m-%d %H:%M %a yday=%j", ts)) end
end
print("errors", errors)
print(os.date("!%Y-%m-%d", os.time({year = 2100, month = 2, day = 29})))
print(os.date("!%Y-%m-%d", os.time({year = 2000, month = 2, day = 29})))
