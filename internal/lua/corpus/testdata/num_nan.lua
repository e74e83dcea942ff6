-- NaN: comparisons, tostring of the NaN produced by 0/0 and of its negation
local nan = 0 / 0
print(nan ~= nan, nan == nan, nan < 1, nan > 1, nan <= nan)
print(tostring(nan), tostring(-nan))
print(math.huge - math.huge, math.huge * 0)
print(5 % 0, 5 % math.huge, 3 % -math.huge, -3 % math.huge)
local t = {}
print(pcall(function() t[nan] = 1 end))
print(t[nan])
print((-8) ^ (1 / 3))
